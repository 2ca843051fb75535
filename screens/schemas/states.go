package schemas

import (
	"errors"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/tui/common"
	"github.com/byova/byova/tui/styles"
)

// stateView is what shows instead of the table when there is no row: what happened and what
// to do next. Each entry is a paragraph, wrapped to the width.
func (s *Screen) stateView() (string, bool) {
	st, k := s.c.Styles, s.c.Keys
	var paras []string
	switch {
	case s.loadErr != nil:
		paras = s.failureLines(s.loadErr)
	case !s.loaded:
		paras = []string{"", "Loading schemas…"}
	case len(s.tbl.Rows) == 0:
		paras = []string{"", st.Bold.Render("Webex lists no schemas."), "",
			"Data sources cannot be registered without one. Press " + st.Key.Render(k.Reload.Help().Key) + " to ask Webex again."}
	case s.tbl.Len() == 0:
		paras = []string{"", "No schema matches \"" + s.tbl.Query() + "\".",
			"Press " + st.Key.Render(k.Dismiss.Help().Key) + " to clear the filter, or " + st.Key.Render(k.Filter.Help().Key) + " to change it."}
	default:
		return "", false
	}
	out := wrapParagraphs(paras, s.width)
	if len(out) > s.height-1 {
		out = out[:max(s.height-1, 0)]
	}
	return strings.Join(out, "\n"), true
}

func (s *Screen) failureLines(err error) []string {
	st, k := s.c.Styles, s.c.Keys
	headline, hint := common.Describe(s.c.Keys, err)
	var ne *api.NetError
	bad := st.Error.Render(styles.GlyphError + " ")
	var paras []string
	switch {
	case errors.Is(err, api.ErrNotSignedIn):
		paras = []string{"", bad + st.Bold.Render("Not signed in."), "", headline, "",
			"Sign in with " + st.Key.Render("byova auth login") + " (or set WEBEX_ACCESS_TOKEN), then press " + st.Key.Render(k.Reload.Help().Key) + "."}
	case errors.Is(err, api.ErrUnauthorized):
		paras = []string{"", bad + st.Bold.Render("Webex rejected the token."), "", headline, "",
			"Sign in again with " + st.Key.Render("byova auth login") + ", then press " + st.Key.Render(k.Reload.Help().Key) + "."}
	case errors.As(err, &ne):
		paras = []string{"", bad + st.Bold.Render("Webex is unreachable."), "", headline, "",
			"Check the network, a proxy or --base-url, then press " + st.Key.Render(k.Reload.Help().Key) + " to retry."}
	case errors.Is(err, api.ErrForbidden):
		paras = []string{"", bad + st.Bold.Render("Webex refused to list the schemas."), "", headline, "",
			"Any valid token may read schemas; a 403 usually means the Service App is not authorized in this org. " +
				"Use a personal access token (WEBEX_ACCESS_TOKEN) or switch org with " + st.Key.Render(k.SwitchOrg.Help().Key) + ", then press " + st.Key.Render(k.Reload.Help().Key) + "."}
	default:
		paras = []string{"", bad + st.Bold.Render("Could not load the schemas."), "", headline}
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

// wrapParagraphs wraps each paragraph to width, indented by two spaces.
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
