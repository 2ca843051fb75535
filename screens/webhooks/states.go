package webhooks

import (
	"errors"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/tui/common"
	"github.com/byova/byova/tui/styles"
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
	case s.loadErr != nil:
		paras = s.failureLines(s.loadErr)
	case !s.loaded:
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
	return s.wrapLines(paras), true
}

func (s *Screen) failureLines(err error) []string {
	st, k := s.c.Styles, s.c.Keys
	headline, hint := common.Describe(s.c.Keys, err)
	var ne *api.NetError
	bad := st.Error.Render(styles.GlyphError + " ")
	var paras []string
	switch {
	case errors.Is(err, api.ErrNotSignedIn) && s.tokenHeld:
		// A token is stored (or in WEBEX_ACCESS_TOKEN): saying "not signed in" would send the
		// person looking for a sign-in they already have.
		paras = []string{"", bad + st.Bold.Render("Webex refused the stored sign-in."), "", headline, "",
			"Webhooks are managed with a person's token. Sign in again with " + st.Key.Render("byova auth login") +
				" (screen 4 lists the stored tokens), or renew WEBEX_ACCESS_TOKEN, then press " +
				st.Key.Render("r") + "."}
	case errors.Is(err, api.ErrNotSignedIn):
		paras = []string{"", bad + st.Bold.Render("Not signed in."), "", headline, "",
			"Webhooks are managed with a person's token, not the Service App's. Run " + st.Key.Render("byova auth login") +
				" (Integration or personal access token), or set WEBEX_ACCESS_TOKEN, then press " + st.Key.Render(k.Reload.Help().Key) + "."}
	case errors.Is(err, api.ErrUnauthorized):
		paras = []string{"", bad + st.Bold.Render("Webex rejected the token."), "", headline, "",
			"Sign in again with " + st.Key.Render("byova auth login") + " (or renew WEBEX_ACCESS_TOKEN), then press " + st.Key.Render(k.Reload.Help().Key) + "."}
	case errors.As(err, &ne):
		paras = []string{"", bad + st.Bold.Render("Webex is unreachable."), "", headline, "",
			"Check the network, a proxy or --base-url, then press " + st.Key.Render(k.Reload.Help().Key) + " to retry."}
	case errors.Is(err, api.ErrForbidden):
		paras = []string{"", bad + st.Bold.Render("Insufficient scope."), "", headline, "",
			"The token needs " + st.Bold.Render(scopeRead) + " to list webhooks, and " + st.Bold.Render(scopeWrite) +
				" to change them. Sign in with an Integration that asks for both, or use a personal access token " +
				"(WEBEX_ACCESS_TOKEN); a Service App token cannot manage webhooks. Then press " + st.Key.Render(k.Reload.Help().Key) + "."}
	default:
		paras = []string{"", bad + st.Bold.Render("Could not load the webhooks."), "", headline}
		if hint != "" {
			paras = append(paras, "", hint)
		}
		paras = append(paras, "", "Press "+st.Key.Render(k.Reload.Help().Key)+" to retry.")
	}
	if tid := api.TrackingIDOf(err); tid != "" {
		paras = append(paras, "", st.Muted.Render("trackingId "+tid))
	}
	return paras
}

// failureHint is the one-line version of the failure state, for notices.
func (s *Screen) failureHint() string {
	switch err := s.loadErr; {
	case errors.Is(err, api.ErrNotSignedIn):
		return "sign in with `byova auth login` or set WEBEX_ACCESS_TOKEN"
	case errors.Is(err, api.ErrForbidden):
		return "the token needs " + scopeRead + " and " + scopeWrite
	}
	return "press " + s.c.Keys.Reload.Help().Key + " to retry"
}

// wrapLines wraps each paragraph to the body width, indented by two spaces (Webex messages
// can be long), and keeps what fits in the height.
func (s *Screen) wrapLines(paras []string) string {
	out := wrapParagraphs(paras, s.width)
	if len(out) > s.height-1 {
		out = out[:max(s.height-1, 0)]
	}
	return strings.Join(out, "\n")
}

func wrapParagraphs(paras []string, width int) []string {
	var out []string
	for _, p := range paras {
		if width > 6 {
			p = lipgloss.Wrap(p, width-4, " /")
		}
		for l := range strings.SplitSeq(p, "\n") {
			if l != "" {
				l = "  " + l
			}
			out = append(out, l)
		}
	}
	return out
}
