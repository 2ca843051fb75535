package webhooks_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/config/xdgtest"
	"github.com/byova/byova/session"
	"github.com/byova/byova/tui"
	fixture "github.com/byova/byova/ui/uitest"
)

// These tests run the real root with the screens as registered, against webexfake: the keys
// reach the screens, both reload on an org switch, and no screen shows a secret in full.

type rootJourney struct {
	*fixture.Program[*tui.Model]
	t  *testing.T
	tm *teatest.TestModel
}

func startRoot(t *testing.T, opts webexfake.Options) (*webexfake.Server, *session.Session, *rootJourney) {
	t.Helper()
	dir := xdgtest.Isolate(t)
	fake := webexfake.New(opts)
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fake.Close() })
	cr := fake.Creds()
	st := config.Settings{Profile: "default", BaseURL: fake.URL(), Org: cr.OrgID,
		ServiceAppClientID: cr.ServiceAppClientID, ServiceAppClientSecret: cr.ServiceAppClientSecret,
		ServiceAppRefreshToken: cr.ServiceAppRefreshToken, AccessToken: cr.PersonalAccessToken, Source: map[string]string{}}
	s, err := session.New(st, config.NewStore(filepath.Join(dir, "tokens.json")), nil)
	if err != nil {
		t.Fatal(err)
	}
	s.AuditPath = filepath.Join(dir, "audit.log")
	o := tui.Options{Session: s, Demo: true, NoColor: true}
	p := fixture.StartProgram(t, tui.New(o), 100, 30, tui.ProgramOptions(context.Background(), o)...)
	return fake, s, &rootJourney{Program: p, t: t, tm: p.TM}
}

// Idle waits until every command has answered.
func (j *rootJourney) Idle() { j.t.Helper(); j.Settle() }

func gets(fake *webexfake.Server, path string) int {
	n := 0
	for _, r := range fake.Requests() {
		if r.Method == http.MethodGet && strings.TrimSuffix(r.Path, "/") == path {
			n++
		}
	}
	return n
}

func TestRootScreensAndOrgSwitch(t *testing.T) {
	fake, s, j := startRoot(t, webexfake.Options{Seed: 1})
	j.WaitText("Data sources 8")
	j.Idle()
	j.Press("2")
	// The schemas screen's first load waits for the data sources' (the first frame's) answer, so
	// it finds the schemas that load fetched in the cache: one GET of them at start, not two.
	j.WaitText("[2 Schemas]", "Schemas 5", "cached just now")
	if n := gets(fake, "/v1/dataSources/schemas"); n != 1 {
		t.Fatalf("%d schema GETs at start, want 1", n)
	}
	j.Press("3")
	j.WaitText("[3 Webhooks]", "Webhooks 4", "✗ 1 inactive")
	// Keys reach the screen; q inside a form types, it does not quit.
	j.Press("n")
	j.WaitText("Create a webhook")
	j.Press("q", "esc", "y") // esc asks before discarding the q typed
	j.WaitText("Webhooks 4")
	if n := gets(fake, "/v1/webhooks"); n != 1 {
		t.Fatalf("%d webhook GETs at start, want 1", n)
	}

	// An org switch: both screens start over; schemas come from the cache this time.
	other := fake.Creds().OtherOrgID
	var cmd tea.Cmd
	j.Inspect(func(m *tui.Model) { cmd = m.Common().SwitchOrg(other) })
	j.tm.Send(cmd())
	j.Idle()
	j.WaitText("Webhooks 4")
	if n := gets(fake, "/v1/webhooks"); n != 2 {
		t.Fatalf("the webhooks screen reloads on an org switch: %d GETs", n)
	}
	j.Press("2")
	j.WaitText("Schemas 5", "cached")
	var cur string
	j.Inspect(func(m *tui.Model) { cur = m.Common().Session.Settings.Org })
	if cur != other || s.Settings.Org == other {
		t.Fatalf("the switch makes a new session value in %q; the old one stays in its org, not %q", other, s.Settings.Org)
	}
	j.Press("q")
	j.tm.WaitFinished(t, teatest.WithFinalTimeout(fixture.Patience))
}

// TestRootNoSecretInFull renders the schemas and webhooks screens' states inside the real root
// (header, banner, footer, help) and searches every frame for the fake's secrets.
func TestRootNoSecretInFull(t *testing.T) {
	fake, s, j := startRoot(t, webexfake.Options{Seed: 3})
	cr := fake.Creds()
	secrets := []string{cr.PersonalAccessToken, cr.IntegrationClientSecret, cr.IntegrationAccessToken, cr.IntegrationRefreshToken,
		cr.ServiceAppClientSecret, cr.ServiceAppAccessToken, cr.ServiceAppRefreshToken, cr.OtherOrgServiceAppRefreshToken}
	cl, err := s.Caller()
	if err != nil {
		t.Fatal(err)
	}
	hooks, err := cl.ListWebhooks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hooks {
		if h.Secret != "" {
			secrets = append(secrets, h.Secret)
		}
	}
	var frames []string
	snap := func() { j.Idle(); frames = append(frames, j.Screen()) }
	j.WaitText("Data sources 8")
	snap()
	j.Press("2")
	j.WaitText("Schemas 5")
	snap()
	for range 5 {
		j.Press("enter")
		snap()
		j.Press("esc", "j")
	}
	j.Press("?")
	snap()
	j.Press("esc", "3")
	j.WaitText("Webhooks 4")
	snap()
	for range 4 {
		j.Press("enter")
		snap()
		j.Press("e")
		snap()
		j.Press("esc", "d")
		snap()
		j.Press("n", "esc", "j")
	}
	j.Press("?")
	snap()
	j.Press("esc", "E", "enter", "enter")
	j.WaitText("y/enter ensure") // keys typed ahead never confirm: the dialog must be up
	snap()
	j.Press("y")
	j.WaitText("Nothing to do")
	snap()
	j.Press("esc")
	fake.InjectFault(webexfake.Fault{Method: http.MethodGet, Path: "/v1/webhooks", Status: 403, Message: "lacks scope"})
	j.Press("r")
	j.WaitText("failed")
	snap()
	for i, f := range frames {
		for _, sec := range secrets {
			if sec != "" && strings.Contains(f, sec) {
				t.Errorf("frame %d shows a secret in full (…%s):\n%s", i, sec[len(sec)-4:], f)
			}
		}
	}
	if len(frames) < 25 {
		t.Fatalf("only %d frames", len(frames))
	}
}
