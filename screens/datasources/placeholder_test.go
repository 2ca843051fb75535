package datasources

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/api"
	"github.com/byova/byova/ui/common"
	fixture "github.com/byova/byova/ui/uitest"
)

// Issue 11, bug 8: the lifetime's placeholder shows whole ("minutes, 1 to 1440"), not "minut".
func TestLifetimePlaceholderIsWhole(t *testing.T) {
	s := newScreen(t, 80, 24)
	loaded(s, fixture.DataSources())
	fixture.Press(s, "n")
	fill(s, "https://gw.example.com/x", "Aud", "Sub")
	for range 4 {
		fixture.Press(s, "backspace")
	}
	if v := fixture.View(s); !strings.Contains(v, "minutes, 1-1440: > 1 to 1440") {
		t.Fatalf("the lifetime placeholder is cut:\n%s", v)
	}
}

// Issue 11, bug 8: the not-signed-in text wraps as one paragraph, every line indented, at
// half a tmux split as at 80 columns.
func TestNotSignedInWraps(t *testing.T) {
	for _, w := range []int{60, 80} {
		s := newScreen(t, w, 20)
		s.load()
		s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{}, &api.SignInError{Reason: "no Service App token for this org: run `byova auth login --method service-app`"}))
		v := fixture.View(s)
		if !strings.Contains(v, "Not signed in.") {
			t.Fatalf("%d: %s", w, v)
		}
		for _, l := range strings.Split(v, "\n")[1:] {
			if l != "" && !strings.HasPrefix(l, "  ") {
				t.Errorf("%d columns: a line lost its indent: %q\n%s", w, l, v)
			}
			if ansi.StringWidth(l) > w {
				t.Errorf("%d columns: too wide: %q", w, l)
			}
		}
	}
}
