package listscreen

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/detailview"
	"github.com/byova/byova/ui/listview"
	fixture "github.com/byova/byova/ui/uitest"
)

// item is a row of a list with an id.
type item struct{ id string }

func (r *item) Hay() string { return r.id }
func (r *item) Key() string { return r.id }

type table struct{ listview.Table[item, *item] }

func rows(ids ...string) []item {
	out := make([]item, len(ids))
	for i, id := range ids {
		out[i] = item{id}
	}
	return out
}

const owner common.Owner = "list"

func newModel() (*Model, *common.Common, *table) {
	c := common.New(context.Background(), nil, nil, nil, nil)
	m := New(c.Styles, "things", "filter")
	m.List.SetSize(80, 10)
	return &m, c, &table{}
}

// A newer load stops the older and supersedes its answer; a wanted answer ends the load; a
// reload keeps the cursor on its row.
func TestLoadKeepsOneInFlight(t *testing.T) {
	m, c, tbl := newModel()
	first := m.Load(c, owner, "loading things", time.Minute)
	second := m.Load(c, owner, "reloading things", time.Minute)
	defer second.Cancel()
	if first.Ctx.Err() == nil || second.Ctx.Err() != nil || !m.Loading() {
		t.Fatal("the older load is stopped, the newer runs")
	}
	if m.Wanted(c, common.ReplyTo(first, 0, nil)) || !m.Loading() {
		t.Fatal("the older load's answer is dropped and ends nothing")
	}
	if !m.Wanted(c, common.ReplyTo(second, 0, nil)) || m.Loading() {
		t.Fatal("the newest load's answer is wanted and ends the load")
	}
	m.Show(tbl, func() { tbl.Set(rows("a", "b", "c")) })
	m.List.Cursor = 1
	m.Show(tbl, func() { tbl.Set(rows("z", "a", "b", "c")) })
	if !m.Loaded || tbl.IDAt(m.List.Cursor) != "b" {
		t.Fatalf("the cursor stays on b: %q", tbl.IDAt(m.List.Cursor))
	}
	if m.Neighbour(tbl) != "c" {
		t.Fatalf("taking b off, the cursor goes to the next row: %q", m.Neighbour(tbl))
	}
	m.List.Cursor = 3
	if m.Neighbour(tbl) != "b" {
		t.Fatalf("on the last row, to the previous: %q", m.Neighbour(tbl))
	}
	c.SwitchOrg("11111111-2222-4333-8444-555555555555")
	if !m.Wanted(c, common.ReplyTo(m.Load(c, owner, "x", time.Minute), 0, nil)) {
		t.Fatal("a load made after the switch is wanted")
	}
}

// A first load's failure shows in place of the rows; a reload's is a banner over them.
func TestFailed(t *testing.T) {
	m, _, _ := newModel()
	boom := errors.New("boom")
	if cmd := m.Failed(boom); cmd != nil || m.LoadErr != boom {
		t.Fatal("nothing loaded: the failure is the list's state")
	}
	m.Loaded, m.LoadErr = true, nil
	e, ok := fixture.Find[common.ErrorMsg](fixture.Run(m.Failed(boom)))
	if !ok || e.Op != "reloading things" || e.Err != boom || m.LoadErr != nil {
		t.Fatalf("a reload's failure is a banner: %+v", e)
	}
	if !Canceled(fmt.Errorf("x: %w", context.Canceled)) || Canceled(boom) {
		t.Fatal("Canceled")
	}
	m.Reset()
	if m.Loaded || m.LoadErr != nil {
		t.Fatal("Reset forgets the load")
	}
}

// The keys every list has: reload, and open on a row (never on an empty list).
func TestKey(t *testing.T) {
	m, c, tbl := newModel()
	k := c.Keys
	opened, reloaded := 0, 0
	open := func() tea.Cmd { opened++; return nil }
	reload := func() tea.Cmd { reloaded++; return nil }
	if _, done := m.Key(k, fixture.Key("enter"), tbl, reload, open); !done || opened != 0 {
		t.Fatal("enter on an empty list opens nothing")
	}
	m.Show(tbl, func() { tbl.Set(rows("a", "b")) })
	for _, name := range []string{"j", "enter", "r"} {
		if _, done := m.Key(k, fixture.Key(name), tbl, reload, open); !done {
			t.Fatalf("%s is a list key", name)
		}
	}
	if opened != 1 || reloaded != 1 || m.List.Cursor != 1 {
		t.Fatalf("opened %d, reloaded %d, cursor %d", opened, reloaded, m.List.Cursor)
	}
	if _, done := m.Key(k, fixture.Key("r"), tbl, nil, open); done {
		t.Fatal("without a reload, r is the screen's")
	}
	if _, done := m.Key(k, fixture.Key("x"), tbl, reload, open); done {
		t.Fatal("x is the screen's")
	}
}

// The wheel scrolls the open detail, else the list when it shows, else nothing.
func TestWheel(t *testing.T) {
	m, _, tbl := newModel()
	ids := make([]string, 30)
	for i := range ids {
		ids[i] = fmt.Sprint(i)
	}
	m.Show(tbl, func() { tbl.Set(rows(ids...)) })
	m.Wheel(fixture.Wheel(false), tbl, nil, false)
	if m.List.Cursor != 0 || m.List.Offset != 0 {
		t.Fatal("a form or dialog shows: the list stays")
	}
	m.Wheel(fixture.Wheel(false), tbl, nil, true)
	if m.List.Cursor == 0 && m.List.Offset == 0 {
		t.Fatal("the list scrolls")
	}
	cur, off := m.List.Cursor, m.List.Offset
	pane := detailview.New(80, 5, func(int) []string { return ids })
	m.Wheel(fixture.Wheel(false), tbl, &pane, true)
	if m.List.Cursor != cur || m.List.Offset != off {
		t.Fatal("an open detail takes the wheel")
	}
}
