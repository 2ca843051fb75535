package listview

import (
	"errors"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
)

// Paragraphs is what a list shows instead of its rows (loading, nothing yet, no match, a
// failure): each paragraph wrapped to the width w and indented by two spaces, an empty one a
// blank line, and no more lines than fit under the title in h.
func Paragraphs(paras []string, w, h int) string {
	var out []string
	for _, p := range paras {
		if w > 6 {
			p = lipgloss.Wrap(p, w-4, " /")
		}
		for l := range strings.SplitSeq(p, "\n") {
			if l != "" {
				l = "  " + l
			}
			out = append(out, l)
		}
	}
	if len(out) > h-1 {
		out = out[:max(h-1, 0)]
	}
	return strings.Join(out, "\n")
}

// NoMatch is the state of a filter that leaves no row: noun is one row's name ("schema").
func NoMatch(st *styles.Styles, k *common.KeyMap, noun, query string) []string {
	return []string{"", "No " + noun + " matches \"" + query + "\".",
		"Press " + st.Key.Render(k.Dismiss.Help().Key) + " to clear the filter, or " + st.Key.Render(k.Filter.Help().Key) + " to change it."}
}

// Failure is what a list says when its load failed, in the words of the screen: Lines gives a
// headline for the kind of failure, Webex's own words (common.Describe), what to do, and the
// trackingId Webex sent.
type Failure struct {
	What           string // the list, for "Could not load the schemas."
	NotSignedInAs  string // the headline when no usable sign-in was found ("" is "Not signed in.")
	NotSignedIn    string // how to sign in for this list, before ", then press r."
	NotSignedAlso  string // a paragraph after that one (another way in), or ""
	Unauthorized   string // how to sign in again, before ", then press r."
	ForbiddenTitle string // the headline of a 403 ("Insufficient scope.")
	Forbidden      string // what a 403 means here and what to do, the whole paragraph
}

// Lines is the failure state for err as paragraphs (see Paragraphs).
func (f Failure) Lines(st *styles.Styles, k *common.KeyMap, err error) []string {
	headline, hint := common.Describe(k, err)
	reload := st.Key.Render(k.Reload.Help().Key)
	bad := st.Error.Render(styles.GlyphError + " ")
	say := func(title string, todo string) []string {
		return []string{"", bad + st.Bold.Render(title), "", headline, "", todo}
	}
	var ne *api.NetError
	var paras []string
	switch {
	case errors.Is(err, api.ErrNotSignedIn):
		title := f.NotSignedInAs
		if title == "" {
			title = "Not signed in."
		}
		paras = say(title, f.NotSignedIn+", then press "+reload+".")
		if f.NotSignedAlso != "" {
			paras = append(paras, "", f.NotSignedAlso)
		}
	case errors.Is(err, api.ErrUnauthorized):
		paras = say("Webex rejected the token.", f.Unauthorized+", then press "+reload+".")
	case errors.As(err, &ne):
		paras = say("Webex is unreachable.", "Check the network, a proxy or --base-url, then press "+reload+" to retry.")
	case errors.Is(err, api.ErrForbidden):
		paras = say(f.ForbiddenTitle, f.Forbidden)
	default:
		paras = []string{"", bad + st.Bold.Render("Could not load "+f.What+"."), "", headline}
		if hint != "" {
			paras = append(paras, "", hint)
		}
		paras = append(paras, "", "Press "+reload+" to retry.")
	}
	if tid := api.TrackingIDOf(err); tid != "" {
		paras = append(paras, "", st.Muted.Render("trackingId "+tid))
	}
	return paras
}
