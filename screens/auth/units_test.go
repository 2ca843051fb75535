package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/api"
)

func TestCanOpenBrowser(t *testing.T) {
	open := func(string) error { return nil }
	tests := []struct {
		name string
		env  Env
		want bool
	}{
		{"linux desktop", Env{OpenURL: open, GOOS: "linux", Getenv: getenvOf("DISPLAY", ":0")}, true},
		{"wayland", Env{OpenURL: open, GOOS: "linux", Getenv: getenvOf("WAYLAND_DISPLAY", "wayland-0")}, true},
		{"linux console", Env{OpenURL: open, GOOS: "linux", Getenv: getenvOf()}, false},
		{"ssh with X forwarding", Env{OpenURL: open, GOOS: "linux", Getenv: getenvOf("DISPLAY", "localhost:10.0", "SSH_CONNECTION", "a b c d")}, false},
		{"ssh tty on a mac", Env{OpenURL: open, GOOS: "darwin", Getenv: getenvOf("SSH_TTY", "/dev/ttys001")}, false},
		{"mac", Env{OpenURL: open, GOOS: "darwin", Getenv: getenvOf()}, true},
		{"windows", Env{OpenURL: open, GOOS: "windows", Getenv: getenvOf()}, true},
		{"--no-browser", Env{OpenURL: open, GOOS: "darwin", Getenv: getenvOf(), NoBrowser: true}, false},
		{"no opener", Env{GOOS: "darwin", Getenv: getenvOf()}, false},
	}
	for _, tt := range tests {
		if got := tt.env.CanOpenBrowser(); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func getenvOf(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestRandomState(t *testing.T) {
	a, b := RandomState(), RandomState()
	if a == b || len(a) != 22 || strings.ContainsAny(a, "+/=") {
		t.Fatalf("states %q %q", a, b)
	}
}

func TestLife(t *testing.T) {
	for d, want := range map[time.Duration]string{
		-time.Second: "0s", 59 * time.Second: "59s", 59*time.Minute + 59*time.Second: "59m59s",
		13 * time.Hour: "13h00m00s", 47 * time.Hour: "47h00m00s", 60 * 24 * time.Hour: "60d",
		89*24*time.Hour + 23*time.Hour + 59*time.Minute: "89d 23h",
	} {
		if got := Life(d); got != want {
			t.Errorf("Life(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestExplain(t *testing.T) {
	tokenErr := func(status int, msg string) error {
		return &api.SignInError{Reason: "x", Err: &api.Error{Status: status, Method: "POST", Path: "/v1/access_token", Message: msg}}
	}
	tests := []struct {
		method string
		err    error
		want   string // in the headline
		hint   string // in the hint
	}{
		{MethodIntegration, &api.OAuthDenied{Code: "access_denied", Description: "The user denied"}, "did not grant access (access_denied)", "declined"},
		{MethodIntegration, &api.OAuthDenied{Code: "invalid_scope"}, "invalid_scope", "scopes"},
		{MethodIntegration, api.ErrStateMismatch, "state does not match", "nothing was stored"},
		{MethodIntegration, fmt.Errorf("waiting: %w", api.ErrAuthTimeout), "No answer from the browser in time", "paste"},
		{MethodIntegration, tokenErr(400, "Invalid authorization code"), "expired or was already used", "single-use"},
		{MethodIntegration, tokenErr(401, "Invalid client credentials"), "client ID or secret", ""},
		{MethodPAT, &RejectedError{What: "this personal access token"}, "rejected this personal access token; it was not stored", "12 hours"},
		{MethodServiceApp, &RejectedError{What: "WEBEX_ACCESS_TOKEN"}, "rejected WEBEX_ACCESS_TOKEN", "caller token"},
		{MethodServiceApp, &ClientRejectedError{Caller: "WEBEX_ACCESS_TOKEN"}, "client ID or secret (WEBEX_ACCESS_TOKEN is valid)", ""},
		{MethodServiceApp, tokenErr(401, "Refresh token expired or revoked"), "refused the refresh token", "90 days"},
		{MethodServiceApp, &api.Error{Status: 403, Path: "/v1/applications/x/token", Message: "not authorized"}, "not authorized in this org", "Full Admin"},
		{MethodServiceApp, &WrongOrgError{Got: "a", Want: "b"}, "That token belongs to org a, not b", "issued for b"},
		{"", &FailedError{Method: MethodPAT, Err: &RejectedError{What: "this personal access token"}}, "it was not stored", ""},
		{MethodPAT, &InputError{errors.New("paste the token")}, "paste the token", "nothing was sent"},
		{MethodPAT, context.Canceled, "cancelled", ""},
	}
	for _, tt := range tests {
		h, hint := Explain(tt.method, tt.err)
		if !strings.Contains(h, tt.want) || !strings.Contains(hint, tt.hint) {
			t.Errorf("Explain(%s, %v) = %q / %q; want %q / %q", tt.method, tt.err, h, hint, tt.want, tt.hint)
		}
	}
}

func TestValues(t *testing.T) {
	v := &Values{Method: MethodServiceApp, SAClientID: "C1", SAClientSecret: "s", Org: "not-an-org", Source: SourceRefresh}
	err := v.Check()
	if err == nil || !strings.Contains(err.Error(), "neither a UUID") || !strings.Contains(err.Error(), "refresh token is required") {
		t.Fatalf("check: %v", err)
	}
	v.Org, v.RefreshToken = api.EncodeID(api.KindOrganization, "63b02f90-9cc6-43b8-aa6d-cad425ac554c"), "r"
	if err := v.Check(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "Bearer abc", "two words"} {
		if validPAT(bad) == nil {
			t.Errorf("validPAT(%q) passed", bad)
		}
	}
	if validRedirect("127.0.0.1:8765/callback") == nil || validRedirect(api.DefaultRedirectURI) != nil {
		t.Error("validRedirect")
	}
	if validAddress("http://127.0.0.1:8765/callback") == nil || validAddress("http://127.0.0.1:8765/callback?code=a&state=b") != nil {
		t.Error("validAddress")
	}
}

func TestHardWrapKeepsEveryCharacter(t *testing.T) {
	u := "http://127.0.0.1:9/v1/authorize?client_id=" + strings.Repeat("x", 100) + "&state=s"
	lines := hardWrap(u, 30)
	if strings.Join(lines, "") != u {
		t.Fatal("characters lost")
	}
	for _, l := range lines {
		if len(l) > 30 {
			t.Fatalf("line %q is longer than 30", l)
		}
	}
}
