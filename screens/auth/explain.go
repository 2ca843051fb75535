package auth

import (
	"context"
	"errors"
	"strings"

	"github.com/byova/byova/api"
	"github.com/byova/byova/signin"
	"github.com/byova/byova/tui/common"
)

// Explain turns a failed sign-in into a headline and what to do next. Every sign-in failure
// leaves the token store as it was; the texts say so where a person could wonder.
func Explain(method string, err error) (headline, hint string) {
	var failed *FailedError
	if errors.As(err, &failed) && method == "" {
		method = failed.Method
	}
	var denied *api.OAuthDenied
	var rejected *signin.RejectedError
	var input *signin.InputError
	var ae *api.Error
	var client *signin.ClientRejectedError
	var wrongOrg *signin.WrongOrgError
	switch {
	case errors.As(err, &wrongOrg):
		return capital(wrongOrg.Error()), "use the refresh token issued for " + wrongOrg.Want + ", or a caller token; nothing was stored"
	case err == nil:
		return "", ""
	case errors.As(err, &input):
		return input.Error(), "fix it and try again; nothing was sent to Webex"
	case errors.As(err, &denied):
		h := "Webex did not grant access (" + denied.Code + ")"
		if denied.Description != "" {
			h += ": " + denied.Description
		}
		if denied.Code == "access_denied" {
			return h, "the request was declined in the browser; nothing was stored. Try again and choose Accept"
		}
		return h, "check the Integration's client ID, redirect URI and scopes on developer.webex.com; nothing was stored"
	case errors.Is(err, api.ErrStateMismatch):
		return "The answer's state does not match this sign-in",
			"it belongs to another (older) attempt or was forged, so byova ignored it; nothing was stored. Start again and use the newest address"
	case errors.Is(err, api.ErrAuthTimeout):
		return "No answer from the browser in time",
			"start again; if the browser cannot reach this machine (SSH), paste the address it was sent to instead"
	case errors.Is(err, context.Canceled):
		return "Sign-in cancelled", "nothing was stored"
	case errors.As(err, &client):
		return client.Error(), "copy the client ID and secret again from developer.webex.com → My Webex Apps; nothing was stored"
	case errors.As(err, &rejected):
		if method == signin.MethodPAT {
			return "Webex rejected this personal access token; it was not stored",
				"copy a fresh one from developer.webex.com (they last 12 hours) and paste only the token"
		}
		if method == signin.MethodServiceApp && !strings.Contains(rejected.What, "Service App") {
			return rejected.Error(), "the caller token expired or was revoked: sign in with an Integration or a personal access token, or set a fresh WEBEX_ACCESS_TOKEN; nothing was stored"
		}
		return rejected.Error(), "nothing was stored; sign in again"
	case method == signin.MethodIntegration && errors.As(err, &ae) && strings.Contains(ae.Path, "access_token"):
		if ae.Status == 401 {
			return "Webex rejected the Integration's client ID or secret", "copy both again from developer.webex.com → My Webex Apps; nothing was stored"
		}
		if ae.Status == 400 {
			return "Webex refused the code: it expired or was already used",
				"codes are single-use and last a few minutes: start again and finish within them; nothing was stored"
		}
	case method == signin.MethodServiceApp && errors.As(err, &ae):
		switch {
		case strings.Contains(ae.Path, "access_token") && ae.Status == 401 && strings.Contains(strings.ToLower(ae.Message), "client"):
			return "Webex rejected the Service App's client ID or secret", "copy both again from developer.webex.com → My Webex Apps; nothing was stored"
		case strings.Contains(ae.Path, "access_token"):
			return "Webex refused the refresh token for this org",
				"it may have expired (90 days), been revoked, or belong to another org or Service App; copy a new one, or use a caller token"
		case ae.Status == 403:
			return "The Service App is not authorized in this org, or the caller lacks spark:applications_token",
				"a Full Admin of the org authorizes it in Control Hub → Apps → Service Apps; nothing was stored"
		case ae.Status == 404:
			return "Webex does not know this Service App", "check the client ID; nothing was stored"
		case ae.Status == 401 && strings.Contains(strings.ToLower(ae.Message), "client"):
			return "Webex rejected the Service App's client ID or secret", "copy both again from developer.webex.com → My Webex Apps; nothing was stored"
		}
	}
	h, hint := common.Describe(nil, err)
	if hint == "" {
		hint = "nothing was stored"
	}
	return h, hint
}

// FailedError is a sign-in that did not work, with the method the person chose.
type FailedError struct {
	Method string
	Err    error
}

func (e *FailedError) Error() string { return e.Err.Error() }
func (e *FailedError) Unwrap() error { return e.Err }
