package webexfake

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRequestLog(t *testing.T) {
	s := start(t, Options{Now: func() time.Time { return fixedNow }})
	c := s.Creds()
	call(t, http.MethodGet, s.URL()+"/dataSources?max=2", c.ServiceAppAccessToken, "", nil)
	call(t, http.MethodPost, s.URL()+"/dataSources", c.ServiceAppAccessToken, "", map[string]any{"url": "x"})
	call(t, http.MethodGet, s.URL()+"/people/me", "", "", nil)
	log := s.Requests()
	if len(log) != 3 {
		t.Fatalf("%d entries", len(log))
	}
	tests := []struct {
		method, path, query string
		status              int
		auth                string
		body                string
	}{
		{"GET", "/v1/dataSources", "max=2", 200, "Bearer …" + c.ServiceAppAccessToken[len(c.ServiceAppAccessToken)-4:], ""},
		{"POST", "/v1/dataSources", "", 400, "Bearer …" + c.ServiceAppAccessToken[len(c.ServiceAppAccessToken)-4:], `{"url":"x"}`},
		{"GET", "/v1/people/me", "", 401, "", ""},
	}
	for i, tt := range tests {
		e := log[i]
		if e.Method != tt.method || e.Path != tt.path || e.RawQuery != tt.query || e.Status != tt.status ||
			e.Header.Get("Authorization") != tt.auth || string(e.Body) != tt.body || !e.Time.Equal(fixedNow) {
			t.Errorf("entry %d: %+v", i, e)
		}
		if strings.Contains(e.Header.Get("Authorization"), c.ServiceAppAccessToken) {
			t.Errorf("entry %d leaks the token", i)
		}
	}
	log[0].Header.Set("X-Mutated", "1")
	if s.Requests()[0].Header.Get("X-Mutated") != "" {
		t.Error("Requests returns shared headers")
	}
	s.ResetRequests()
	if len(s.Requests()) != 0 {
		t.Fatal("not reset")
	}
	call(t, http.MethodGet, s.URL()+"/people/me", c.PersonalAccessToken, "", nil)
	if log := s.Requests(); len(log) != 1 || log[0].Status != 200 {
		t.Fatalf("after reset: %+v", log)
	}
}

func TestRedactAuthorization(t *testing.T) {
	for in, want := range map[string]string{
		"Bearer abcdefgh":    "Bearer …efgh",
		"Bearer abc":         "Bearer …",
		"Basic Zm9vOmJhcg==": "Basic …cg==",
		"tokenonly1234":      "…1234",
	} {
		if got := redactAuthorization(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStartAt(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.168.1.10:8080", "example.com:80", "nonsense"} {
		s := New(Options{})
		if err := s.StartAt(addr); err == nil {
			s.Close()
			t.Errorf("StartAt(%q) accepted", addr)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0"} {
		s := New(Options{})
		if err := s.StartAt(addr); err != nil {
			t.Fatalf("StartAt(%q): %v", addr, err)
		}
		host, _, _ := net.SplitHostPort(strings.TrimPrefix(s.URL(), "http://")[:len(strings.TrimPrefix(s.URL(), "http://"))-len("/v1")])
		if host != "127.0.0.1" {
			t.Errorf("%s listens on %s", addr, host)
		}
		if err := s.Start(); err == nil {
			t.Error("second Start accepted")
		}
		if !strings.HasSuffix(s.Creds().JWKSURL, JWKSPath) {
			t.Errorf("JWKSURL %q", s.Creds().JWKSURL)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if s.URL() != "" || s.Close() != nil {
			t.Error("Close is not final/idempotent")
		}
	}
}

func TestServeHTTPWithoutListening(t *testing.T) {
	s := New(Options{PageSize: 1})
	req := httptest.NewRequest(http.MethodGet, "http://fake.invalid/v1/dataSources/schemas?max=1", nil)
	req.Header.Set("Authorization", "Bearer "+s.Creds().PersonalAccessToken)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code != 200 || !strings.Contains(w.Header().Get("Link"), "<http://fake.invalid/v1/dataSources/schemas?") {
		t.Fatalf("%d %v", w.Code, w.Header())
	}
	if s.URL() != "" || s.Creds().JWKSURL != "" {
		t.Error("URL before Start")
	}
}

func TestDescribe(t *testing.T) {
	s := start(t, Options{Seed: 7})
	c := s.Creds()
	var b bytes.Buffer
	s.Describe(&b)
	out := b.String()
	for _, want := range []string{
		s.URL(), c.JWKSURL, c.IntegrationClientID, c.IntegrationClientSecret, c.ServiceAppClientID,
		c.ServiceAppClientSecret, c.ServiceAppID, c.PersonalAccessToken, c.ServiceAppRefreshToken,
		c.OrgID, c.OtherOrgID, c.UnauthorizedOrgID, c.DeveloperOrgID,
		"export WEBEX_BASE_URL=" + s.URL() + "\n",
		"export WEBEX_ACCESS_TOKEN=" + c.PersonalAccessToken + "\n",
		"export WEBEX_SA_CLIENT_ID=" + c.ServiceAppClientID + "\n",
		"export WEBEX_SA_CLIENT_SECRET=" + c.ServiceAppClientSecret + "\n",
		"export WEBEX_SA_REFRESH_TOKEN=" + c.ServiceAppRefreshToken + "\n",
		"export WEBEX_ORG_ID=" + c.OrgID + "\n",
		"export WEBEX_INTEGRATION_CLIENT_ID=" + c.IntegrationClientID + "\n",
		"export WEBEX_INTEGRATION_CLIENT_SECRET=" + c.IntegrationClientSecret + "\n",
		"export WEBEX_INTEGRATION_REDIRECT_URI=" + c.IntegrationRedirectURI + "\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Describe lacks %q", want)
		}
	}
	if testing.Verbose() {
		t.Log("\n" + out)
	}
}
