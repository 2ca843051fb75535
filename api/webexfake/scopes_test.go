package webexfake

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestTokenScopes: every token answer names the scopes of its access token, and TokenScopes
// reports them for any token the fake issued.
func TestTokenScopes(t *testing.T) {
	s := start(t, Options{})
	c := s.Creds()

	_, q := authorize(t, s, authorizeParams(c))
	r := exchange(t, s, q.Get("code"), c.IntegrationClientSecret, callback)
	tok := r.json(t)
	if tok["scope"] != "spark:applications_token application:webhooks_read" {
		t.Errorf("code grant scope %q, want the scopes asked for at /authorize", tok["scope"])
	}
	got, ok := s.TokenScopes(tok["access_token"].(string))
	if !ok || !slices.Equal(got, []string{ScopeApplicationsToken, ScopeWebhooksRead}) {
		t.Errorf("TokenScopes(access) = %v, %v", got, ok)
	}
	if got, ok := s.TokenScopes(tok["refresh_token"].(string)); !ok || len(got) != 2 {
		t.Errorf("TokenScopes(refresh) = %v, %v", got, ok)
	}

	r = refreshGrant(t, s, c.ServiceAppRefreshToken, c.ServiceAppClientID, c.ServiceAppClientSecret)
	if sc := r.json(t)["scope"]; sc != ScopeDataSourceRead+" "+ScopeDataSourceWrite+" "+ScopeOrganizationsRead {
		t.Errorf("service app refresh scope %q", sc)
	}

	r = call(t, http.MethodPost, s.URL()+"/applications/"+c.ServiceAppID+"/token", c.PersonalAccessToken, "",
		map[string]string{"clientId": c.ServiceAppClientID, "clientSecret": c.ServiceAppClientSecret, "targetOrgId": c.OtherOrgID})
	if sc, _ := r.json(t)["scope"].(string); !strings.Contains(sc, ScopeDataSourceRead) {
		t.Errorf("application token scope %q", sc)
	}

	if got, ok := s.TokenScopes(c.PersonalAccessToken); !ok || !slices.Contains(got, ScopeApplicationsToken) {
		t.Errorf("TokenScopes(PAT) = %v, %v", got, ok)
	}
	if _, ok := s.TokenScopes("unknown"); ok {
		t.Error("an unknown token has no scopes")
	}
	s.SetScopes(c.PersonalAccessToken, []string{ScopeWebhooksRead})
	if got, _ := s.TokenScopes(c.PersonalAccessToken); !slices.Equal(got, []string{ScopeWebhooksRead}) {
		t.Errorf("after SetScopes: %v", got)
	}
}

// TestExpireAuthorizationCodes: codes not yet used stop working; used ones stay used; codes
// issued afterwards work.
func TestExpireAuthorizationCodes(t *testing.T) {
	clk := &clock{fixedNow}
	s := start(t, Options{Now: clk.now})
	c := s.Creds()
	code := func() string {
		_, q := authorize(t, s, authorizeParams(c))
		return q.Get("code")
	}
	used := code()
	if r := exchange(t, s, used, c.IntegrationClientSecret, callback); r.status != http.StatusOK {
		t.Fatalf("exchange: %d", r.status)
	}
	pending1, pending2 := code(), code()
	if n := s.ExpireAuthorizationCodes(); n != 2 {
		t.Errorf("expired %d codes, want 2 (the used one does not count)", n)
	}
	for _, cd := range []string{pending1, pending2, used} {
		checkWebexError(t, exchange(t, s, cd, c.IntegrationClientSecret, callback), http.StatusBadRequest, "Invalid authorization code")
	}
	clk.t = clk.t.Add(time.Second)
	if r := exchange(t, s, code(), c.IntegrationClientSecret, callback); r.status != http.StatusOK {
		t.Errorf("a code issued after expiring the others: %d %s", r.status, r.body)
	}
	if n := s.ExpireAuthorizationCodes(); n != 0 {
		t.Errorf("nothing left to expire, got %d", n)
	}
}
