// Package listscreen is the skeleton every list screen shares (data sources, schemas,
// webhooks): one load at a time (a newer one stops the older, and common's one rule judges
// the answer), what a load's answer does to the list (the cursor kept on its row; a failure
// shown in place of the rows, or as a banner over what a reload keeps showing), the keys and
// the click every list has (move, filter, reload, open the row), and where the cursor goes
// when a row is taken off. A screen keeps its rows, columns, states and actions.
package listscreen

import (
	"context"
	"errors"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/detailview"
	"github.com/byova/byova/ui/listview"
	"github.com/byova/byova/ui/styles"
)

// Model is the skeleton, embedded in a list screen.
type Model struct {
	List    listview.Model // cursor, window and filter over the screen's table
	Loaded  bool           // a load succeeded at least once (since the last Reset)
	LoadErr error          // the latest load failed while nothing was loaded: shown in place of the rows

	noun   string             // what the list holds, for the banner: "reloading " + noun
	cancel context.CancelFunc // the load in flight, nil when none
}

// New is the skeleton of a list of noun ("data sources"), its filter input showing placeholder.
func New(st *styles.Styles, noun, placeholder string) Model {
	return Model{List: listview.New(st, placeholder), noun: noun}
}

// Load begins a load of the list: the older one still in flight is stopped, since its answer
// would be superseded anyway. The command uses the request returned and nothing else.
func (m *Model) Load(c *common.Common, owner common.Owner, what string, timeout time.Duration) common.Request {
	if m.cancel != nil {
		m.cancel()
	}
	req := c.Request(owner, common.KindLoad, what, timeout)
	m.cancel = req.Cancel
	return req
}

// Loading reports a load in flight.
func (m *Model) Loading() bool { return m.cancel != nil }

// Wanted judges a load's answer by common's rule: false for one a newer load or an org switch
// superseded (drop it). A wanted answer ends the load in flight.
func (m *Model) Wanted(c *common.Common, r common.Answer) bool {
	if !c.Current(r) {
		c.Logger.Debug("dropped a stale list", "noun", m.noun, "id", r.Head().ID, "latest", c.Newest(r.Head().Owner, common.KindLoad))
		return false
	}
	m.cancel = nil
	return true
}

// Canceled reports an error that only says the request was stopped on purpose: nothing to show.
func Canceled(err error) bool { return errors.Is(err, context.Canceled) }

// Failed records a load that failed (not Canceled): a reload's failure is a banner over what
// is still shown; a failure with nothing loaded is shown in place of the rows.
func (m *Model) Failed(err error) tea.Cmd {
	if m.Loaded {
		return common.Error("reloading "+m.noun, err)
	}
	m.LoadErr = err
	return nil
}

// Show puts a successful load's rows in t (set fills it), keeping the cursor on its row.
func (m *Model) Show(t listview.Viewed, set func()) {
	m.List.Keeping(t, set)
	m.Loaded, m.LoadErr = true, nil
}

// Reset forgets the loaded state and the cursor (an org or profile switch); the screen empties
// its table.
func (m *Model) Reset() {
	m.Loaded, m.LoadErr = false, nil
	m.List.Reset()
}

// Neighbour is the id of the row the cursor goes to when the one under it is taken off: the
// next row, else the previous ("" when none).
func (m *Model) Neighbour(t listview.Viewed) string {
	if id := t.IDAt(m.List.Cursor + 1); id != "" {
		return id
	}
	return t.IDAt(m.List.Cursor - 1)
}

// Key handles the keys every list has on t: moving, the filter and clearing it
// (listview.ListKey), reload (when reload is not nil) and open on the selected row. done
// reports that msg was one of them.
func (m *Model) Key(k *common.KeyMap, msg tea.KeyPressMsg, t listview.Viewed, reload, open func() tea.Cmd) (cmd tea.Cmd, done bool) {
	if cmd, done := m.List.ListKey(k, msg, t, m.Loaded); done {
		return cmd, true
	}
	switch {
	case reload != nil && key.Matches(msg, k.Reload):
		return reload(), true
	case key.Matches(msg, k.Open):
		if t.IDAt(m.List.Cursor) == "" {
			return nil, true
		}
		return open(), true
	}
	return nil, false
}

// Click handles a click on the list: on a row it selects it, on the selected row it opens it.
func (m *Model) Click(msg tea.MouseClickMsg, t listview.Viewed, open func() tea.Cmd) tea.Cmd {
	if _, opened := m.List.Click(msg, t.Len()); opened && t.IDAt(m.List.Cursor) != "" {
		return open()
	}
	return nil
}

// Wheel scrolls what shows: the open detail's pane (nil when none is open), else the list on
// t when it is what shows (not a form or a dialog).
func (m *Model) Wheel(msg tea.MouseWheelMsg, t listview.Viewed, pane *detailview.Model, listShown bool) {
	switch {
	case pane != nil:
		pane.Wheel(msg)
	case listShown:
		m.List.Wheel(msg, t.Len())
	}
}
