package serve

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
	"github.com/byova/byova/ui/uitest"
)

// key is a user's SSH key pair.
type key struct {
	signer gossh.Signer
	line   string // authorized_keys line
}

func newKey(t testing.TB) key {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return key{signer: s, line: strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey())))}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// rig is a started Server on 127.0.0.1 against the fake, with an operator and a viewer.
type rig struct {
	srv              *Server
	fake             *webexfake.Server
	sess             *session.Session
	operator, viewer key
	dataDir          string
	log              *lockedBuffer
}

func newRig(t testing.TB, mutate func(*Options)) *rig {
	t.Helper()
	return newRigWith(t, webexfake.Options{Seed: 1}, mutate)
}

func newRigWith(t testing.TB, fo webexfake.Options, mutate func(*Options)) *rig {
	t.Helper()
	fake, sess := uitest.FakeSession(t, fo)
	cr := fake.Creds()
	if err := sess.SaveToken(config.KindServiceApp, cr.OrgID, cr.ServiceAppClientID, cr.ServiceAppClientSecret,
		api.Token{AccessToken: cr.ServiceAppAccessToken, RefreshToken: cr.ServiceAppRefreshToken, Expiry: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	r := &rig{fake: fake, sess: sess, operator: newKey(t), viewer: newKey(t), dataDir: t.TempDir(), log: &lockedBuffer{}}
	st, err := (&config.Serve{
		SSHAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0",
		Users: map[string]*config.ServeUser{
			"alice": {Role: config.RoleOperator, Keys: []string{r.operator.line}},
			"bob":   {Role: config.RoleViewer, Keys: []string{r.viewer.line}},
		},
	}).Check("config.toml")
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Session: sess, Settings: st, DataDir: r.dataDir, ManualKeeper: true,
		Log: slog.New(slog.NewJSONHandler(r.log, nil))}
	if mutate != nil {
		mutate(&o)
	}
	srv, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	r.srv = srv
	t.Cleanup(func() { _ = srv.Shutdown(t.Context()) })
	fake.ResetRequests()
	return r
}

func (r *rig) dial(t testing.TB, k key) (*gossh.Client, error) {
	t.Helper()
	return r.dialAs(t, k, "root") // the login name is not trusted for anything
}

func (r *rig) dialAs(t testing.TB, k key, user string) (*gossh.Client, error) {
	t.Helper()
	return gossh.Dial("tcp", r.srv.SSHAddr(), &gossh.ClientConfig{
		User:            user,
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(k.signer)},
		HostKeyCallback: gossh.FixedHostKey(r.srv.hostKey.PublicKey()),
		Timeout:         10 * time.Second,
	})
}

// console is an SSH session with a PTY whose output feeds a terminal emulator.
type console struct {
	sess *gossh.Session
	in   io.WriteCloser
	mu   sync.Mutex
	emu  *vt.Emulator
	raw  bytes.Buffer
	done chan struct{}
	// output is signalled (without blocking) whenever output arrives: the benchmarks time
	// a key press to the frame it causes.
	output chan struct{}
}

func (r *rig) open(t testing.TB, k key, w, h int) *console {
	t.Helper()
	return r.openWith(t, k, "root", w, h)
}

// openAs is open at 80x24 with a login name (which tests' middleware can look at).
func (r *rig) openAs(t testing.TB, k key, user string) *console {
	t.Helper()
	return r.openWith(t, k, user, 80, 24)
}

func (r *rig) openWith(t testing.TB, k key, user string, w, h int) *console {
	t.Helper()
	c, err := r.dialAs(t, k, user)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	in, err := s.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	con := &console{sess: s, in: in, emu: vt.NewEmulator(w, h), done: make(chan struct{}), output: make(chan struct{}, 1)}
	s.Stderr = writerFunc(func(p []byte) (int, error) {
		con.mu.Lock()
		defer con.mu.Unlock()
		return con.raw.Write(p)
	})
	go func() {
		defer close(con.done)
		buf := make([]byte, 32<<10)
		for {
			n, err := out.Read(buf)
			if n > 0 {
				con.mu.Lock()
				con.emu.Write(buf[:n])
				con.raw.Write(buf[:n])
				con.mu.Unlock()
				select {
				case con.output <- struct{}{}:
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}()
	// The emulator answers the program's terminal queries on its own reader; drain it.
	go func() { _, _ = io.Copy(io.Discard, con.emu) }()
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	return con
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func (c *console) screen() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.emu.String()
}

func (c *console) rawOutput() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.raw.String()
}

func (c *console) resize(w, h int) error {
	c.mu.Lock()
	c.emu.Resize(w, h)
	c.mu.Unlock()
	return c.sess.WindowChange(h, w)
}

func (c *console) press(t testing.TB, keys string) {
	t.Helper()
	if _, err := c.in.Write([]byte(keys)); err != nil {
		t.Fatal(err)
	}
}

func puts(fake *webexfake.Server) int {
	n := 0
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPut || r.Method == http.MethodPost || r.Method == http.MethodDelete {
			if r.Path != "/v1/access_token" {
				n++
			}
		}
	}
	return n
}

type configUser = config.ServeUserSettings

func usersWith(keys []string) []configUser {
	return []configUser{{Name: "alice", Role: config.RoleOperator, Keys: keys}}
}

// anySeat is one open console's seat (nil when none is open).
func (s *Server) anySeat() *seat {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.seats {
		return st
	}
	return nil
}
