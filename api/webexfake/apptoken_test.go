package webexfake

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestServiceAppToken(t *testing.T) {
	s := start(t, Options{})
	c := s.Creds()
	raw := "ciscospark://us/APPLICATION/" + c.ServiceAppClientID
	if got := base64.RawURLEncoding.EncodeToString([]byte(raw)); got != c.ServiceAppID {
		t.Fatalf("ServiceAppID %s is not the Hydra id of the client id", c.ServiceAppID)
	}
	body := func(org string) map[string]string {
		return map[string]string{"clientId": c.ServiceAppClientID, "clientSecret": c.ServiceAppClientSecret, "targetOrgId": org}
	}
	// A fresh Integration token narrowed to spark:all: valid, but not for this endpoint.
	r := refreshGrant(t, s, c.IntegrationRefreshToken, c.IntegrationClientID, c.IntegrationClientSecret)
	noScope, _ := r.json(t)["access_token"].(string)
	s.SetScopes(noScope, []string{ScopeSparkAll})

	tests := []struct {
		name   string
		appID  string
		token  string
		ctype  string
		body   any
		status int
		want   string
	}{
		{"PAT, plain org", c.ServiceAppID, c.PersonalAccessToken, "", body(c.OrgID), 200, ""},
		{"integration token, Hydra org", c.ServiceAppID, c.IntegrationAccessToken, "", body(HydraID("ORGANIZATION", c.OtherOrgID)), 200, ""},
		{"padded app id", base64.URLEncoding.EncodeToString([]byte(raw)), c.PersonalAccessToken, "", body(c.OrgID), 200, ""},
		{"standard base64 app id", url.PathEscape(base64.StdEncoding.EncodeToString([]byte(raw))), c.PersonalAccessToken, "", body(c.OrgID), 200, ""},
		{"standard base64 app id, slashes unescaped", base64.StdEncoding.EncodeToString([]byte(raw)), c.PersonalAccessToken, "", body(c.OrgID), 200, ""},
		{"no token", c.ServiceAppID, "", "", body(c.OrgID), 401, "valid access token"},
		{"service app token", c.ServiceAppID, c.ServiceAppAccessToken, "", body(c.OrgID), 403, ScopeApplicationsToken},
		{"token without spark:applications_token", c.ServiceAppID, noScope, "", body(c.OrgID), 403, ScopeApplicationsToken},
		{"unknown app", HydraID("APPLICATION", "Cdeadbeef"), c.PersonalAccessToken, "", body(c.OrgID), 404, "Service App not found"},
		{"not an app id", "bm9wZQ", c.PersonalAccessToken, "", body(c.OrgID), 404, ""},
		{"missing secret", c.ServiceAppID, c.PersonalAccessToken, "", map[string]string{"clientId": c.ServiceAppClientID, "targetOrgId": c.OrgID}, 400, "clientSecret is required"},
		{"missing everything", c.ServiceAppID, c.PersonalAccessToken, "", map[string]string{}, 400, "targetOrgId is required"},
		{"bad org id", c.ServiceAppID, c.PersonalAccessToken, "", body("acme"), 400, "targetOrgId"},
		{"wrong secret", c.ServiceAppID, c.PersonalAccessToken, "", map[string]string{"clientId": c.ServiceAppClientID, "clientSecret": "x", "targetOrgId": c.OrgID}, 400, "Invalid client credentials"},
		{"unauthorized org", c.ServiceAppID, c.PersonalAccessToken, "", body(c.UnauthorizedOrgID), 403, "not authorized"},
		{"unknown org", c.ServiceAppID, c.PersonalAccessToken, "", body("00000000-0000-4000-8000-000000000000"), 403, "not authorized"},
		{"form body", c.ServiceAppID, c.PersonalAccessToken, "", url.Values{"clientId": {c.ServiceAppClientID}}, 415, ""},
		{"not JSON", c.ServiceAppID, c.PersonalAccessToken, "application/json", "{", 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, http.MethodPost, s.URL()+"/applications/"+tt.appID+"/token", tt.token, tt.ctype, tt.body)
			if tt.status != 200 {
				checkWebexError(t, r, tt.status, tt.want)
				return
			}
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			tok := r.json(t)
			access, _ := tok["access_token"].(string)
			if access == "" || tok["refresh_token"] == "" || tok["expires_in"] != float64(3600) ||
				tok["refresh_token_expires_in"] != float64(7776000) || tok["token_type"] != "Bearer" {
				t.Fatalf("token body %s", r.body)
			}
			// The token works for the target org's data sources and nothing else.
			items := call(t, http.MethodGet, s.URL()+"/dataSources", access, "", nil).items(t)
			want := c.OrgID
			if strings.Contains(tt.name, "Hydra org") {
				want = c.OtherOrgID
			}
			for _, it := range items {
				if it["orgId"] != want {
					t.Fatalf("token for %s sees data source of %s", want, it["orgId"])
				}
			}
		})
	}
	t.Run("GET is 405", func(t *testing.T) {
		checkWebexError(t, call(t, http.MethodGet, s.URL()+"/applications/"+c.ServiceAppID+"/token", c.PersonalAccessToken, "", nil), 405, "")
	})
}

func TestPeopleMe(t *testing.T) {
	s := start(t, Options{})
	c := s.Creds()
	tests := []struct {
		name, token, org, kind string
	}{
		{"PAT", c.PersonalAccessToken, c.DeveloperOrgID, "person"},
		{"integration", c.IntegrationAccessToken, c.DeveloperOrgID, "person"},
		{"service app", c.ServiceAppAccessToken, c.OrgID, "appuser"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, http.MethodGet, s.URL()+"/people/me", tt.token, "", nil)
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			me := r.json(t)
			if me["orgId"] != HydraID("ORGANIZATION", tt.org) || me["type"] != tt.kind || me["displayName"] == "" {
				t.Fatalf("people/me %s", r.body)
			}
			if kind, _, ok := parseHydra(me["id"].(string)); !ok || kind != "PEOPLE" {
				t.Fatalf("id %v is not a Hydra PEOPLE id", me["id"])
			}
			if emails, _ := me["emails"].([]any); len(emails) != 1 {
				t.Fatalf("emails %v", me["emails"])
			}
		})
	}
	if r := call(t, http.MethodGet, s.URL()+"/people/me", c.PersonalAccessToken, "", nil); r.json(t)["id"] != HydraID("PEOPLE", c.DeveloperPersonID) {
		t.Error("PAT person is not the developer")
	}
}
