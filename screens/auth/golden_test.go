package auth_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
	"github.com/byova/byova/signin"
	fixture "github.com/byova/byova/ui/uitest"
)

// Fixed credentials of the golden views (made up; none is a fake's).
const (
	goldenIntegrationID = "C86f5e5c0ffee1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70819aa"
	goldenSAID          = "Cf2e954e018f2de8c1403e2618323551df65"
	goldenOtherOrg      = "7c1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6"
	goldenState         = "golden-state-0123456789"
	goldenBase          = "http://127.0.0.1:9/v1" // nothing answers: the views need no Webex
)

// goldenSession has one token of each kind, around the fixture clock.
func goldenSession(t *testing.T, redirect string, readOnly bool) *session.Session {
	t.Helper()
	dir := isolate(t)
	now := fixture.Now
	s := newSession(t, dir, goldenBase, func(st *config.Settings) {
		st.Org, st.ReadOnly = fixture.Org, readOnly
		st.IntegrationClientID, st.IntegrationClientSecret, st.IntegrationRedirectURI = goldenIntegrationID, "golden-integration-secret-0123456789", redirect
		st.ServiceAppClientID, st.ServiceAppClientSecret = goldenSAID, "golden-sa-secret-0123456789abcdef"
	})
	err := s.Store.Update(func(tk *config.Tokens) error {
		ps := tk.Profile("default")
		ps.Integration = &config.Token{Kind: config.KindIntegration, ClientID: goldenIntegrationID, AccessToken: "golden-integration-access",
			RefreshToken: "golden-integration-refresh", Expiry: now.Add(50 * time.Minute), RefreshExpiry: now.Add(89*24*time.Hour + 5*time.Hour),
			Scopes: api.DefaultIntegrationScopes, ObtainedAt: now.Add(-10 * time.Minute)}
		ps.PAT = &config.Token{Kind: config.KindPAT, AccessToken: "golden-pat", ObtainedAt: now.Add(-2 * time.Hour)}
		ps.Orgs[fixture.Org] = &config.Token{Kind: config.KindServiceApp, Org: fixture.Org, ClientID: goldenSAID, AccessToken: "golden-sa-access",
			RefreshToken: "golden-sa-refresh", Expiry: now.Add(45 * time.Minute), RefreshExpiry: now.Add(60 * 24 * time.Hour),
			Scopes: api.ServiceAppScopes, ObtainedAt: now.Add(-15 * time.Minute)}
		ps.Orgs[goldenOtherOrg] = &config.Token{Kind: config.KindServiceApp, Org: goldenOtherOrg, ClientID: goldenSAID, AccessToken: "golden-sa-access-2",
			RefreshToken: "golden-sa-refresh-2", Expiry: now.Add(-5 * time.Minute), RefreshExpiry: now.Add(3 * 24 * time.Hour),
			Scopes: api.ServiceAppScopes, ObtainedAt: now.Add(-65 * time.Minute)}
		ps.ClientSecrets[goldenIntegrationID] = "golden-integration-secret-0123456789"
		ps.ClientSecrets[goldenSAID] = "golden-sa-secret-0123456789abcdef"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = config.UpdateFile(s.ConfigPath, func(f *config.File) error {
		p := f.Profile("default")
		p.RememberOrg("0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0") // remembered, no token
		p.RememberOrg(fixture.Org)
		f.Profile("sandbox").BaseURL = "https://integration.webexapis.com/v1"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestGolden renders the auth & orgs screen and the wizard's steps at 80x24 and 120x40
// without colour and with the fixture clock. Regenerate: go test ./screens/auth -run TestGolden -update
func TestGolden(t *testing.T) {
	enterForm := func(d *driver) { d.press("enter", "enter", "enter", "enter") }
	// waitForBrowser is enterForm where byova then listens for the browser's redirect.
	// until is what the screen shows once the listener waits.
	waitForBrowser := func(d *driver, until string) {
		d.press("enter", "enter", "enter")
		d.Send(fixture.Key("enter"))
		d.SettleUntil(func() bool { return strings.Contains(d.plain(), until) })
		d.Waiting(1) // the listener, until the test's end
		d.settle()
	}
	views := []struct {
		name     string
		readOnly bool
		env      signin.Env
		redirect string // "" → a free loopback port, shown as PPPPP
		setup    func(d *driver)
	}{
		{name: "screen", setup: func(d *driver) { d.press("4") }},
		{name: "screen_org_selected", setup: func(d *driver) { d.press("4", "j", "j") }},
		{name: "screen_readonly", readOnly: true, setup: func(d *driver) { d.press("4", "G") }},
		{name: "picker", setup: func(d *driver) { d.press("o") }},
		{name: "logout_confirm", setup: func(d *driver) { d.press("4", "j", "j", "d") }},
		{name: "wizard_method", setup: func(d *driver) { d.press("4", "n") }},
		{name: "wizard_integration", setup: func(d *driver) { d.press("4", "n", "enter") }},
		{name: "wizard_wait", env: signin.Env{Getenv: envs("DISPLAY", ":0"), GOOS: "linux", OpenURL: func(string) error { return nil }},
			setup: func(d *driver) { d.press("4", "n", "enter"); waitForBrowser(d, "opened in your browser") }},
		{name: "wizard_wait_ssh", env: signin.Env{Getenv: envs("SSH_TTY", "/dev/pts/3")},
			setup: func(d *driver) { d.press("4", "n", "enter"); waitForBrowser(d, "is waiting for the browser") }},
		{name: "wizard_wait_no_listener", redirect: "https://byova.example.com/oauth/callback",
			setup: func(d *driver) { d.press("4", "n", "enter"); enterForm(d) }},
		{name: "wizard_state_mismatch", setup: func(d *driver) {
			d.press("4", "n", "enter")
			waitForBrowser(d, "is waiting for the browser")
			d.typeText("http://127.0.0.1:1234/callback?code=abc&state=not-this-attempt")
			d.press("enter")
		}},
		{name: "wizard_pat", setup: func(d *driver) { d.press("4", "n", "down", "enter"); d.typeText("secret-typed-here") }},
		{name: "wizard_service_app", setup: func(d *driver) { d.press("4", "n", "down", "down", "enter") }},
		{name: "wizard_service_app_invalid_org", setup: func(d *driver) {
			d.press("4", "n", "down", "down", "enter", "enter", "enter")
			d.typeText("not-an-org")
			d.press("enter")
		}},
		{name: "wizard_refresh_token", setup: func(d *driver) {
			d.press("4", "n", "down", "down", "enter", "enter", "enter")
			d.typeText(goldenOtherOrg)
			d.press("enter", "down", "enter")
		}},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, v := range views {
			t.Run(fmt.Sprintf("%s_%dx%d", v.name, size[0], size[1]), func(t *testing.T) {
				redirect, port := v.redirect, ""
				if redirect == "" {
					redirect, port = freeRedirect(t)
				}
				env := v.env
				env.NewState = func() string { return goldenState }
				d := newDriver(t, goldenSession(t, redirect, v.readOnly), env, size[0], size[1])
				v.setup(d)
				d.checkFits()
				frame := d.frame()
				if port != "" {
					frame = strings.ReplaceAll(frame, port, "PPPPP")
				}
				golden.RequireEqual(t, frame)
			})
		}
	}
}
