package datasources

import (
	"errors"
	"strings"

	"github.com/byova/byova/api"
	"github.com/byova/byova/tui/common"
	"github.com/byova/byova/tui/styles"
)

// stateView is what shows instead of the table when there is no row to show: each state says
// what happened and what to do next.
func (s *Screen) stateView() (string, bool) {
	st, k := s.c.Styles, s.c.Keys
	var lines []string
	switch {
	case s.loadErr != nil:
		lines = s.failureLines(s.loadErr)
	case !s.loaded:
		lines = []string{"", "  Loading data sources from Webex…"}
	case len(s.tbl.Rows) == 0:
		lines = []string{"", "  " + st.Bold.Render("No data sources yet."), ""}
		if s.c.ReadOnly() {
			lines = append(lines, "  This profile is read-only; register one from a profile that can write.")
		} else {
			lines = append(lines, "  Press "+st.Key.Render(k.New.Help().Key)+" to register one: you need its schema, an https URL, an audience and a subject.")
		}
		lines = append(lines, "  Press "+st.Key.Render(k.Reload.Help().Key)+" to reload.")
	case s.tbl.Len() == 0:
		lines = []string{"", "  No data source matches \"" + s.tbl.Query() + "\".",
			"  Press " + st.Key.Render(k.Dismiss.Help().Key) + " to clear the filter, or " + st.Key.Render(k.Filter.Help().Key) + " to change it."}
	default:
		return "", false
	}
	return s.wrapLines(lines), true
}

func (s *Screen) failureLines(err error) []string {
	st, k := s.c.Styles, s.c.Keys
	headline, hint := common.Describe(s.c.Keys, err)
	var ne *api.NetError
	bad := st.Error.Render(styles.GlyphError + " ")
	var lines []string
	switch {
	case errors.Is(err, api.ErrNotSignedIn):
		lines = []string{"", "  " + bad + st.Bold.Render("Not signed in."), "", "  " + headline, "",
			"  Sign in with " + st.Key.Render("byova auth login") + " (or set WEBEX_SA_CLIENT_ID, WEBEX_SA_CLIENT_SECRET " +
				"and WEBEX_SA_REFRESH_TOKEN), then press " + st.Key.Render(k.Reload.Help().Key) + "."}
	case errors.Is(err, api.ErrUnauthorized):
		lines = []string{"", "  " + bad + st.Bold.Render("Webex rejected the token."), "", "  " + headline, "",
			"  Sign in again with " + st.Key.Render("byova auth login") + ", then press " + st.Key.Render(k.Reload.Help().Key) + "."}
	case errors.As(err, &ne):
		lines = []string{"", "  " + bad + st.Bold.Render("Webex is unreachable."), "", "  " + headline, "",
			"  Check the network, a proxy or --base-url, then press " + st.Key.Render(k.Reload.Help().Key) + " to retry."}
	case errors.Is(err, api.ErrForbidden):
		lines = []string{"", "  " + bad + st.Bold.Render("Insufficient scope."), "", "  " + headline, "",
			"  The Service App token needs spark-admin:datasource_read (and _write to change anything), and a " +
				"Full Admin of the org must have authorized the Service App in Control Hub. Then press " + st.Key.Render(k.Reload.Help().Key) + "."}
	default:
		lines = []string{"", "  " + bad + st.Bold.Render("Could not load the data sources."), "", "  " + headline}
		if hint != "" {
			lines = append(lines, "", "  "+hint)
		}
		lines = append(lines, "", "  Press "+st.Key.Render(k.Reload.Help().Key)+" to retry.")
	}
	if tid := api.TrackingIDOf(err); tid != "" {
		lines = append(lines, "", "  "+st.Muted.Render("trackingId "+tid))
	}
	return lines
}

// wrapLines wraps each paragraph to the body width (Webex messages can be long), keeping
// its indentation on every line it wraps to.
func (s *Screen) wrapLines(lines []string) string {
	var out []string
	for _, l := range lines {
		indent := ""
		if strings.HasPrefix(l, "  ") {
			indent, l = "  ", l[2:]
		}
		for w := range strings.SplitSeq(wrap(l, s.width-2-len(indent)), "\n") {
			out = append(out, indent+w)
		}
	}
	if len(out) > s.height-1 {
		out = out[:max(s.height-1, 0)]
	}
	return strings.Join(out, "\n")
}
