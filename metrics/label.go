package metrics

import (
	"github.com/byova/byova/safetext"
)

// maxLabelRunes bounds a label value taken from Webex, so a hostile audience cannot bloat every scrape.
const maxLabelRunes = 64

// LabelValue makes text from Webex safe and bounded for a label: the one sanitiser
// (safetext.Line) makes control, escape and bidi characters visible, then it is cut to 64
// runes with "…".
func LabelValue(s string) string {
	s = safetext.Line(s)
	n := 0
	for i := range s {
		if n == maxLabelRunes {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
