package schemas

import (
	"github.com/byova/byova/ui/listview"
)

// stateView is what shows instead of the table when there is no row: what happened and what
// to do next. Each entry is a paragraph, wrapped to the width.
func (s *Screen) stateView() (string, bool) {
	st, k := s.c.Styles, s.c.Keys
	var paras []string
	switch {
	case s.LoadErr != nil:
		paras = s.failureLines(s.LoadErr)
	case !s.Loaded:
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
	return listview.Paragraphs(paras, s.width, s.height), true
}

func (s *Screen) failureLines(err error) []string {
	st, k := s.c.Styles, s.c.Keys
	login, reload := st.Key.Render("byova auth login"), st.Key.Render(k.Reload.Help().Key)
	return listview.Failure{
		What:           "the schemas",
		NotSignedIn:    "Sign in with " + login + " (or set WEBEX_ACCESS_TOKEN)",
		Unauthorized:   "Sign in again with " + login,
		ForbiddenTitle: "Webex refused to list the schemas.",
		Forbidden: "Any valid token may read schemas; a 403 usually means the Service App is not authorized in this org. " +
			"Use a personal access token (WEBEX_ACCESS_TOKEN) or switch org with " + st.Key.Render(k.SwitchOrg.Help().Key) + ", then press " + reload + ".",
	}.Lines(st, k, err)
}
