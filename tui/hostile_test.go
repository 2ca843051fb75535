package tui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/config"
	"github.com/byova/byova/safetext/hostile"
	"github.com/byova/byova/session"
	fixture "github.com/byova/byova/ui/uitest"
)

// hostileSession is signed in to the hostile Webex with a Service App token and a caller.
func hostileSession(t *testing.T, baseURL string) *session.Session {
	t.Helper()
	dir := t.TempDir()
	store := config.NewStore(filepath.Join(dir, "tokens.json"))
	err := store.Update(func(tk *config.Tokens) error {
		ps := tk.Profile("default")
		ps.Orgs[fixture.Org] = &config.Token{Kind: config.KindServiceApp, Org: fixture.Org, AccessToken: "hostile-access-token",
			Expiry: fixture.Now.Add(45 * time.Minute)}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st := config.Settings{Profile: "default", BaseURL: baseURL, Org: fixture.Org, AccessToken: "hostile-caller", Source: map[string]string{}}
	s, err := session.New(st, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.AuditPath = filepath.Join(dir, "audit.log")
	return s
}

// TestHostileWebexNeverReachesTheTerminalRaw walks every screen at 80x24 over a Webex whose
// every string carries escape sequences, controls and bidi overrides, in colour and without:
// the frame holds no ESC but byova's own SGR, no BEL, C1 or bidi control, and the detail view
// shows a url with a CR in it on one line.
func TestHostileWebexNeverReachesTheTerminalRaw(t *testing.T) {
	srv := hostile.NewServer()
	defer srv.Close()
	for _, colour := range []bool{true, false} {
		name := "colour"
		if !colour {
			name = "NO_COLOR"
		}
		t.Run(name, func(t *testing.T) {
			srv.Fail(hostile.NoFault)
			d := newDriver(t, Options{Session: hostileSession(t, srv.URL+"/v1"), NoColor: !colour}, 80, 24)
			check := func(step string) {
				t.Helper()
				frame := d.m.View().Content // SGR only: bold and colours, byova's own
				if !colour {
					frame = d.frame() // as the terminal receives it: bold at most
				}
				if bad := hostile.Problems(frame, true); len(bad) > 0 {
					t.Errorf("%s: %d raw controls, first: %s\n%s", step, len(bad), bad[0], d.plain())
				}
				d.checkFits()
			}
			shows := func(step string, want ...string) {
				t.Helper()
				check(step)
				p := d.plain()
				for _, w := range want {
					if !strings.Contains(p, w) {
						t.Errorf("%s: screen lacks %q:\n%s", step, w, p)
					}
				}
			}
			shows("data sources list", `aud\x1b]52;c`)
			d.press("enter")
			shows("data source detail", `\u009b2J`, `\u202egnp`)
			d.press("G")
			check("data source detail, end (JWS claims)")
			d.press("esc", "e")
			check("edit form")
			d.press("esc", "x")
			check("extend confirm")
			d.press("n", "d")
			check("delete confirm")
			d.press("n", "j", "enter")
			shows("detail of the CR url")
			if !strings.Contains(d.plain(), `https://real.example/a\rhttps://fake.example/b`) {
				t.Errorf("the url with a CR is not on one line:\n%s", d.plain())
			}
			d.press("esc", "2")
			shows("schemas list", `VoiceVirtualAgent\x1b]52`)
			d.press("enter")
			shows("schema detail", "line two")
			d.press("esc", "3")
			shows("webhooks list", `name\x1b]52`)
			d.press("enter")
			check("webhook detail")
			d.press("esc", "e")
			check("webhook edit form")
			d.press("esc", "d")
			check("webhook delete confirm")
			d.press("y")
			shows("webhook delete refused", `message\x1b]52`)
			d.press("esc", "4")
			check("auth & orgs")
			d.press("o")
			check("org picker")
			d.press("esc", "1")

			srv.Fail(hostile.JSONError)
			d.press("r")
			shows("JSON error banner", `message\x1b]52`)
			srv.Fail(hostile.HTMLError)
			d.press("esc", "r")
			shows("HTML error banner", `<title>502\x1b]52`)
			d.press("esc", "3", "r")
			check("webhooks error")
			srv.Fail(hostile.NoFault)
		})
	}
}
