// Package signintext is the words around a sign-in: what one did (Headline, Details,
// NextStep) and why one failed (Explain), for the wizard on screen 4 and `byova auth login`.
package signintext

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/signin"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/format"
)

// ErrCancelled is returned when the person leaves the sign-in without signing in.
var ErrCancelled = errors.New("sign-in cancelled: nothing was stored")

// Headline says in one line what a sign-in did.
func Headline(o signin.Outcome) string {
	who := ""
	if o.Who != "" {
		who = " as " + o.Who
	}
	switch o.Method {
	case signin.MethodIntegration:
		return "Signed in with the Integration" + who
	case signin.MethodPAT:
		return "Signed in with a personal access token" + who
	case signin.MethodServiceApp:
		return "Added org " + o.Org + " (" + plural(o.DataSources, "data source", "data sources") + ")"
	}
	return "Signed in"
}

// Details are the label/value rows of a sign-in's outcome: never a token, never a secret.
func Details(o signin.Outcome, now time.Time) [][2]string {
	var rows [][2]string
	add := func(k, v string) {
		if v != "" {
			rows = append(rows, [2]string{k, v})
		}
	}
	add("profile", o.Profile)
	if o.Method == signin.MethodServiceApp {
		add("org", o.Org)
		add("via", o.Caller)
	}
	add("client", o.ClientID)
	switch {
	case o.Method == signin.MethodPAT:
		add("expires", "12 hours after you copied it (it cannot be refreshed)")
	case !o.Expiry.IsZero():
		exp := "in " + Life(o.Expiry.Sub(now))
		if !o.RefreshExpiry.IsZero() {
			exp += " · refreshed on its own for " + Life(o.RefreshExpiry.Sub(now))
		}
		add("expires", exp)
	}
	add("scopes", strings.Join(o.Scopes, " "))
	add("token", "stored in "+o.TokenFile)
	switch o.Method {
	case signin.MethodIntegration:
		add("settings", "client ID and redirect URI saved in "+o.ConfigFile)
	case signin.MethodServiceApp:
		add("settings", "client ID and org saved in "+o.ConfigFile)
	}
	return rows
}

// NextStep is what to do after a sign-in: in the terminal UI (keys), or on the command line.
func NextStep(o signin.Outcome, commandLine bool) string {
	switch {
	case o.Method == signin.MethodServiceApp && commandLine:
		return "Next: byova ds list --org " + o.Org + ", or byova (o switches org)."
	case o.Method == signin.MethodServiceApp:
		return "Its data sources are on screen 1; o switches org."
	case commandLine:
		return "Next: add a customer org: byova auth login --method service-app"
	}
	return "Next: add a customer org with your Service App (n)."
}

// Life is a remaining lifetime: 59m59s, 13h05m00s, or 89d 23h for long ones.
func Life(d time.Duration) string {
	if d <= 0 {
		return "0s"
	}
	if d >= 48*time.Hour {
		days := int(d / (24 * time.Hour))
		if hours := int((d % (24 * time.Hour)) / time.Hour); hours > 0 {
			return strconv.Itoa(days) + "d " + strconv.Itoa(hours) + "h"
		}
		return strconv.Itoa(days) + "d"
	}
	return format.Remaining(d)
}

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
	var refused *api.ClientRefusedError
	var wrongOrg *signin.WrongOrgError
	switch {
	case errors.As(err, &wrongOrg):
		return Capital(wrongOrg.Error()), "use the refresh token issued for " + wrongOrg.Want + ", or a caller token; nothing was stored"
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
	case errors.As(err, &refused):
		who := "the Service App"
		if method == signin.MethodIntegration {
			who = "the Integration"
		}
		return "Webex rejected " + who + "'s client ID or secret", "copy both again from developer.webex.com → My Webex Apps; nothing was stored"
	case errors.As(err, &rejected):
		return explainRejected(method, rejected)
	case errors.As(err, &ae):
		if h, hint, ok := explainWebex(method, ae); ok {
			return h, hint
		}
	}
	h, hint := common.Describe(nil, err)
	if hint == "" {
		hint = "nothing was stored"
	}
	return h, hint
}

// explainRejected is a token Webex refused, in the words of the sign-in method.
func explainRejected(method string, rejected *signin.RejectedError) (headline, hint string) {
	if method == signin.MethodPAT {
		return "Webex rejected this personal access token; it was not stored",
			"copy a fresh one from developer.webex.com (they last 12 hours) and paste only the token"
	}
	if method == signin.MethodServiceApp && !strings.Contains(rejected.What, "Service App") {
		return rejected.Error(), "the caller token expired or was revoked: sign in with an Integration or a personal access token, or set a fresh WEBEX_ACCESS_TOKEN; nothing was stored"
	}
	return rejected.Error(), "nothing was stored; sign in again"
}

// explainWebex is Webex's error to an Integration's code exchange or a Service App's token
// request, in the method's words; ok false leaves it to common.Describe.
func explainWebex(method string, ae *api.Error) (headline, hint string, ok bool) {
	const copyBoth = "copy both again from developer.webex.com → My Webex Apps; nothing was stored"
	token := strings.Contains(ae.Path, "access_token")
	client := strings.Contains(strings.ToLower(ae.Message), "client")
	switch {
	case method == signin.MethodIntegration && token && ae.Status == 401:
		return "Webex rejected the Integration's client ID or secret", copyBoth, true
	case method == signin.MethodIntegration && token && ae.Status == 400:
		return "Webex refused the code: it expired or was already used",
			"codes are single-use and last a few minutes: start again and finish within them; nothing was stored", true
	case method != signin.MethodServiceApp:
		return "", "", false
	case token && ae.Status == 401 && client:
		return "Webex rejected the Service App's client ID or secret", copyBoth, true
	case token:
		return "Webex refused the refresh token for this org",
			"it may have expired (90 days), been revoked, or belong to another org or Service App; copy a new one, or use a caller token", true
	case ae.Status == 403:
		return "The Service App is not authorized in this org, or the caller lacks spark:applications_token",
			"a Full Admin of the org authorizes it in Control Hub → Apps → Service Apps; nothing was stored", true
	case ae.Status == 404:
		return "Webex does not know this Service App", "check the client ID; nothing was stored", true
	case ae.Status == 401 && client:
		return "Webex rejected the Service App's client ID or secret", copyBoth, true
	}
	return "", "", false
}

// FailedError is a sign-in that did not work, with the method the person chose.
type FailedError struct {
	Method string
	Err    error
}

func (e *FailedError) Error() string { return e.Err.Error() }
func (e *FailedError) Unwrap() error { return e.Err }

// Capital is s with its first letter in capitals, for a sentence made of an error's text.
func Capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
