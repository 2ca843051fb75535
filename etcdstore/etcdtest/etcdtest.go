// Package etcdtest starts a real etcd server (Debian's etcd-server package, /usr/bin/etcd) on
// loopback for tests: random ports, its data in t.TempDir(), stopped by PID at the test's end.
package etcdtest

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// Server is one etcd member started by a test.
type Server struct {
	t        testing.TB
	Endpoint string // http://127.0.0.1:PORT, or https:// with TLS
	dir      string
	peer     string
	args     []string
	tls      *TLS
	cmd      *exec.Cmd
	done     chan struct{}
}

// Binary is the etcd server binary: $BYOVA_ETCD, else etcd on PATH (.ci/run installs Debian's
// etcd-server when it is missing).
func Binary(t testing.TB) string {
	if b := os.Getenv("BYOVA_ETCD"); b != "" {
		return b
	}
	b, err := exec.LookPath("etcd")
	if err != nil {
		t.Fatalf("no etcd server binary: apt-get install etcd-server (or set BYOVA_ETCD); .ci/run installs it")
	}
	return b
}

func freePort(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

// TLS is how a member serves its clients over TLS (StartTLS).
type TLS struct {
	CertFile, KeyFile string // the member's certificate (for 127.0.0.1) and key, PEM
	// ClientCAFile, when set, makes the member demand a client certificate signed by it.
	ClientCAFile string
	// Client is how Start's readiness probe and Client reach the member.
	Client *tls.Config
}

// StartTLS runs a one-member etcd that serves its clients over TLS only.
func StartTLS(t testing.TB, c TLS, args ...string) *Server {
	t.Helper()
	s := &Server{t: t, dir: filepath.Join(t.TempDir(), "etcd"), args: slices.Clip(args), tls: &c,
		Endpoint: "https://127.0.0.1:" + freePort(t), peer: "http://127.0.0.1:" + freePort(t)}
	s.args = append(s.args, "--cert-file", c.CertFile, "--key-file", c.KeyFile)
	if c.ClientCAFile != "" {
		s.args = append(s.args, "--client-cert-auth", "--trusted-ca-file", c.ClientCAFile)
	}
	s.start()
	t.Cleanup(s.Stop)
	return s
}

// Start runs a one-member etcd and waits until it answers. args are more etcd flags, e.g.
// "--election-timeout", "500" (etcd grants no lease shorter than 1.5 election timeouts).
func Start(t testing.TB, args ...string) *Server {
	t.Helper()
	s := &Server{t: t, dir: filepath.Join(t.TempDir(), "etcd"), args: args,
		Endpoint: "http://127.0.0.1:" + freePort(t), peer: "http://127.0.0.1:" + freePort(t)}
	s.start()
	t.Cleanup(s.Stop)
	return s
}

func (s *Server) start() {
	s.t.Helper()
	args := append([]string{"--name", "test", "--data-dir", s.dir,
		"--listen-client-urls", s.Endpoint, "--advertise-client-urls", s.Endpoint,
		"--listen-peer-urls", s.peer, "--initial-advertise-peer-urls", s.peer,
		"--initial-cluster", "test=" + s.peer, "--log-level", "error", "--logger", "zap"}, s.args...)
	s.cmd = exec.Command(Binary(s.t), args...)
	log, err := os.Create(filepath.Join(filepath.Dir(s.dir), "etcd.log"))
	if err != nil {
		s.t.Fatal(err)
	}
	s.cmd.Stdout, s.cmd.Stderr = log, log
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("start etcd: %v", err)
	}
	s.done = make(chan struct{})
	go func(c *exec.Cmd, done chan struct{}) {
		_ = c.Wait()
		log.Close()
		close(done)
	}(s.cmd, s.done)
	s.wait()
}

// wait polls until the member answers a read (etcd has no readiness signal a test can block
// on); it fails the test after 30 s.
func (s *Server) wait() {
	s.t.Helper()
	cli, err := clientv3.New(s.config(time.Second))
	if err != nil {
		s.t.Fatal(err)
	}
	defer cli.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := cli.Get(ctx, "health")
		cancel()
		if err == nil {
			return
		}
		select {
		case <-s.done:
			b, _ := os.ReadFile(filepath.Join(filepath.Dir(s.dir), "etcd.log"))
			s.t.Fatalf("etcd exited at start: %s", b)
		default:
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("etcd at %s did not answer within 30s: %v", s.Endpoint, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop ends the member (SIGTERM, then SIGKILL) and waits for it; its data stays for Restart.
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// Restart starts the member again on the same ports and data.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	s.start()
}

// Client is a client of the member, closed at the test's end.
func (s *Server) Client(t testing.TB) *clientv3.Client {
	cli, err := clientv3.New(s.config(2 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

func (s *Server) config(dial time.Duration) clientv3.Config {
	c := clientv3.Config{Endpoints: []string{s.Endpoint}, DialTimeout: dial, Logger: zap.NewNop()}
	if s.tls != nil {
		c.TLS = s.tls.Client
	}
	return c
}
