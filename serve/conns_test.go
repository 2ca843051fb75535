package serve

import (
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/byova/byova/ui/uitest"
)

// refusedWith opens a session channel on c and wants it rejected with want, and c closed.
func refusedWith(t *testing.T, c *gossh.Client, want string) {
	t.Helper()
	_, err := c.NewSession()
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("want a refusal with %q, got %v", want, err)
	}
	_ = c.Wait()
}

// Signed-in connections that open no console count against max_sessions: past it, the next
// one is refused and told why; closing one makes room.
func TestConnectionsWithoutConsoleAreCapped(t *testing.T) {
	r := newRig(t, func(o *Options) { o.Settings.MaxSessions, o.Settings.MaxPerKey, o.ConsoleWait = 3, 10, time.Hour })
	var held []*gossh.Client
	for range 3 {
		c, err := r.dial(t, r.operator)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		held = append(held, c)
	}
	for _, k := range []key{r.operator, r.viewer} {
		c, err := r.dial(t, k)
		if err != nil {
			t.Fatal(err)
		}
		refusedWith(t, c, "all 3 SSH connections (max_sessions) are taken")
	}
	if n := strings.Count(r.log.String(), `"result":"full"`); n != 2 {
		t.Errorf("%d refusals logged, want 2:\n%s", n, r.log)
	}
	held[0].Close()
	uitest.WaitFor(t, "the slot to free", func() string { return "" }, func(string) bool {
		r.srv.conns.mu.Lock()
		defer r.srv.conns.mu.Unlock()
		return r.srv.conns.signed == 2
	})
	con := r.open(t, r.viewer, 80, 24)
	uitest.WaitText(t, con.screen, "bob · viewer")
}

// One key holds at most max_connections_per_key connections; another user's key is not
// held back by it.
func TestConnectionsPerKey(t *testing.T) {
	r := newRig(t, func(o *Options) { o.Settings.MaxPerKey, o.ConsoleWait = 2, time.Hour })
	for range 2 {
		c, err := r.dial(t, r.operator)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	c, err := r.dial(t, r.operator)
	if err != nil {
		t.Fatal(err)
	}
	refusedWith(t, c, "alice already has 2 SSH connections open with this key (max_connections_per_key)")
	con := r.open(t, r.viewer, 80, 24)
	uitest.WaitText(t, con.screen, "bob · viewer")
}

// A signed-in connection that never opens a channel is closed at the console wait, and its
// slot given back.
func TestConnectionWithoutConsoleIsClosed(t *testing.T) {
	r := newRig(t, func(o *Options) { o.ConsoleWait = 50 * time.Millisecond })
	c, err := r.dial(t, r.operator)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second): // a bound on a hang, not a wait for quiet
		t.Fatal("the connection without a console is still open after 30 s")
	}
	if !strings.Contains(r.log.String(), `"result":"no_console"`) {
		t.Errorf("the close is not logged:\n%s", r.log)
	}
	uitest.WaitFor(t, "the slot to free", func() string { return "" }, func(string) bool {
		r.srv.conns.mu.Lock()
		defer r.srv.conns.mu.Unlock()
		return r.srv.conns.signed == 0 && r.srv.conns.open == 0
	})
}

// Connections still in their handshake are capped too: past max_sessions + handshakeSlots
// open, a new TCP connection is closed before serve says a word.
func TestHandshakesAreCapped(t *testing.T) {
	r := newRig(t, func(o *Options) { o.Settings.MaxSessions = 1 })
	banner := func(c net.Conn) (string, error) {
		b := make([]byte, 64)
		n, err := io.ReadAtLeast(c, b, 8)
		return string(b[:n]), err
	}
	for i := range 1 + handshakeSlots {
		c, err := net.Dial("tcp", r.srv.SSHAddr())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if s, err := banner(c); err != nil || !strings.HasPrefix(s, "SSH-2.0-byova") {
			t.Fatalf("connection %d: %q, %v", i+1, s, err)
		}
	}
	c, err := net.Dial("tcp", r.srv.SSHAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if s, err := banner(c); err == nil {
		t.Fatalf("the connection past the cap got %q", s)
	}
	if !strings.Contains(r.log.String(), `"event":"ssh_connection","result":"full"`) {
		t.Errorf("the refusal is not logged:\n%s", r.log)
	}
}

// queryOnly is a signer that lets the client ask whether the server takes its public key
// (RFC 4252 §7, no signature) and then never signs: it stands for someone who knows a
// listed public key but not its private key.
type queryOnly struct {
	gossh.Signer
	asked   chan<- struct{}
	release <-chan struct{}
}

func (q queryOnly) Sign(io.Reader, []byte) (*gossh.Signature, error) {
	q.asked <- struct{}{} // the server said yes to the key: its callback ran
	<-q.release
	return nil, errors.New("no private key")
}

// A key that is only offered (asked about, never signed with) takes no connection slot:
// strangers holding a listed public key cannot fill its owner's max_connections_per_key,
// and the owner's own sign-ins are still capped.
func TestOfferedKeyTakesNoSlot(t *testing.T) {
	r := newRig(t, func(o *Options) { o.Settings.MaxPerKey, o.ConsoleWait = 2, time.Hour })
	asked, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	defer wg.Wait()
	defer close(release)
	for range 3 {
		wg.Go(func() {
			c, err := gossh.Dial("tcp", r.srv.SSHAddr(), &gossh.ClientConfig{
				User:            "root",
				Auth:            []gossh.AuthMethod{gossh.PublicKeys(queryOnly{Signer: r.operator.signer, asked: asked, release: release})},
				HostKeyCallback: gossh.FixedHostKey(r.srv.hostKey.PublicKey()),
				Timeout:         10 * time.Second,
			})
			if err == nil {
				c.Close()
				t.Error("a client that never signed got in")
			}
		})
		<-asked
	}
	r.srv.conns.mu.Lock()
	signed, held := r.srv.conns.signed, r.srv.conns.perKey[gossh.FingerprintSHA256(r.operator.signer.PublicKey())]
	r.srv.conns.mu.Unlock()
	if signed != 0 || held != 0 {
		t.Fatalf("three key queries hold %d signed-in slots (%d for the key), want none", signed, held)
	}
	con := r.open(t, r.operator, 80, 24)
	uitest.WaitText(t, con.screen, "alice · operator")
	c, err := r.dial(t, r.operator)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c, err = r.dial(t, r.operator)
	if err != nil {
		t.Fatal(err)
	}
	refusedWith(t, c, "alice already has 2 SSH connections open with this key (max_connections_per_key)")
}
