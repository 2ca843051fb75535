package metrics

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxLabelRunes bounds a label value taken from Webex, so a hostile audience cannot bloat every scrape.
const maxLabelRunes = 64

// LabelValue makes text from Webex safe and bounded for a label: invalid UTF-8, control,
// format (bidi) and other non-graphic runes become "?", and it is cut to 64 runes with "…".
func LabelValue(s string) string {
	var b strings.Builder
	n := 0
	for i, r := range s {
		if n == maxLabelRunes {
			b.WriteString("…")
			break
		}
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				r = '?'
			}
		}
		if !unicode.IsGraphic(r) || unicode.Is(unicode.Cf, r) {
			r = '?'
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
