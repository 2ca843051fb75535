package webhooks

import (
	"errors"

	"github.com/byova/byova/api"
	"github.com/byova/byova/ui/listview"
)

var errEmptyEnsure = errors.New("Webex answered, but reported neither webhook as existing or created: reload and check the list")

// Scopes the caller token needs (spec §8).
const (
	scopeRead  = "application:webhooks_read"
	scopeWrite = "application:webhooks_write"
)

// stateView is what shows instead of the table when there is no row to show: each state says
// what happened and what to do next. Each entry is a paragraph, wrapped to the width.
func (s *Screen) stateView() (string, bool) {
	st, k := s.c.Styles, s.c.Keys
	var paras []string
	switch {
	case s.LoadErr != nil:
		paras = s.failureLines(s.LoadErr)
	case !s.Loaded:
		paras = []string{"", "Loading webhooks from Webex…"}
	case len(s.tbl.Rows) == 0:
		paras = []string{"", st.Bold.Render("No webhooks yet."), ""}
		if s.c.ReadOnly() {
			paras = append(paras, "This profile is read-only: create them from a profile that can write, or with "+
				"`byova webhooks ensure --target-url URL`.")
		} else {
			paras = append(paras,
				"Press "+st.Key.Render(k.Ensure.Help().Key)+" to ensure the serviceApp authorized and deauthorized webhooks a BYOVA integration "+
					"needs (you give the https URL that receives them), or "+st.Key.Render(k.New.Help().Key)+" to create any webhook.")
		}
		paras = append(paras, "Press "+st.Key.Render(k.Reload.Help().Key)+" to reload.")
	case s.tbl.Len() == 0:
		paras = []string{"", "No webhook matches \"" + s.tbl.Query() + "\".",
			"Press " + st.Key.Render(k.Dismiss.Help().Key) + " to clear the filter, or " + st.Key.Render(k.Filter.Help().Key) + " to change it."}
	default:
		return "", false
	}
	return listview.Paragraphs(paras, s.width, s.height), true
}

func (s *Screen) failureLines(err error) []string {
	st, k := s.c.Styles, s.c.Keys
	login, reload := st.Key.Render("byova auth login"), st.Key.Render(k.Reload.Help().Key)
	f := listview.Failure{
		What: "the webhooks",
		NotSignedIn: "Webhooks are managed with a person's token, not the Service App's. Run " + login +
			" (Integration or personal access token), or set WEBEX_ACCESS_TOKEN",
		Unauthorized:   "Sign in again with " + login + " (or renew WEBEX_ACCESS_TOKEN)",
		ForbiddenTitle: "Insufficient scope.",
		Forbidden: "The token needs " + st.Bold.Render(scopeRead) + " to list webhooks, and " + st.Bold.Render(scopeWrite) +
			" to change them. Sign in with an Integration that asks for both, or use a personal access token " +
			"(WEBEX_ACCESS_TOKEN); a Service App token cannot manage webhooks. Then press " + reload + ".",
	}
	if s.tokenHeld {
		// A token is stored (or in WEBEX_ACCESS_TOKEN): saying "not signed in" would send the
		// person looking for a sign-in they already have.
		f.NotSignedInAs = "Webex refused the stored sign-in."
		f.NotSignedIn = "Webhooks are managed with a person's token. Sign in again with " + login +
			" (screen 4 lists the stored tokens), or renew WEBEX_ACCESS_TOKEN"
	}
	return f.Lines(st, k, err)
}

// failureHint is the one-line version of the failure state, for notices.
func (s *Screen) failureHint() string {
	switch err := s.LoadErr; {
	case errors.Is(err, api.ErrNotSignedIn):
		return "sign in with `byova auth login` or set WEBEX_ACCESS_TOKEN"
	case errors.Is(err, api.ErrForbidden):
		return "the token needs " + scopeRead + " and " + scopeWrite
	}
	return "press " + s.c.Keys.Reload.Help().Key + " to retry"
}
