package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
	"github.com/byova/byova/signin"
)

// seededSession stores the fake's ready tokens: the Integration's, the PAT, and the Service
// App's for the primary org, with the client secrets, as earlier sign-ins would have.
func seededSession(t *testing.T, fake *webexfake.Server, readOnly bool) *session.Session {
	t.Helper()
	cr := fake.Creds()
	s := newSession(t, isolate(t), fake.URL(), func(st *config.Settings) { st.Org, st.ReadOnly = cr.OrgID, readOnly })
	now := time.Now()
	err := s.Store.Update(func(tk *config.Tokens) error {
		ps := tk.Profile("default")
		ps.Integration = &config.Token{Kind: config.KindIntegration, ClientID: cr.IntegrationClientID, AccessToken: cr.IntegrationAccessToken,
			RefreshToken: cr.IntegrationRefreshToken, Expiry: now.Add(30 * time.Minute), Scopes: api.DefaultIntegrationScopes, ObtainedAt: now}
		ps.PAT = &config.Token{Kind: config.KindPAT, AccessToken: cr.PersonalAccessToken, ObtainedAt: now}
		ps.Orgs[cr.OrgID] = &config.Token{Kind: config.KindServiceApp, Org: cr.OrgID, ClientID: cr.ServiceAppClientID,
			AccessToken: cr.ServiceAppAccessToken, RefreshToken: cr.ServiceAppRefreshToken, Expiry: now.Add(20 * time.Minute), ObtainedAt: now}
		ps.ClientSecrets[cr.IntegrationClientID] = cr.IntegrationClientSecret
		ps.ClientSecrets[cr.ServiceAppClientID] = cr.ServiceAppClientSecret
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRefreshAndLogOut: enter/r refresh each token with its grant (or checks it), d logs out
// after y, and the other screens leave the org that was logged out of.
func TestRefreshAndLogOut(t *testing.T) {
	fake := startFake(t)
	cr := fake.Creds()
	s := seededSession(t, fake, false)
	j := startJourney(t, s, signin.Env{}, 100, 30)
	j.waitText("Data sources 8")
	j.press("4")
	j.waitText("3 credentials", "▸   integration")

	j.press("r")
	j.waitText("refreshed the Integration token with refresh grant · expires in")
	if tok := stored(t, s).Integration; tok.AccessToken == cr.IntegrationAccessToken || tok.RefreshToken != cr.IntegrationRefreshToken {
		t.Fatalf("integration after refresh: new access %v, refresh kept %v", tok.AccessToken != cr.IntegrationAccessToken, tok.RefreshToken == cr.IntegrationRefreshToken)
	}

	j.press("e") // nothing to edit, and it says so (issue 19, item 17)
	j.waitText("a sign-in has nothing to edit: n signs in again")

	j.press("j", "enter")
	j.waitText("The personal access token is valid (Ken Thompson")

	j.press("j", "enter")
	j.waitText("refreshed the token of org " + cr.OrgID[:8] + "… with refresh grant")
	if tok := stored(t, s).Orgs[cr.OrgID]; tok.AccessToken == cr.ServiceAppAccessToken || len(tok.Scopes) == 0 {
		t.Fatalf("service app token after refresh: %+v", tok.Scopes)
	}

	// Without a usable refresh token, the caller fetches a new pair.
	fake.RevokeToken(cr.ServiceAppRefreshToken)
	j.press("r")
	j.waitText("with /applications/{id}/token · expires in")

	j.press("d")
	j.waitText("Log out of org "+cr.OrgID+"?", "they switch to another stored org")
	j.press("n")
	j.waitText("3 credentials")
	if stored(t, s).Orgs[cr.OrgID] == nil {
		t.Fatal("n must not log out")
	}
	j.press("d", "y")
	j.waitText("logged out: forgot the token of org", "2 credentials", "org —")
	ps := stored(t, s)
	if len(ps.Orgs) != 0 || ps.ClientSecrets[cr.ServiceAppClientID] != "" {
		t.Fatalf("after log out: orgs %v, SA secret kept %v", ps.Orgs, ps.ClientSecrets[cr.ServiceAppClientID] != "")
	}
	if ps.ClientSecrets[cr.IntegrationClientID] == "" {
		t.Fatal("the Integration's secret is still in use and stays")
	}
	j.press("1")
	j.waitText("Not signed in.")
	j.quit()
}

// TestReadOnlyRefusesRefreshAndLogOut: in read-only mode r and d say why and change nothing.
func TestReadOnlyRefusesRefreshAndLogOut(t *testing.T) {
	fake := startFake(t)
	s := seededSession(t, fake, true)
	before := stored(t, s).Integration.AccessToken
	j := startJourney(t, s, signin.Env{}, 100, 30)
	j.press("4")
	scr := j.waitText("3 credentials")
	if strings.Contains(scr, "refresh now") || strings.Contains(scr, "log out") {
		t.Fatalf("read-only hides refresh and log out:\n%s", scr)
	}
	j.press("r")
	j.waitText("read-only", "refreshing tokens is off")
	j.press("d")
	j.waitText("logging out is off")
	if stored(t, s).Integration.AccessToken != before || len(stored(t, s).Orgs) != 1 {
		t.Fatal("read-only changed the store")
	}
	j.quit()
}
