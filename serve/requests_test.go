package serve

import (
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/byova/byova/ui/uitest"
)

// Only pty-req, window-change and shell are answered yes on a session channel: env and agent
// forwarding (which the SSH library says yes to on its own), X11 and made-up requests are
// refused, before and after the console opens, and the console still works.
func TestSessionRequestsOtherThanTheConsoleAreRefused(t *testing.T) {
	r := newRig(t, nil)
	c, err := r.dial(t, r.operator)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	env := gossh.Marshal(struct{ Name, Value string }{"LD_PRELOAD", "/tmp/x.so"})
	x11 := gossh.Marshal(struct {
		Single        bool
		Proto, Cookie string
		Screen        uint32
	}{false, "MIT-MAGIC-COOKIE-1", "00", 0})
	refused := []struct {
		kind    string
		payload []byte
	}{
		{"env", env},
		{"auth-agent-req@openssh.com", nil},
		{"x11-req", x11},
		{"byova-made-up@example.com", nil},
	}
	ask := func(when string) {
		t.Helper()
		for _, q := range refused {
			ok, err := s.SendRequest(q.kind, true, q.payload)
			if err != nil {
				t.Fatalf("%s %s: %v", when, q.kind, err)
			}
			if ok {
				t.Errorf("%s: %s was answered yes", when, q.kind)
			}
		}
	}
	ask("before the pty")
	if err := s.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatalf("pty-req refused: %v", err)
	}
	ask("after the pty")
	out := &lockedBuffer{}
	s.Stdout = out
	if err := s.Shell(); err != nil {
		t.Fatalf("shell refused: %v", err)
	}
	ask("with the console open")
	uitest.WaitText(t, out.String, "alice")
	if ok, err := s.SendRequest("window-change", true, gossh.Marshal(struct{ W, H, PW, PH uint32 }{100, 30, 0, 0})); err != nil || !ok {
		t.Errorf("window-change: %v %v", ok, err)
	}
	if n := strings.Count(r.log.String(), `"event":"ssh_refused"`); n < 3*len(refused) {
		t.Errorf("%d refusals logged, want %d:\n%s", n, 3*len(refused), r.log)
	}
}
