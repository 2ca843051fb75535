package datasources

import (
	"github.com/byova/byova/ui/listview"
)

// stateView is what shows instead of the table when there is no row to show: each state says
// what happened and what to do next.
func (s *Screen) stateView() (string, bool) {
	st, k := s.c.Styles, s.c.Keys
	var paras []string
	switch {
	case s.LoadErr != nil:
		paras = s.failureLines(s.LoadErr)
	case !s.Loaded:
		paras = []string{"", "Loading data sources from Webex…"}
	case len(s.tbl.Rows) == 0:
		paras = []string{"", st.Bold.Render("No data sources yet."), ""}
		if s.c.ReadOnly() {
			paras = append(paras, "This profile is read-only; register one from a profile that can write.")
		} else {
			paras = append(paras, "Press "+st.Key.Render(k.New.Help().Key)+" to register one: you need its schema, an https URL, an audience and a subject.")
		}
		paras = append(paras, "Press "+st.Key.Render(k.Reload.Help().Key)+" to reload.")
	case s.tbl.Len() == 0:
		paras = listview.NoMatch(st, k, "data source", s.tbl.Query())
	default:
		return "", false
	}
	return listview.Paragraphs(paras, s.width, s.height), true
}

func (s *Screen) failureLines(err error) []string {
	st, k := s.c.Styles, s.c.Keys
	login := st.Key.Render("byova auth login")
	return listview.Failure{
		What: "the data sources",
		// Sign-in is in the app (screen 4's wizard): no need to leave it, then come back.
		NotSignedIn: "Press " + st.Key.Render(k.Screen4.Help().Key) + " then " + st.Key.Render(k.New.Help().Key) +
			" to sign in here (or run " + login + " in a shell, or set WEBEX_SA_CLIENT_ID, WEBEX_SA_CLIENT_SECRET " +
			"and WEBEX_SA_REFRESH_TOKEN)",
		NotSignedAlso:  "No Webex account at hand? " + st.Key.Render("byova --demo") + " opens this UI on a built-in fake Webex.",
		Unauthorized:   "Sign in again with " + login,
		ForbiddenTitle: "Insufficient scope.",
		Forbidden: "The Service App token needs spark-admin:datasource_read (and _write to change anything), and a " +
			"Full Admin of the org must have authorized the Service App in Control Hub. Then press " + st.Key.Render(k.Reload.Help().Key) + ".",
	}.Lines(st, k, err)
}
