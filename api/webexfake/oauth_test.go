package webexfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const callback = "http://127.0.0.1:8765/callback"

// authorize runs /v1/authorize and returns the redirect's query.
func authorize(t *testing.T, s *Server, params url.Values) (int, url.Values) {
	t.Helper()
	r := call(t, http.MethodGet, s.URL()+"/authorize?"+params.Encode(), "", "", nil)
	if r.status != http.StatusFound {
		return r.status, nil
	}
	loc, err := url.Parse(r.header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != params.Get("redirect_uri") {
		t.Fatalf("redirected to %s, want %s", got, params.Get("redirect_uri"))
	}
	return r.status, loc.Query()
}

func authorizeParams(c Credentials) url.Values {
	return url.Values{
		"client_id": {c.IntegrationClientID}, "response_type": {"code"}, "redirect_uri": {callback},
		"scope": {"spark:applications_token application:webhooks_read"}, "state": {"xyz-123"},
	}
}

func TestAuthorize(t *testing.T) {
	s := start(t, Options{})
	c := s.Creds()
	with := func(k, v string) url.Values {
		p := authorizeParams(c)
		p.Set(k, v)
		return p
	}
	tests := []struct {
		name      string
		params    url.Values
		deny      bool
		status    int
		wantError string // error= in the redirect; "" expects code=
	}{
		{"consents", authorizeParams(c), false, http.StatusFound, ""},
		{"any loopback redirect", with("redirect_uri", "http://localhost:4242/cb"), false, http.StatusFound, ""},
		{"denied", authorizeParams(c), true, http.StatusFound, "access_denied"},
		{"wrong response_type", with("response_type", "token"), false, http.StatusFound, "unsupported_response_type"},
		{"no scope", with("scope", ""), false, http.StatusFound, "invalid_scope"},
		{"unknown client", with("client_id", "Cnope"), false, http.StatusBadRequest, ""},
		{"service app is no integration", with("client_id", c.ServiceAppClientID), false, http.StatusBadRequest, ""},
		{"unregistered redirect", with("redirect_uri", "https://evil.example.net/cb"), false, http.StatusBadRequest, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.deny {
				s.DenyNextAuthorize()
			}
			status, q := authorize(t, s, tt.params)
			if status != tt.status {
				t.Fatalf("status %d, want %d", status, tt.status)
			}
			if status != http.StatusFound {
				return
			}
			if q.Get("state") != "xyz-123" {
				t.Errorf("state %q not passed back", q.Get("state"))
			}
			if tt.wantError == "" && q.Get("code") == "" {
				t.Errorf("no code in %v", q)
			}
			if q.Get("error") != tt.wantError {
				t.Errorf("error=%q, want %q", q.Get("error"), tt.wantError)
			}
			if tt.wantError != "" && q.Get("error_description") == "" {
				t.Errorf("no error_description in %v", q)
			}
		})
	}
	t.Run("denial is one-shot", func(t *testing.T) {
		s.DenyNextAuthorize()
		_, q := authorize(t, s, authorizeParams(c))
		_, q2 := authorize(t, s, authorizeParams(c))
		if q.Get("error") != "access_denied" || q2.Get("code") == "" {
			t.Fatalf("first %v, second %v", q, q2)
		}
	})
}

func exchange(t *testing.T, s *Server, code, secret, redirect string) reply {
	t.Helper()
	c := s.Creds()
	return call(t, http.MethodPost, s.URL()+"/access_token", "", "", url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "client_id": {c.IntegrationClientID},
		"client_secret": {secret}, "redirect_uri": {redirect},
	})
}

