package serve

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"

	"github.com/byova/byova/tui"
	"github.com/byova/byova/ui/uitest"
)

// panicky is the real console that panics on ! in Update and in a command on @.
type panicky struct{ tea.Model }

func (p panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "!":
			panic("boom in update")
		case "@":
			return p, func() tea.Msg { panic("boom in a command") }
		}
	}
	m, cmd := p.Model.Update(msg)
	p.Model = m
	return p, cmd
}

// A panic in one session ends that session only: it is logged with the user, the client is
// told, its seat is given back, and the other consoles and new ones go on.
func TestPanicEndsOnlyItsSession(t *testing.T) {
	var viewerKey string
	r := newRig(t, func(o *Options) {
		o.inject = func(next ssh.Handler) ssh.Handler {
			return func(sess ssh.Session) {
				if string(sess.PublicKey().Marshal()) == viewerKey && strings.Contains(sess.User(), "panic") {
					panic("boom in a handler")
				}
				next(sess)
			}
		}
		o.newModel = func(o tui.Options) tea.Model { return panicky{tui.New(o)} }
		o.Settings.MaxPerKey = 10 // the test keeps its ended connections
	})
	viewerKey = string(r.viewer.signer.PublicKey().Marshal())
	alice := r.open(t, r.operator, 80, 24)
	uitest.WaitText(t, alice.screen, "alice · operator")

	for _, keys := range []string{"!", "@"} {
		bob := r.open(t, r.viewer, 80, 24)
		uitest.WaitText(t, bob.screen, "bob · viewer")
		bob.press(t, keys)
		_ = bob.sess.Wait()
		<-bob.done
		if out := bob.rawOutput(); !strings.Contains(out, "this console hit an internal error") {
			t.Errorf("%s: the session ended with %q", keys, out[max(0, len(out)-200):])
		}
	}
	// A panic before the program (in a handler) is caught the same way.
	bob := r.openAs(t, r.viewer, "panic")
	_ = bob.sess.Wait()
	<-bob.done
	if out := bob.rawOutput(); !strings.Contains(out, "this console hit an internal error") {
		t.Errorf("handler: the session ended with %q", out)
	}
	log := r.log.String()
	for _, in := range []string{`"in":"update"`, `"in":"command"`, `"in":"handler"`} {
		if !strings.Contains(log, in) || !strings.Contains(log, `"panic":"boom in`) {
			t.Errorf("no panic line %s:\n%s", in, log)
		}
	}
	if strings.Count(log, `"result":"panic","in":"update","user":"bob"`) != 1 {
		t.Errorf("the update panic is not logged once with bob:\n%s", log)
	}

	// alice's console still answers, a new console opens, and only alice holds a seat.
	alice.press(t, "4")
	uitest.WaitText(t, alice.screen, "Auth & orgs")
	again := r.open(t, r.viewer, 80, 24)
	uitest.WaitText(t, again.screen, "bob · viewer")
	r.srv.mu.Lock()
	seats := len(r.srv.seats)
	r.srv.mu.Unlock()
	if seats != 2 {
		t.Errorf("%d seats taken, want alice's and the new one", seats)
	}
}
