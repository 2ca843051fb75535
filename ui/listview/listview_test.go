package listview

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
	fixture "github.com/byova/byova/ui/uitest"
)

// newList is a list whose window shows 5 rows.
func newList() Model {
	m := New(styles.New(true), "filter")
	m.SetSize(80, 7)
	return m
}

func TestNavigation(t *testing.T) {
	const n = 20
	k := common.DefaultKeyMap()
	for _, tc := range []struct {
		keys           []string
		cursor, offset int
	}{
		{nil, 0, 0},
		{[]string{"j"}, 1, 0},
		{[]string{"k", "k"}, 0, 0},
		{[]string{"j", "j", "j", "j", "j"}, 5, 1},
		{[]string{"G"}, 19, 15},
		{[]string{"G", "g"}, 0, 0},
		{[]string{"pgdown"}, 5, 1},
		{[]string{"pgdown", "pgdown", "pgdown", "pgdown", "pgdown"}, 19, 15},
		{[]string{"G", "pgup"}, 14, 14},
	} {
		m := newList()
		for _, name := range tc.keys {
			if !m.NavKey(fixture.Key(name), k, n) {
				t.Fatalf("%v: %q is a navigation key", tc.keys, name)
			}
		}
		if m.Cursor != tc.cursor || m.Offset != tc.offset {
			t.Errorf("%v: cursor %d offset %d, want %d %d", tc.keys, m.Cursor, m.Offset, tc.cursor, tc.offset)
		}
		if from, to := m.Window(n); from != m.Offset || to-from != 5 || m.Cursor < from || m.Cursor >= to {
			t.Errorf("%v: window %d–%d does not hold cursor %d", tc.keys, from, to, m.Cursor)
		}
	}
	m := newList()
	if m.NavKey(fixture.Key("x"), k, n) {
		t.Error("x is not a navigation key")
	}
}

func TestClampAfterRowsShrink(t *testing.T) {
	m := newList()
	m.Cursor, m.Offset = 18, 15
	m.Clamp(3)
	if m.Cursor != 2 || m.Offset != 0 {
		t.Fatalf("cursor %d offset %d after the rows shrank to 3", m.Cursor, m.Offset)
	}
	m.Clamp(0)
	if m.Cursor != 0 || m.Offset != 0 {
		t.Fatalf("an empty list: cursor %d offset %d", m.Cursor, m.Offset)
	}
	m.Follow(-1, 10)
	if m.Cursor != 0 {
		t.Fatal("Follow(-1) keeps the cursor")
	}
	m.Follow(9, 10)
	if m.Cursor != 9 || m.Offset != 5 {
		t.Fatalf("Follow(9): cursor %d offset %d", m.Cursor, m.Offset)
	}
}

func TestWheel(t *testing.T) {
	m := newList()
	m.Wheel(tea.MouseWheelMsg{Button: tea.MouseWheelDown}, 20)
	m.Wheel(tea.MouseWheelMsg{Button: tea.MouseWheelDown}, 20)
	m.Wheel(tea.MouseWheelMsg{Button: tea.MouseWheelUp}, 20)
	if m.Cursor != 3 {
		t.Fatalf("cursor %d after down, down, up", m.Cursor)
	}
}

func TestFilterKeys(t *testing.T) {
	m := newList()
	var applied []string
	apply := func(q string) { applied = append(applied, q) }
	m.StartFilter("ab")
	if !m.Filtering || m.Input.Value() != "ab" {
		t.Fatal("the filter starts from the query in use")
	}
	m.FilterKey(common.DefaultKeyMap(), fixture.Key("c"), 20, apply)
	m.FilterKey(common.DefaultKeyMap(), fixture.Key("down"), 20, apply)
	m.FilterKey(common.DefaultKeyMap(), fixture.Key("pgdown"), 20, apply)
	if m.Cursor != 6 {
		t.Errorf("arrows and page keys move while filtering: cursor %d", m.Cursor)
	}
	m.FilterKey(common.DefaultKeyMap(), fixture.Key("enter"), 20, apply)
	if m.Filtering || m.Input.Value() != "abc" {
		t.Errorf("enter keeps the filter: filtering %v, %q", m.Filtering, m.Input.Value())
	}
	m.StartFilter("abc")
	m.FilterKey(common.DefaultKeyMap(), fixture.Key("esc"), 20, apply)
	if m.Filtering || m.Input.Value() != "" {
		t.Error("esc clears the filter")
	}
	if strings.Join(applied, ",") != "abc," {
		t.Errorf("applied %q", applied)
	}
}

func TestTitleLine(t *testing.T) {
	st := styles.New(true)
	m := newList()
	m.Cursor = 2
	for _, tc := range []struct {
		t         Title
		left, pos string
	}{
		{Title{Name: "Things"}, "Things", ""},
		{Title{Name: "Things", Loaded: true, Shown: 9, Total: 9, Extra: " · sorted"}, "Things 9 · sorted", "3/9"},
		{Title{Name: "Things", Loaded: true, Query: "x", Shown: 4, Total: 9}, `Things · filter "x" 4 of 9`, "3/4"},
	} {
		got := ansi.Strip(m.TitleLine(st, 60, tc.t))
		if ansi.StringWidth(got) != 60 || !strings.HasPrefix(got, tc.left+" ") || !strings.HasSuffix(got, " "+tc.pos) && tc.pos != "" {
			t.Errorf("%+v: %q", tc.t, got)
		}
	}
	m.StartFilter("x")
	if got := ansi.Strip(m.TitleLine(st, 100, Title{Name: "Things", Loaded: true, Shown: 4, Total: 9, Extra: "hidden"})); !strings.HasPrefix(got, "/ x") || strings.Contains(got, "hidden") || !strings.Contains(got, "4 of 9") {
		t.Errorf("while filtering: %q", got)
	}
	if got := ansi.StringWidth(m.TitleLine(st, 12, Title{Name: "A long list name", Loaded: true, Shown: 100, Total: 100})); got > 12 {
		t.Errorf("%d wide at 12", got)
	}
}