func TestAuthorizationCodeGrant(t *testing.T) {
	clk := &clock{fixedNow}
	s := start(t, Options{Now: clk.now})
	c := s.Creds()
	newCode := func() string {
		_, q := authorize(t, s, authorizeParams(c))
		return q.Get("code")
	}

	code := newCode()
	r := exchange(t, s, code, c.IntegrationClientSecret, callback)
	if r.status != http.StatusOK {
		t.Fatalf("exchange: %d %s", r.status, r.body)
	}
	tok := r.json(t)
	if tok["access_token"] == "" || tok["refresh_token"] == "" || tok["token_type"] != "Bearer" ||
		tok["expires_in"] != float64(3600) || tok["refresh_token_expires_in"] != float64(7776000) {
		t.Fatalf("token response %s", r.body)
	}
	if tok["access_token"] == c.IntegrationAccessToken {
		t.Fatal("a new grant must mint a new token")
	}

	// The token carries the scopes asked for at /authorize.
	access := tok["access_token"].(string)
	if r := call(t, http.MethodGet, s.URL()+"/webhooks", access, "", nil); r.status != http.StatusOK {
		t.Errorf("webhooks_read token cannot list webhooks: %d", r.status)
	}
	checkWebexError(t, call(t, http.MethodPost, s.URL()+"/webhooks", access, "", map[string]string{}),
		http.StatusForbidden, ScopeWebhooksWrite)

	tests := []struct {
		name     string
		code     func() string
		secret   string
		redirect string
		status   int
		want     string
	}{
		{"code reuse", func() string { return code }, c.IntegrationClientSecret, callback, 400, "Invalid authorization code"},
		{"unknown code", func() string { return "nope" }, c.IntegrationClientSecret, callback, 400, "Invalid authorization code"},
		{"redirect mismatch", newCode, c.IntegrationClientSecret, "http://127.0.0.1:9999/other", 400, "redirect_uri"},
		{"wrong secret", newCode, "wrong", callback, 400, "Invalid client credentials"},
		{"expired code", func() string {
			cd := newCode()
			clk.t = clk.t.Add(6 * time.Minute)
			return cd
		}, c.IntegrationClientSecret, callback, 400, "Invalid authorization code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkWebexError(t, exchange(t, s, tt.code(), tt.secret, tt.redirect), tt.status, tt.want)
		})
	}
}

func TestTokenEndpointRequests(t *testing.T) {
	s := start(t, Options{})
	c := s.Creds()
	tests := []struct {
		name        string
		method      string
		contentType string
		body        any
		status      int
		want        string
	}{
		{"JSON body without a bearer token (the JS SDK's Service App request)", "POST", "application/json", `{"grant_type":"refresh_token"}`, 401, ""},
		{"no content type", "POST", "", "grant_type=refresh_token", 415, ""},
		{"GET", "GET", "", nil, 405, ""},
		{"no grant_type", "POST", "", url.Values{"client_id": {"x"}}, 400, "grant_type is required"},
		{"unknown grant", "POST", "", url.Values{"grant_type": {"password"}}, 400, "Unsupported grant_type"},
		{"missing fields", "POST", "", url.Values{"grant_type": {"refresh_token"}}, 400, "client_secret is required"},
		{"refresh with bad creds", "POST", "", url.Values{"grant_type": {"refresh_token"},
			"refresh_token": {c.ServiceAppRefreshToken}, "client_id": {c.ServiceAppClientID}, "client_secret": {"bad"}},
			400, "Invalid client credentials"},
		{"unknown refresh token", "POST", "", url.Values{"grant_type": {"refresh_token"},
			"refresh_token": {"nope"}, "client_id": {c.ServiceAppClientID}, "client_secret": {c.ServiceAppClientSecret}},
			400, "Invalid refresh token"},
		{"refresh token of another client", "POST", "", url.Values{"grant_type": {"refresh_token"},
			"refresh_token": {c.IntegrationRefreshToken}, "client_id": {c.ServiceAppClientID}, "client_secret": {c.ServiceAppClientSecret}},
			400, "Invalid refresh token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, tt.method, s.URL()+"/access_token", "", tt.contentType, tt.body)
			checkWebexError(t, r, tt.status, tt.want)
			if tt.status == 405 && r.header.Get("Allow") != "POST" {
				t.Errorf("Allow %q", r.header.Get("Allow"))
			}
		})
	}
}

func refreshGrant(t *testing.T, s *Server, refresh, id, secret string) reply {
	t.Helper()
	return call(t, http.MethodPost, s.URL()+"/access_token", "", "application/x-www-form-urlencoded; charset=utf-8",
		url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "client_id": {id}, "client_secret": {secret}}.Encode())
}

// TestRefreshGrant: every refresh answers a new access token and, by default, the same
// refresh token; with OmitRefreshToken every second answer leaves it out.
func TestRefreshGrant(t *testing.T) {
	for _, omit := range []bool{false, true} {
		t.Run(fmt.Sprintf("omit %v", omit), func(t *testing.T) { testRefreshGrant(t, omit) })
	}
}

