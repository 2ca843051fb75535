package detailview

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
	fixture "github.com/byova/byova/ui/uitest"
)

func TestFields(t *testing.T) {
	st := styles.New(true)
	for _, tc := range []struct {
		gap  int
		want []string
	}{
		{2, []string{"Section", "  id      abc", "  empty   —", "  long    one two three four five six", "          seven", "", "Next"}},
		{0, []string{"Section", "  id    abc", "  empty —", "  long  one two three four five six seven", "", "Next"}},
	} {
		f := Fields{Styles: st, Width: 42, LabelW: 6, Gap: tc.gap, Breaks: " "}
		f.Section("Section")
		f.Field("id", "abc")
		f.Field("empty", "")
		f.Field("long", "one two three four five six seven")
		f.Section("Next")
		var got []string
		for _, l := range f.Lines {
			got = append(got, strings.TrimRight(ansi.Strip(l), " "))
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("gap %d:\n%s\nwant\n%s", tc.gap, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
		for _, l := range f.Lines {
			if w := ansi.StringWidth(l); w > 42 {
				t.Errorf("gap %d: line %q is %d wide", tc.gap, ansi.Strip(l), w)
			}
		}
	}
}

func TestPaneScrollsAndKeepsItsPlace(t *testing.T) {
	st := styles.New(true)
	k := common.DefaultKeyMap()
	lines := make([]string, 20)
	for i := range lines {
		lines[i] = "line " + string(rune('a'+i))
	}
	builds := 0
	m := New(30, 5, func(int) []string { builds++; return lines }) // 4 lines of text under the title
	first := func() string { return strings.TrimSpace(strings.Split(ansi.Strip(m.View(st, "Title")), "\n")[1]) }
	if v := ansi.Strip(m.View(st, "Title")); !strings.HasPrefix(v, "Title") || !strings.Contains(strings.Split(v, "\n")[0], "0%") {
		t.Fatalf("title line %q", strings.Split(v, "\n")[0])
	}
	for _, name := range []string{"j", "j"} {
		if !m.ScrollKey(fixture.Key(name), k) {
			t.Fatalf("%s scrolls", name)
		}
	}
	if first() != "line c" {
		t.Fatalf("after j j the pane starts at %q", first())
	}
	m.Refresh() // a refresh (the countdown) keeps the place
	if first() != "line c" || builds != 2 {
		t.Fatalf("a refresh moved the pane to %q (%d builds)", first(), builds)
	}
	m.SetSize(40, 5) // a resize builds the lines again, for the new width
	if builds != 3 || m.Width() != 40 {
		t.Fatalf("%d builds after a resize, width %d", builds, m.Width())
	}
	m.ScrollKey(fixture.Key("G"), k)
	if !strings.Contains(strings.Split(ansi.Strip(m.View(st, "Title")), "\n")[0], "100%") {
		t.Fatal("G goes to the end")
	}
	if m.ScrollKey(fixture.Key("x"), k) {
		t.Fatal("x does not scroll")
	}
}

func TestStamp(t *testing.T) {
	now := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	if got := Stamp("2026-01-02T10:00:00.000Z", now); !strings.HasPrefix(got, "2026-01-02 10:00:00Z  (") {
		t.Errorf("Stamp = %q", got)
	}
	if Stamp("", now) != "" || Stamp("soon", now) != "soon" {
		t.Error("empty stays empty, what is not a time is shown as sent")
	}
}
