package e2e

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/byova/byova/api/webexfake"
)

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitPort(t *testing.T, addr string) {
	t.Helper()
	waitListening(t, addr, 15*time.Second, nil, "")
}

// waitListening waits up to within for addr to take a connection. When exited closes first
// (the process that should listen ended), it fails at once; either failure shows the file at
// log ("" for none), where that process said why.
func waitListening(t *testing.T, addr string, within time.Duration, exited <-chan struct{}, log string) {
	t.Helper()
	said := func() string {
		if log == "" {
			return ""
		}
		b, _ := os.ReadFile(log)
		return "\n" + string(b)
	}
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return
		}
		select {
		case <-exited:
			t.Fatalf("exited before listening on %s:%s", addr, said())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("nothing listens on %s after %s%s", addr, within, said())
}

// TestServeOverRealSSH runs `byova serve` against the fake and logs in with OpenSSH's client in
// tmux: an operator key gets the console with its name and role, a viewer key sees READ-ONLY,
// /metrics lists every data source, and SIGTERM tells the open session "server stopping".
func TestServeOverRealSSH(t *testing.T) {
	for _, tool := range []string{"tmux", "ssh", "ssh-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed (apt-get install tmux openssh-client): the end-to-end run needs it", tool)
		}
	}
	bin := build(t)
	dir := t.TempDir()
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Close() })
	cr := fake.Creds()

	for _, who := range []string{"alice", "bob"} {
		out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who, "-f", filepath.Join(dir, who)).CombinedOutput()
		if err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
	}
	cfgDir := filepath.Join(dir, "config", "byova")
	os.MkdirAll(cfgDir, 0o700)
	cfg := fmt.Sprintf(`[serve.users.alice]
role = "operator"
keys_file = %q

[serve.users.bob]
role = "viewer"
keys_file = %q
`, filepath.Join(dir, "alice.pub"), filepath.Join(dir, "bob.pub"))
	if err := os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}

	sshAddr, httpAddr := freePort(t), freePort(t)
	srv := exec.Command(bin, "serve", "--ssh-addr", sshAddr, "--http-addr", httpAddr)
	srv.Env = append(os.Environ(),
		"HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_DATA_HOME="+filepath.Join(dir, "data"),
		"XDG_STATE_HOME="+filepath.Join(dir, "state"), "XDG_CACHE_HOME="+filepath.Join(dir, "cache"),
		"WEBEX_BASE_URL="+fake.URL(), "WEBEX_ORG_ID="+cr.OrgID,
		"WEBEX_SA_CLIENT_ID="+cr.ServiceAppClientID, "WEBEX_SA_CLIENT_SECRET="+cr.ServiceAppClientSecret,
		"WEBEX_SA_REFRESH_TOKEN="+cr.ServiceAppRefreshToken)
	logFile, err := os.Create(filepath.Join(dir, "serve.log"))
	if err != nil {
		t.Fatal(err)
	}
	srv.Stdout, srv.Stderr = logFile, logFile
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = srv.Wait(); close(exited) }()
	t.Cleanup(func() {
		select {
		case <-exited:
			return
		default:
		}
		_ = srv.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = srv.Process.Kill()
		}
	})
	waitPort(t, sshAddr)
	waitPort(t, httpAddr)

	// One session per user, and none is killed while the test runs: killing a server's last
	// session shuts the server down, and a new-session right after reached the dying server.
	tm := newTmux(t)
	host, port, _ := net.SplitHostPort(sshAddr)
	sshCmd := func(who string) string {
		return fmt.Sprintf("env HOME=%q TERM=xterm-256color ssh -p %s -i %q -o IdentitiesOnly=yes -o BatchMode=yes "+
			"-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR %s; echo ssh-exit-$?; sleep 60",
			dir, port, filepath.Join(dir, who), host)
	}

	// The viewer first: READ-ONLY, and x only says so.
	x := tm.on("bob")
	x.must("new-session", "-d", "-s", "bob", "-x", "100", "-y", "30", "sh", "-c", sshCmd("bob"))
	s := x.waitFor("bob · viewer")
	if !strings.Contains(s, "READ-ONLY") {
		t.Errorf("the viewer's header lacks READ-ONLY:\n%s", s)
	}
	x.waitFor("Data sources 8")
	x.must("send-keys", "-t", "bob", "q")
	x.waitFor("ssh-exit-0")

	// The operator: name and role, no READ-ONLY; left open for the stop.
	x = tm.on("alice")
	x.must("new-session", "-d", "-s", "alice", "-x", "100", "-y", "30", "sh", "-c", sshCmd("alice"))
	s = x.waitFor("alice · operator")
	if strings.Contains(s, "READ-ONLY") {
		t.Errorf("the operator sees READ-ONLY:\n%s", s)
	}
	x.waitFor("Data sources 8")

	res, err := http.Get("http://" + httpAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if n := strings.Count(string(body), "byova_datasource_token_expiry_timestamp_seconds{"); n != 8 {
		t.Errorf("/metrics has %d data source expiry series, the primary org has 8:\n%s", n, body)
	}

	if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	x.waitFor("server stopping")
	select {
	case <-exited:
		if waitErr != nil {
			log, _ := os.ReadFile(logFile.Name())
			t.Fatalf("byova serve exited with %v after SIGTERM:\n%s", waitErr, log)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("byova serve did not exit after SIGTERM")
	}
}