func testRefreshGrant(t *testing.T, omit bool) {
	s := start(t, Options{OmitRefreshToken: omit})
	c := s.Creds()
	tests := []struct {
		name, refresh, id, secret string
		check                     func(t *testing.T, token string)
	}{
		{"service app (sandbox path)", c.ServiceAppRefreshToken, c.ServiceAppClientID, c.ServiceAppClientSecret,
			func(t *testing.T, token string) {
				items := call(t, http.MethodGet, s.URL()+"/dataSources", token, "", nil).items(t)
				if len(items) != 8 || items[0]["orgId"] != c.OrgID {
					t.Errorf("SA token sees %d items of %v", len(items), items[0]["orgId"])
				}
			}},
		{"service app, other org", c.OtherOrgServiceAppRefreshToken, c.ServiceAppClientID, c.ServiceAppClientSecret,
			func(t *testing.T, token string) {
				items := call(t, http.MethodGet, s.URL()+"/dataSources", token, "", nil).items(t)
				if len(items) != 3 || items[0]["orgId"] != c.OtherOrgID {
					t.Errorf("other-org token sees %d items", len(items))
				}
			}},
		{"integration", c.IntegrationRefreshToken, c.IntegrationClientID, c.IntegrationClientSecret,
			func(t *testing.T, token string) {
				if r := call(t, http.MethodGet, s.URL()+"/people/me", token, "", nil); r.status != 200 {
					t.Errorf("people/me %d", r.status)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := map[string]bool{}
			for i := 1; i <= 4; i++ {
				r := refreshGrant(t, s, tt.refresh, tt.id, tt.secret)
				if r.status != http.StatusOK {
					t.Fatalf("refresh %d: %d %s", i, r.status, r.body)
				}
				tok := r.json(t)
				access, _ := tok["access_token"].(string)
				if access == "" || seen[access] {
					t.Fatalf("refresh %d: access token %q empty or reused", i, access)
				}
				seen[access] = true
				_, hasRefresh := tok["refresh_token"]
				if wantRefresh := !omit || i%2 == 1; hasRefresh != wantRefresh {
					t.Errorf("refresh %d: refresh_token present=%v, want %v", i, hasRefresh, wantRefresh)
				}
				if hasRefresh && tok["refresh_token"] != tt.refresh {
					t.Errorf("refresh %d: refresh token changed", i)
				}
				tt.check(t, access)
			}
		})
	}
}

func TestExpireAccessTokens(t *testing.T) {
	s := start(t, Options{})
	c := s.Creds()
	s.ExpireAccessTokens()
	for name, token := range map[string]string{"service app": c.ServiceAppAccessToken, "integration": c.IntegrationAccessToken} {
		checkWebexError(t, call(t, http.MethodGet, s.URL()+"/people/me", token, "", nil), 401, "valid access token")
		_ = name
	}
	if r := call(t, http.MethodGet, s.URL()+"/people/me", c.PersonalAccessToken, "", nil); r.status != 200 {
		t.Errorf("PAT should survive ExpireAccessTokens: %d", r.status)
	}
	r := refreshGrant(t, s, c.ServiceAppRefreshToken, c.ServiceAppClientID, c.ServiceAppClientSecret)
	token, _ := r.json(t)["access_token"].(string)
	if r := call(t, http.MethodGet, s.URL()+"/dataSources", token, "", nil); r.status != 200 {
		t.Fatalf("refreshed token: %d %s", r.status, r.body)
	}
	if !s.RevokeToken(c.PersonalAccessToken) || s.RevokeToken("unknown") {
		t.Fatal("RevokeToken result")
	}
	checkWebexError(t, call(t, http.MethodGet, s.URL()+"/people/me", c.PersonalAccessToken, "", nil), 401, "")
}

func TestAccessTokenTTL(t *testing.T) {
	clk := &clock{fixedNow}
	s := start(t, Options{Now: clk.now, AccessTokenTTL: 10 * time.Minute})
	c := s.Creds()
	r := refreshGrant(t, s, c.ServiceAppRefreshToken, c.ServiceAppClientID, c.ServiceAppClientSecret)
	if got := r.json(t)["expires_in"]; got != float64(600) {
		t.Fatalf("expires_in %v", got)
	}
	clk.t = clk.t.Add(9 * time.Minute)
	if r := call(t, http.MethodGet, s.URL()+"/dataSources/schemas", c.ServiceAppAccessToken, "", nil); r.status != 200 {
		t.Fatalf("before expiry: %d", r.status)
	}
	clk.t = clk.t.Add(2 * time.Minute)
	checkWebexError(t, call(t, http.MethodGet, s.URL()+"/dataSources/schemas", c.ServiceAppAccessToken, "", nil), 401, "")
	// The PAT lives 12 hours.
	if r := call(t, http.MethodGet, s.URL()+"/people/me", c.PersonalAccessToken, "", nil); r.status != 200 {
		t.Fatalf("PAT: %d", r.status)
	}
	clk.t = fixedNow.Add(12 * time.Hour)
	checkWebexError(t, call(t, http.MethodGet, s.URL()+"/people/me", c.PersonalAccessToken, "", nil), 401, "")
}

func TestBearerChecks(t *testing.T) {
	s := start(t, Options{})
	for _, auth := range []string{"", "Bearer", "Bearer nope", "Basic dXNlcjpwYXNz"} {
		req, _ := http.NewRequest(http.MethodGet, s.URL()+"/people/me", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("Authorization %q: %d", auth, resp.StatusCode)
		}
	}
	r := call(t, http.MethodGet, s.URL()+"/dataSources", "", "", nil)
	checkWebexError(t, r, 401, "The request requires a valid access token set in the Authorization request header.")
	if !strings.Contains(string(r.body), `"trackingId":"ROUTER_`) {
		t.Errorf("body %s", r.body)
	}
}

// The JS SDK asks for a Service App token at /access_token with the JSON body and PAT that
// /applications/{id}/token documents; the fake answers it the same way (spec §14, 13).
func TestAccessTokenJSONLikeTheJSSDK(t *testing.T) {
	s := start(t, Options{})
	c := s.Creds()
	body := map[string]any{"targetOrgId": c.OrgID, "clientId": c.ServiceAppClientID, "clientSecret": c.ServiceAppClientSecret}
	r := call(t, http.MethodPost, s.URL()+"/access_token", c.PersonalAccessToken, "application/json", body)
	if r.status != 200 || r.json(t)["access_token"] == nil || r.json(t)["refresh_token"] == nil {
		t.Fatalf("%d %s", r.status, r.body)
	}
	body["targetOrgId"] = c.UnauthorizedOrgID
	checkWebexError(t, call(t, http.MethodPost, s.URL()+"/access_token", c.PersonalAccessToken, "application/json", body), 403, "")
	delete(body, "clientId")
	checkWebexError(t, call(t, http.MethodPost, s.URL()+"/access_token", c.PersonalAccessToken, "application/json", body), 400, "clientId is required")
}

// TestTokenEndpointErrorsFollowRFC6749: §5.2's error codes beside Webex's fields; wrong
// client credentials are 400 invalid_client, and 401 with a challenge only when the client
// authenticated with HTTP Basic; a bad or dead grant is 400 invalid_grant.
func TestTokenEndpointErrorsFollowRFC6749(t *testing.T) {
	s := start(t, Options{})
	c := s.Creds()
	form := func(refresh, id, secret string) string {
		return url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "client_id": {id}, "client_secret": {secret}}.Encode()
	}
	post := func(t *testing.T, body string, basic []string) (int, http.Header, map[string]any) {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, s.URL()+"/access_token", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if basic != nil {
			req.SetBasicAuth(basic[0], basic[1])
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("not JSON: %s", b)
		}
		return res.StatusCode, res.Header, m
	}
	for _, tc := range []struct {
		name      string
		body      string
		basic     []string
		status    int
		code      string
		challenge bool
	}{
		{"wrong secret in the form", form(c.ServiceAppRefreshToken, c.ServiceAppClientID, "bad"), nil, 400, "invalid_client", false},
		{"wrong secret by HTTP Basic", "grant_type=refresh_token&refresh_token=" + url.QueryEscape(c.ServiceAppRefreshToken), []string{c.ServiceAppClientID, "bad"}, 401, "invalid_client", true},
		{"right secret by HTTP Basic", "grant_type=refresh_token&refresh_token=" + url.QueryEscape(c.ServiceAppRefreshToken), []string{c.ServiceAppClientID, c.ServiceAppClientSecret}, 200, "", false},
		{"unknown refresh token", form("nope", c.ServiceAppClientID, c.ServiceAppClientSecret), nil, 400, "invalid_grant", false},
		{"missing refresh token", form("", c.ServiceAppClientID, c.ServiceAppClientSecret), nil, 400, "invalid_request", false},
		{"unknown grant type", "grant_type=password", nil, 400, "unsupported_grant_type", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, h, m := post(t, tc.body, tc.basic)
			if status != tc.status || (tc.code != "" && m["error"] != tc.code) {
				t.Fatalf("%d %v; want %d %q", status, m, tc.status, tc.code)
			}
			if tc.code != "" && (m["error_description"] == "" || m["message"] == "" || m["trackingId"] == "") {
				t.Errorf("error body lacks a field: %v", m)
			}
			if got := h.Get("WWW-Authenticate") != ""; got != tc.challenge {
				t.Errorf("WWW-Authenticate %q, want one: %v", h.Get("WWW-Authenticate"), tc.challenge)
			}
		})
	}

	// A revoked refresh token (the org deauthorized) is invalid_grant, 400, not 401.
	if err := s.DeauthorizeOrg(c.OrgID); err != nil {
		t.Fatal(err)
	}
	status, _, m := post(t, form(c.ServiceAppRefreshToken, c.ServiceAppClientID, c.ServiceAppClientSecret), nil)
	if status != 400 || m["error"] != "invalid_grant" {
		t.Fatalf("a revoked refresh token: %d %v; want 400 invalid_grant", status, m)
	}
}
