package safetext

import "github.com/charmbracelet/x/ansi"

// Width is how many cells s takes once shown as Line shows it. Measuring the raw text would
// count an escape sequence as nothing and a ⏎ or `\x1b` not at all.
func Width(s string) int { return ansi.StringWidth(Line(s)) }

// Fit is Line(s) cut to at most w cells, with an ellipsis when it was cut.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	l := Line(s)
	if ansi.StringWidth(l) <= w {
		return l
	}
	return ansi.Truncate(l, w, "…")
}
