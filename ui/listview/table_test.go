package listview

import (
	"testing"

	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
	fixture "github.com/byova/byova/ui/uitest"
)

type item struct{ id, text string }

func (i *item) Hay() string { return i.text }
func (i *item) Key() string { return i.id }

func ids(t *Table[item, *item]) string {
	out := ""
	for p := range t.Len() {
		out += t.IDAt(p)
	}
	return out
}

func TestTableFiltersInOrder(t *testing.T) {
	var tb Table[item, *item]
	tb.Set([]item{{"a", "alpha one"}, {"b", "beta two"}, {"c", "gamma one"}})
	if got := ids(&tb); got != "abc" {
		t.Fatalf("unfiltered %q", got)
	}
	tb.SetQuery("  ONE ")
	if got := ids(&tb); got != "ac" || tb.Query() != "one" {
		t.Fatalf("filtered %q (query %q)", got, tb.Query())
	}
	tb.Order = []int{2, 1, 0}
	tb.Refilter()
	if got := ids(&tb); got != "ca" {
		t.Fatalf("in order %q", got)
	}
	if tb.IndexOf("a") != 1 || tb.IndexOf("b") != -1 || tb.RowOf("b") != 1 || tb.At(2) != nil || tb.IDAt(-1) != "" {
		t.Fatal("finding rows")
	}
}

// The cursor stays on the selected row through a filter while it still shows.
func TestFilterKeepsTheSelection(t *testing.T) {
	var tb Table[item, *item]
	tb.Set([]item{{"a", "x"}, {"b", "y"}, {"c", "x"}})
	m := New(styles.New(true), "")
	m.SetSize(80, 10)
	m.Cursor = 2 // c
	m.Filter(&tb, "x")
	if m.Cursor != 1 || tb.IDAt(m.Cursor) != "c" {
		t.Fatalf("cursor %d on %q, want c", m.Cursor, tb.IDAt(m.Cursor))
	}
	m.Filter(&tb, "y") // c is filtered out: the top
	if m.Cursor != 0 || tb.IDAt(0) != "b" {
		t.Fatalf("cursor %d", m.Cursor)
	}
	m.Filter(&tb, "")
	if tb.IDAt(m.Cursor) != "b" {
		t.Fatalf("clearing the filter moved the selection to %q", tb.IDAt(m.Cursor))
	}
}

// ListKey: moving and / are the list's; / waits for the first load; esc clears a filter in
// use and is left to the screen when there is none.
func TestListKey(t *testing.T) {
	k := common.DefaultKeyMap()
	var tb Table[item, *item]
	tb.Set([]item{{"a", "x"}, {"b", "y"}})
	m := New(styles.New(true), "")
	m.SetSize(80, 10)
	if _, done := m.ListKey(k, fixture.Key("j"), &tb, true); !done || m.Cursor != 1 {
		t.Fatalf("j: done %v, cursor %d", done, m.Cursor)
	}
	if _, done := m.ListKey(k, fixture.Key("/"), &tb, false); !done || m.Filtering {
		t.Fatal("/ before the first load must be taken and start nothing")
	}
	if _, done := m.ListKey(k, fixture.Key("esc"), &tb, true); done {
		t.Fatal("esc with no filter belongs to the screen")
	}
	m.Filter(&tb, "y")
	if _, done := m.ListKey(k, fixture.Key("esc"), &tb, true); !done || tb.Query() != "" || tb.Len() != 2 || tb.IDAt(m.Cursor) != "b" {
		t.Fatalf("esc must clear the filter and keep b selected: query %q, cursor on %q", tb.Query(), tb.IDAt(m.Cursor))
	}
	if _, done := m.ListKey(k, fixture.Key("x"), &tb, true); done {
		t.Fatal("x is not a list key")
	}
}
