package auth_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/screens/auth"
	"github.com/byova/byova/session"
	"github.com/byova/byova/signin"
	"github.com/byova/byova/tui"
	fixture "github.com/byova/byova/ui/uitest"
)

// integrationSession is a session that knows the fake's Integration (as if from the
// WEBEX_INTEGRATION_* variables) with a redirect URI on a free loopback port, and nothing else.
func integrationSession(t *testing.T, fake *webexfake.Server) *session.Session {
	t.Helper()
	dir := isolate(t)
	cr := fake.Creds()
	redirect, _ := freeRedirect(t)
	return newSession(t, dir, fake.URL(), func(st *config.Settings) {
		st.IntegrationClientID, st.IntegrationClientSecret, st.IntegrationRedirectURI = cr.IntegrationClientID, cr.IntegrationClientSecret, redirect
	})
}

// openIntegration opens the wizard and accepts the prefilled Integration form.
func openIntegration(j *journey) {
	j.press("4")
	j.waitText("[4 Auth & orgs]", "Not signed in yet")
	j.press("n")
	j.waitText("How do you want to sign in?")
	j.press("enter") // Integration is the first choice
	j.waitText("Sign in with your Integration (OAuth)", "Client ID")
	j.press("enter", "enter", "enter", "enter")
}

func TestOAuthThroughListener(t *testing.T) {
	fake := startFake(t)
	s := integrationSession(t, fake)
	env := signin.Env{Getenv: envs("DISPLAY", ":0"), GOOS: "linux", OpenURL: browserFollows(t, nil)}
	j := startJourney(t, s, env, 100, 30)
	openIntegration(j)
	scr := j.waitText("Signed in with the Integration as", "Ken Thompson", "refreshed on its own", "Next:")
	if strings.Contains(scr, fake.Creds().IntegrationClientSecret) {
		t.Fatal("the client secret is on screen")
	}
	ps := stored(t, s)
	cr := fake.Creds()
	if ps.Integration == nil || ps.Integration.AccessToken == "" || ps.Integration.RefreshToken == "" ||
		ps.Integration.ClientID != cr.IntegrationClientID || ps.ClientSecrets[cr.IntegrationClientID] != cr.IntegrationClientSecret {
		t.Fatalf("stored: %+v", ps)
	}
	if got, _ := fake.TokenScopes(ps.Integration.AccessToken); strings.Join(got, " ") != strings.Join(api.DefaultIntegrationScopes, " ") {
		t.Errorf("token scopes %v", got)
	}
	conf := settingsFile(t, s)
	if !strings.Contains(conf, cr.IntegrationClientID) || !strings.Contains(conf, s.Settings.IntegrationRedirectURI) ||
		strings.Contains(conf, cr.IntegrationClientSecret) {
		t.Fatalf("config.toml:\n%s", conf)
	}
	j.press("enter")
	j.waitText("integration", "1 credential", "KIND") // the list again (the footer has the notice for a while)
	j.quit()
}

func TestOAuthStateMismatch(t *testing.T) {
	fake := startFake(t)
	s := integrationSession(t, fake)
	forge := func(u string) string {
		p, _ := url.Parse(u)
		q := p.Query()
		q.Set("state", "someone-elses-state")
		p.RawQuery = q.Encode()
		return p.String()
	}
	env := signin.Env{Getenv: envs("DISPLAY", ":0"), GOOS: "linux", OpenURL: browserFollows(t, forge)}
	j := startJourney(t, s, env, 100, 30)
	openIntegration(j)
	j.waitText("state does not match this sign-in", "nothing was stored", "enter try again")
	if ps := stored(t, s); ps.Integration != nil {
		t.Fatal("nothing may be stored after a state mismatch")
	}
	j.quit()
}

func TestOAuthDenied(t *testing.T) {
	fake := startFake(t)
	fake.DenyNextAuthorize()
	s := integrationSession(t, fake)
	env := signin.Env{Getenv: envs("DISPLAY", ":0"), GOOS: "linux", OpenURL: browserFollows(t, nil)}
	j := startJourney(t, s, env, 100, 30)
	openIntegration(j)
	j.waitText("Webex did not grant access (access_denied)", "declined in the browser")
	// Trying again works: the denial was for one request only.
	j.press("enter")
	j.waitText("Client ID")
	j.press("enter", "enter", "enter", "enter")
	j.waitText("Signed in with the Integration")
	j.quit()
}

func TestOAuthTimeout(t *testing.T) {
	fake := startFake(t)
	s := integrationSession(t, fake)
	env := signin.Env{Getenv: envs("DISPLAY", ":0"), GOOS: "linux", Timeout: 300 * time.Millisecond,
		OpenURL: func(string) error { return nil }} // the browser never comes back
	j := startJourney(t, s, env, 100, 30)
	openIntegration(j)
	j.waitText("No answer from the browser in time")
	j.press("esc")
	j.waitText("Not signed in yet", "nothing was stored")
	j.quit()
}

