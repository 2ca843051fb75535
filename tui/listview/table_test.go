package listview

import (
	"testing"

	"github.com/byova/byova/tui/styles"
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
	if got := ids(&tb); got != "ac" || tb.Query != "one" {
		t.Fatalf("filtered %q (query %q)", got, tb.Query)
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
