package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// ? and q stay in the footer at every width, however the screen's hints happen to break.
func TestFooterKeepsHelpAndQuit(t *testing.T) {
	for w := 80; w <= 160; w++ {
		m := bare(t, w, 30)
		lines := strings.Split(plain(m), "\n")
		last := lines[len(lines)-1]
		if !strings.HasSuffix(last, "? help • q quit") || ansi.StringWidth(last) > w {
			t.Fatalf("width %d: footer %q", w, last)
		}
	}
}
