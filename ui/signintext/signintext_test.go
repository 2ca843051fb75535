package signintext

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/signin"
)

func TestLife(t *testing.T) {
	for d, want := range map[time.Duration]string{
		-time.Second: "0s", 59 * time.Second: "59s", 59*time.Minute + 59*time.Second: "59m", 9*time.Minute + 5*time.Second: "9m05s",
		13 * time.Hour: "13h00m", 47 * time.Hour: "47h00m", 60 * 24 * time.Hour: "60d",
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
		{signin.MethodIntegration, &api.OAuthDenied{Code: "access_denied", Description: "The user denied"}, "did not grant access (access_denied)", "declined"},
		{signin.MethodIntegration, &api.OAuthDenied{Code: "invalid_scope"}, "invalid_scope", "scopes"},
		{signin.MethodIntegration, api.ErrStateMismatch, "state does not match", "nothing was stored"},
		{signin.MethodIntegration, fmt.Errorf("waiting: %w", api.ErrAuthTimeout), "No answer from the browser in time", "paste"},
		{signin.MethodIntegration, tokenErr(400, "Invalid authorization code"), "expired or was already used", "single-use"},
		{signin.MethodIntegration, tokenErr(401, "Invalid client credentials"), "client ID or secret", ""},
		{signin.MethodIntegration, &api.ClientRefusedError{Answer: &api.Error{Status: 400, Path: "/v1/access_token", Code: "invalid_client"}}, "the Integration's client ID or secret", "My Webex Apps"},
		{signin.MethodServiceApp, &api.ClientRefusedError{Answer: &api.Error{Status: 400, Path: "/v1/applications/x/token", Code: "invalid_client"}}, "the Service App's client ID or secret", "My Webex Apps"},
		{signin.MethodPAT, &signin.RejectedError{What: "this personal access token"}, "rejected this personal access token; it was not stored", "12 hours"},
		{signin.MethodServiceApp, &signin.RejectedError{What: "WEBEX_ACCESS_TOKEN"}, "rejected WEBEX_ACCESS_TOKEN", "caller token"},
		{signin.MethodServiceApp, &signin.ClientRejectedError{Caller: "WEBEX_ACCESS_TOKEN"}, "client ID or secret (WEBEX_ACCESS_TOKEN is valid)", ""},
		{signin.MethodServiceApp, tokenErr(401, "Refresh token expired or revoked"), "refused the refresh token", "90 days"},
		{signin.MethodServiceApp, &api.Error{Status: 403, Path: "/v1/applications/x/token", Message: "not authorized"}, "not authorized in this org", "Full Admin"},
		{signin.MethodServiceApp, &signin.WrongOrgError{Got: "a", Want: "b"}, "That token belongs to org a, not b", "issued for b"},
		{"", &FailedError{Method: signin.MethodPAT, Err: &signin.RejectedError{What: "this personal access token"}}, "it was not stored", ""},
		{signin.MethodPAT, &signin.InputError{Err: errors.New("paste the token")}, "paste the token", "nothing was sent"},
		{signin.MethodPAT, context.Canceled, "cancelled", ""},
	}
	for _, tt := range tests {
		h, hint := Explain(tt.method, tt.err)
		if !strings.Contains(h, tt.want) || !strings.Contains(hint, tt.hint) {
			t.Errorf("Explain(%s, %v) = %q / %q; want %q / %q", tt.method, tt.err, h, hint, tt.want, tt.hint)
		}
	}
}

// Outside the UI (the CLI's login) a network failure's hint names no key.
func TestExplainNamesNoKey(t *testing.T) {
	_, hint := Explain(signin.MethodPAT, &api.NetError{Op: "GET /v1/people/me", Host: "webexapis.com", Err: errors.New("dial tcp: i/o timeout")})
	if !strings.HasSuffix(hint, "then try again") || strings.Contains(hint, "press") {
		t.Errorf("hint %q", hint)
	}
}