// TestOAuthPaste is the SSH path: no browser is opened, the paste field has the focus, and the
// person pastes where the browser landed.
func TestOAuthPaste(t *testing.T) {
	fake := startFake(t)
	s := integrationSession(t, fake)
	opened := false
	env := signin.Env{Getenv: envs("SSH_CONNECTION", "10.0.0.2 5555 10.0.0.1 22", "DISPLAY", ":0"), GOOS: "linux",
		NewState: func() string { return "fixed-state-for-test" }, OpenURL: func(string) error { opened = true; return nil }}
	authorizeURL := s.Anonymous().AuthorizeURL(s.Integration(), "fixed-state-for-test")
	oc := s.Integration()
	oc.RedirectURI = s.Settings.IntegrationRedirectURI

	j := startJourney(t, s, env, 100, 30)
	openIntegration(j)
	j.waitText("over SSH: open it on your own computer", "Then paste the address", "ssh -L")
	if opened {
		t.Fatal("no browser may be opened over SSH")
	}
	j.paste("not an address")
	j.press("enter")
	j.waitText("has ?code=")

	addr := redirectOf(t, authorizeURL)
	j.press("ctrl+u") // clear the field
	for range 20 {
		j.press("backspace")
	}
	j.paste(addr)
	j.press("enter")
	j.waitText("Signed in with the Integration")
	if stored(t, s).Integration == nil {
		t.Fatal("no Integration token stored")
	}

	// The same address again: the code was used.
	{
		j.press("enter", "n", "enter")
		j.waitText("Client ID")
		j.press("enter", "enter", "enter", "enter")
		j.waitText("Then paste the address")
		j.paste(addr)
		j.press("enter")
		j.waitText("Webex refused the code: it expired or was already used")
		j.press("esc")
	}
	// A fresh code that expired before it was pasted.
	{
		j.waitText("KIND", "EXPIRES IN") // the list again
		j.press("n", "enter")
		j.waitText("Client ID")
		j.press("enter", "enter", "enter", "enter")
		j.waitText("Then paste the address")
		fresh := redirectOf(t, authorizeURL)
		fake.ExpireAuthorizationCodes()
		j.paste(fresh)
		j.press("enter")
		j.waitText("Webex refused the code: it expired or was already used", "start again")
		j.press("esc")
	}
	// A denial, pasted.
	{
		j.waitText("KIND", "EXPIRES IN") // the list again
		j.press("n", "enter")
		j.waitText("Client ID")
		j.press("enter", "enter", "enter", "enter")
		j.waitText("Then paste the address")
		fake.DenyNextAuthorize()
		j.paste(redirectOf(t, authorizeURL))
		j.press("enter")
		j.waitText("Webex did not grant access (access_denied)")
		j.press("esc")
	}
	j.quit()
}

func TestPAT(t *testing.T) {
	fake := startFake(t)
	dir := isolate(t)
	s := newSession(t, dir, fake.URL(), nil)
	j := startJourney(t, s, signin.Env{}, 100, 30)
	j.press("4", "n")
	j.waitText("How do you want to sign in?")
	j.press("down", "enter")
	j.waitText("Sign in with a personal access token", "Token")
	j.typeText("not-a-real-token")
	j.press("enter")
	j.waitText("Webex rejected this personal access token; it was not stored", "Copy a fresh one")
	if stored(t, s).PAT != nil {
		t.Fatal("a rejected token must not be stored")
	}
	j.press("enter") // try again: the field is empty
	j.waitText("Sign in with a personal access token")
	j.paste(fake.Creds().PersonalAccessToken)
	j.press("enter")
	j.waitText("Signed in with a personal access token as Ken Thompson")
	if ps := stored(t, s); ps.PAT == nil || ps.PAT.AccessToken != fake.Creds().PersonalAccessToken {
		t.Fatalf("stored %+v", ps.PAT)
	}
	j.press("enter")
	j.waitText("pat", "≤11h59m", "cannot") // minutes round down: an upper bound just under 12 h
	j.quit()
}

