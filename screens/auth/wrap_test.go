package auth

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// The detail's long lines wrap under their label instead of being cut: a sentence at word
// boundaries (it reads whole when the lines are joined), an ID at any character.
func TestDetailWrapsInsteadOfCutting(t *testing.T) {
	life := "expires 2026-12-06 23:02 UTC (in 59m) · refreshed on its own"
	id := "Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9kYTk0MGJmZS04ODAwLTQxNDctYjBiYi00YjVjNDQzZDE1NDk"
	for _, width := range []int{60, 80} {
		lines := wrapWords("  life     ", life, width)
		words := make([]string, len(lines))
		for i, l := range lines {
			if ansi.StringWidth(l) > width {
				t.Errorf("%d columns: %q is wider", width, l)
			}
			if i > 0 && !strings.HasPrefix(l, strings.Repeat(" ", 11)) {
				t.Errorf("%d columns: %q is not under the text", width, l)
			}
			words[i] = strings.TrimSpace(strings.TrimPrefix(l, "  life"))
		}
		if got := strings.Join(words, " "); got != life {
			t.Errorf("%d columns: the sentence reads %q", width, got)
		}
		if width == 60 && len(lines) < 2 {
			t.Errorf("60 columns: %q was not wrapped", lines)
		}
		scopes := "spark-admin:datasource_read spark-admin:datasource_write spark-admin:organizations_read"
		for _, l := range wrapWords("  scopes   ", scopes, width) {
			if f := strings.Fields(l); !strings.HasPrefix(f[len(f)-1], "spark-admin:") {
				t.Errorf("%d columns: a scope is broken at its hyphen: %q", width, l)
			}
		}
		var joined string
		for _, l := range wrapID("  Webex ID ", id, width, func(s ...string) string { return strings.Join(s, "") }) {
			if ansi.StringWidth(l) > width {
				t.Errorf("%d columns: %q is wider", width, l)
			}
			joined += strings.TrimSpace(strings.TrimPrefix(l, "  Webex ID "))
		}
		if joined != id {
			t.Errorf("%d columns: the ID reads %q", width, joined)
		}
	}
}
