package format

import (
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/safetext"
)

// FuzzWidthOfSafeText: on text as safetext shows it (what every cell holds), Width's quick
// pass agrees with ansi.StringWidth, and Fit, Cut and CutMiddle never draw wider than asked.
func FuzzWidthOfSafeText(f *testing.F) {
	for _, s := range []string{"", "BYOVAGateway", "aud\x1b]52;c;eA==\x07", "東京\u0301", "\u00ad\u0300x", "https://a\rb\u202e", "✓ ✗ ▸ …"} {
		f.Add(s, 12)
	}
	f.Fuzz(func(t *testing.T, s string, w int) {
		line := safetext.Line(s)
		if got, want := Width(line), ansi.StringWidth(line); got != want {
			t.Fatalf("Width(%q) = %d, ansi.StringWidth = %d", line, got, want)
		}
		w %= 120
		if w <= 0 {
			return
		}
		if got := ansi.StringWidth(Fit(line, w)); got != w {
			t.Fatalf("Fit(%q, %d) is %d wide", line, w, got)
		}
		if got := ansi.StringWidth(Cut(line, w)); got > w {
			t.Fatalf("Cut(%q, %d) is %d wide", line, w, got)
		}
		if got := ansi.StringWidth(CutMiddle(line, w)); got > w {
			t.Fatalf("CutMiddle(%q, %d) is %d wide", line, w, got)
		}
	})
}