// TestServiceAppViaCaller adds the other org with the caller token (WEBEX_ACCESS_TOKEN): the
// token is stored for that org, the org remembered, and every screen moves to it.
func TestServiceAppViaCaller(t *testing.T) {
	fake := startFake(t)
	dir := isolate(t)
	cr := fake.Creds()
	s := newSession(t, dir, fake.URL(), func(st *config.Settings) {
		st.AccessToken = cr.PersonalAccessToken
		st.ServiceAppClientID, st.ServiceAppClientSecret = cr.ServiceAppClientID, cr.ServiceAppClientSecret
	})
	j := startJourney(t, s, signin.Env{}, 100, 30)
	j.press("4", "n")
	j.waitText("How do you want to sign in?")
	j.press("down", "down", "enter")
	j.waitText("Add a customer org with your Service App", "Caller token — WEBEX_ACCESS_TOKEN")
	j.press("enter", "enter") // client ID and secret are prefilled
	j.typeText(api.EncodeID(api.KindOrganization, cr.OtherOrgID))
	j.press("enter", "enter")
	j.waitText("Added org "+cr.OtherOrgID+" (3 data sources)", "via", "WEBEX_ACCESS_TOKEN")
	ps := stored(t, s)
	if tok := ps.Orgs[cr.OtherOrgID]; tok == nil || tok.AccessToken == "" || tok.ClientID != cr.ServiceAppClientID {
		t.Fatalf("stored %+v", ps.Orgs)
	}
	if !strings.Contains(settingsFile(t, s), cr.OtherOrgID) {
		t.Fatalf("the org is not remembered:\n%s", settingsFile(t, s))
	}
	j.waitText("org " + fake.OrgName(cr.OtherOrgID)) // the header follows, with the org's name
	j.press("enter", "1")
	j.waitText("Data sources 3")
	j.quit()
}

// TestServiceAppViaRefreshToken is the sandbox path: no caller, the Service App's refresh
// token for the org. A refresh token of another org is refused before anything is stored.
func TestServiceAppViaRefreshToken(t *testing.T) {
	fake := startFake(t)
	dir := isolate(t)
	cr := fake.Creds()
	s := newSession(t, dir, fake.URL(), func(st *config.Settings) {
		st.ServiceAppClientID, st.ServiceAppClientSecret = cr.ServiceAppClientID, cr.ServiceAppClientSecret
	})
	j := startJourney(t, s, signin.Env{}, 100, 30)
	j.press("4", "n")
	j.waitText("How do you want to sign in?")
	j.press("down", "down", "enter")
	j.waitText("Caller token — none yet")
	j.press("enter", "enter")
	j.typeText(cr.OtherOrgID)
	j.press("enter", "enter")
	j.waitText("Paste the refresh token")
	j.paste(cr.ServiceAppRefreshToken) // the primary org's
	j.press("enter")
	j.waitText("That token belongs to org "+cr.OrgID, cr.OtherOrgID, "nothing was stored")
	if len(stored(t, s).Orgs) != 0 {
		t.Fatal("nothing may be stored for the wrong org")
	}
	j.press("enter") // back to the form, as typed
	j.waitText("Customer org")
	j.press("enter", "enter", "enter", "enter")
	j.waitText("Paste the refresh token")
	j.press("end", "ctrl+u") // clear the field
	j.paste(cr.OtherOrgServiceAppRefreshToken)
	j.press("enter")
	j.waitText("Added org "+cr.OtherOrgID+" (3 data sources)", "spark-admin:datasource_read")
	if tok := stored(t, s).Orgs[cr.OtherOrgID]; tok == nil || tok.RefreshToken != cr.OtherOrgServiceAppRefreshToken {
		t.Fatalf("stored %+v", tok)
	}
	j.quit()
}

// TestOAuthAddressInTheNormalScreen: in the full-screen app, while the authorize address
// shows, the app leaves the alternate screen and draws the wizard short, under the address
// it printed unbroken; once signed in, the full screen is back.
func TestOAuthAddressInTheNormalScreen(t *testing.T) {
	fake := startFake(t)
	s := integrationSession(t, fake)
	env := signin.Env{Getenv: envs("SSH_CONNECTION", "10.0.0.2 5555 10.0.0.1 22"), GOOS: "linux",
		NewState: func() string { return "fixed-state-for-test" }}
	authorizeURL := s.Anonymous().AuthorizeURL(s.Integration(), "fixed-state-for-test")
	o := tui.Options{Session: s, NoColor: true, AltScreen: true}
	m := tui.New(o)
	m.Screen(tui.ScreenAuth).(*auth.Screen).SetEnv(env)
	j := &journey{Program: fixture.StartProgram(t, m, 100, 30, tui.ProgramOptions(context.Background(), o)...), t: t}

	j.waitText("Not signed in.")
	j.inspect(func(m *tui.Model) {
		if !m.View().AltScreen {
			t.Fatal("the app starts in the full screen")
		}
	})
	openIntegration(j)
	scr := j.waitText("Open the address printed above", "Then paste the address")
	j.inspect(func(m *tui.Model) {
		v := m.View()
		if v.AltScreen || strings.Count(v.Content, "\n") > 20 || strings.Contains(v.Content, authorizeURL[:50]) {
			t.Fatalf("while the address shows: the normal screen (alt %v), the wizard short and the address not cut into it:\n%s", v.AltScreen, v.Content)
		}
	})
	if !strings.Contains(scr, "esc") {
		t.Fatalf("the keys stay under the wizard:\n%s", scr)
	}
	j.paste(redirectOf(t, authorizeURL))
	j.press("enter")
	j.waitText("Signed in with the Integration")
	j.inspect(func(m *tui.Model) {
		if !m.View().AltScreen {
			t.Fatal("signed in: the full screen is back")
		}
	})
	j.quit()
}
