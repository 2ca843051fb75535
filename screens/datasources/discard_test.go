package datasources

import (
	"strings"
	"testing"

	"github.com/byova/byova/ui/common"
	fixture "github.com/byova/byova/ui/uitest"
)

// Issue 11, bug 1: esc in the register and edit forms asks before throwing away what was
// typed; n goes back to the form with the values kept.
func TestEscAsksBeforeDiscarding(t *testing.T) {
	for _, open := range []string{"n", "e"} {
		t.Run(open, func(t *testing.T) {
			s := newScreen(t, 100, 30)
			loaded(s, fixture.DataSources())
			fixture.Press(s, open, "tab")
			fixture.TypeText(s, "x")
			fixture.Press(s, "esc")
			if s.mode != modeConfirm || !strings.Contains(fixture.View(s), "Discard what you typed?") || !strings.Contains(fixture.View(s), "changed  url") {
				t.Fatalf("esc after typing must ask, mode %v:\n%s", s.mode, fixture.View(s))
			}
			typed := s.form.v.url
			fixture.Press(s, "n")
			if s.mode != modeForm || s.form == nil || s.form.v.url != typed {
				t.Fatalf("n must go back to the form as typed: mode %v", s.mode)
			}
			fixture.Press(s, "esc")
			n, _ := fixture.Find[common.NoticeMsg](fixture.Run(fixture.Press(s, "y")))
			if s.mode != modeList || s.form != nil || !strings.Contains(n.Text, "nothing was sent") {
				t.Fatalf("y discards: mode %v %q", s.mode, n.Text)
			}
		})
	}
}

// Opening a form and leaving it at once asks nothing: nothing was typed.
func TestEscWithNothingTypedCloses(t *testing.T) {
	for _, open := range []string{"n", "e"} {
		s := newScreen(t, 100, 30)
		loaded(s, fixture.DataSources())
		fixture.Press(s, open, "tab", "esc")
		if s.mode != modeList {
			t.Fatalf("%s: esc with nothing typed closes the form, mode %v:\n%s", open, s.mode, fixture.View(s))
		}
	}
}

// After filtering the schema picker, esc keeps the filter (huh) and the next esc clears it:
// neither closes the form.
func TestSchemaFilterEscKeepsTheForm(t *testing.T) {
	s := newScreen(t, 100, 30)
	loaded(s, fixture.DataSources())
	fixture.Press(s, "n", "/")
	fixture.TypeText(s, "sock")
	if !strings.Contains(fixture.View(s), "Schema · filtering the list") {
		t.Fatalf("while filtering, the field keeps its name on screen:\n%s", fixture.View(s))
	}
	fixture.Press(s, "esc")
	if s.mode != modeForm {
		t.Fatalf("the first esc ends the filter, mode %v", s.mode)
	}
	fixture.Press(s, "esc")
	if s.mode != modeForm || s.form == nil {
		t.Fatalf("the second esc clears the kept filter, not the form: mode %v\n%s", s.mode, fixture.View(s))
	}
	fixture.Press(s, "esc")
	if s.mode != modeList {
		t.Fatalf("with nothing typed and no filter, esc closes the form: mode %v\n%s", s.mode, fixture.View(s))
	}
}

// The schema picker filtered to nothing says so, and enter explains instead of doing nothing;
// the lifetime names its unit (issue 19, item 18).
func TestSchemaFilterToNothingSaysSo(t *testing.T) {
	s := newScreen(t, 100, 30)
	loaded(s, fixture.DataSources())
	fixture.Press(s, "n")
	if v := fixture.View(s); !strings.Contains(v, "Lifetime  minutes, 1-1440:") {
		t.Fatalf("the lifetime names its unit:\n%s", v)
	}
	fixture.Press(s, "/")
	fixture.TypeText(s, "zzzz")
	if v := fixture.View(s); !strings.Contains(v, "no schema matches the filter: esc clears it") {
		t.Fatalf("an empty filter result says so:\n%s", v)
	}
	cmd := fixture.Press(s, "enter") // huh would do nothing

	if n, ok := fixture.Find[common.NoticeMsg](fixture.Run(cmd)); !ok || !strings.Contains(n.Text, "no schema matches the filter") {
		t.Fatalf("enter on an empty picker explains: %+v", n)
	}
	if s.mode != modeForm {
		t.Fatalf("mode %v", s.mode)
	}
	fixture.Press(s, "esc")
	if v := fixture.View(s); strings.Contains(v, "no schema matches") || s.mode != modeForm {
		t.Fatalf("esc clears the filter and the note:\n%s", v)
	}
}
