package auth

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/signin"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
	fixture "github.com/byova/byova/ui/uitest"
)

// waitingWizard is a wizard showing the authorize address. listening: a browser can be
// opened and the redirect is listened for, so the paste field starts without focus (p or a
// paste opens it); otherwise (over SSH) it has the focus from the start.
func waitingWizard(t *testing.T, listening bool) *Wizard {
	t.Helper()
	c := common.New(context.Background(), nil, styles.New(true), nil, fixture.Clock)
	env := signin.Env{Getenv: getenv("SSH_CONNECTION", "10.0.0.2 5555 10.0.0.1 22"), GOOS: "linux"}
	if listening {
		env = signin.Env{Getenv: getenv("DISPLAY", ":0"), GOOS: "linux", OpenURL: func(string) error { return nil }}
	}
	w := NewWizard(c, env, signin.MethodIntegration)
	w.SetSize(100, 30)
	a := &signin.OAuthAttempt{Client: api.OAuthClient{RedirectURI: "http://127.0.0.1:8765/callback"},
		URL: "https://webexapis.com/v1/authorize?client_id=C1&state=s1", ListenErr: context.Canceled}
	w.attempt, w.step = a, wizWait
	w.pasting = !listening
	if w.pasting {
		w.paste.Focus()
	}
	return w
}

func getenv(k, v string) func(string) string {
	return func(key string) string {
		if key == k {
			return v
		}
		return ""
	}
}

const pasted = "http://127.0.0.1:8765/callback?code=abc&state=s1"

// Issue 11, bug 3: "press p (or just paste)" keeps a bracketed paste, keeps the leading
// "http" of a paste that arrives as keys, and c copies the address rather than typing c.
func TestWizardPasteKeepsTheAddress(t *testing.T) {
	t.Run("bracketed", func(t *testing.T) {
		w := waitingWizard(t, true)
		w.Update(tea.PasteMsg{Content: pasted})
		if got := w.paste.Value(); got != pasted {
			t.Fatalf("a bracketed paste must land whole, got %q", got)
		}
	})
	t.Run("as keys", func(t *testing.T) {
		w := waitingWizard(t, true)
		for _, k := range fixture.Type(pasted) {
			w.Update(k)
		}
		if got := w.paste.Value(); got != pasted {
			t.Fatalf("a paste typed as keys must keep its start, got %q", got)
		}
	})
	for _, listening := range []bool{true, false} {
		w := waitingWizard(t, listening)
		msgs := fixture.Run(w.Update(fixture.Key("c")))
		if w.paste.Value() != "" {
			t.Fatalf("listening %v: c must not type into the field: %q", listening, w.paste.Value())
		}
		n, ok := fixture.Find[common.NoticeMsg](msgs)
		if !ok || !strings.Contains(n.Text, "sign-in address") {
			t.Fatalf("listening %v: c copies the address: %v", listening, msgs)
		}
	}
}

// Issue 11, bug 11: `byova auth login` (drawn inline) prints the authorize address above the
// wizard as one unbroken line, for the terminal to wrap, and does not draw it cut in pieces.
func TestLoginPrintsTheAddressUnbroken(t *testing.T) {
	w := waitingWizard(t, false)
	w.PrintAddressAbove()
	long := "https://webexapis.com/v1/authorize?client_id=" + strings.Repeat("C0ffee", 30) + "&state=s1"
	a := &signin.OAuthAttempt{Client: api.OAuthClient{RedirectURI: "http://127.0.0.1:8765/callback"}, URL: long, ListenErr: context.Canceled}
	printed := false
	for _, m := range fixture.Run(w.waitFor(a)) {
		printed = printed || strings.Contains(fmt.Sprint(m), long)
	}
	if !printed {
		t.Fatal("the address must be printed above, whole")
	}
	if v := w.View(); strings.Contains(v, long[:60]) {
		t.Fatalf("the wizard must not draw the address cut into lines:\n%s", v)
	}
}

// In the full-screen app the wizard asks the app to leave the full screen while the address
// shows, prints the address there once it has (a frame later), and lets the app go back when
// the step ends.
func TestAppPrintsTheAddressInTheNormalScreen(t *testing.T) {
	w := waitingWizard(t, false)
	w.attempt, w.step = nil, wizBusy
	if w.WantsNormalScreen() {
		t.Fatal("no address yet: the app keeps the full screen")
	}
	long := "https://webexapis.com/v1/authorize?client_id=" + strings.Repeat("C0ffee", 30) + "&state=s1"
	a := &signin.OAuthAttempt{Client: api.OAuthClient{RedirectURI: "http://127.0.0.1:8765/callback"}, URL: long, ListenErr: context.Canceled}
	for _, m := range fixture.Run(w.waitFor(a)) {
		if strings.Contains(fmt.Sprint(m), long) {
			t.Fatal("printed before the app has left the full screen: it would be lost")
		}
	}
	if !w.WantsNormalScreen() {
		t.Fatal("the address shows: the app must leave the full screen")
	}
	if v := w.View(); strings.Contains(v, long[:60]) || !strings.Contains(v, "printed above") {
		t.Fatalf("the wizard must point at the address printed above, not draw it cut:\n%s", v)
	}
	printed := false
	for _, m := range fixture.Run(w.Update(printAddressMsg{w: w, gen: w.gen})) {
		printed = printed || strings.Contains(fmt.Sprint(m), long)
	}
	if !printed {
		t.Fatal("the address must be printed above, whole")
	}
	if stale := w.Update(printAddressMsg{w: w, gen: w.gen - 1}); stale != nil {
		t.Fatal("an older attempt's address was printed")
	}
	w.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
	if w.WantsNormalScreen() {
		t.Fatal("the step ended: the app goes back to the full screen")
	}
}
