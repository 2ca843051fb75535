package listview

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
	"strings"
)

// wheelStep is how many rows one notch of the mouse wheel moves.
const wheelStep = 3

// Model is a list's cursor and scroll window over n visible rows (n is the screen's: it owns
// the rows and passes their count), and its filter input. The zero value is not ready: use New.
type Model struct {
	Cursor    int // index of the selected row among the visible ones
	Offset    int // index of the first row in the window
	Filtering bool
	Input     textinput.Model // the filter, while Filtering
	height    int
	drawn     Rows // where the rows were last drawn (click.go)
}

// New is a list with a "/ " filter input showing placeholder.
func New(st *styles.Styles, placeholder string) Model {
	ti := textinput.New()
	ti.Prompt = "/ "
	ti.Placeholder = placeholder
	ti.SetStyles(st.TextInput())
	return Model{Input: ti, height: 1}
}

// SetSize gives the list its body: the title line and the column header take two lines, the
// rest holds rows.
func (m *Model) SetSize(w, h int) {
	m.height = max(h-2, 1)
	m.Input.SetWidth(max(w-30, 10))
}

// Height is how many rows the window shows.
func (m *Model) Height() int { return m.height }

// Reset puts the cursor back on the first row.
func (m *Model) Reset() { m.Cursor, m.Offset = 0, 0 }

// Clamp keeps the cursor on one of n rows and the window around the cursor.
func (m *Model) Clamp(n int) {
	h := m.height
	m.Cursor = min(max(m.Cursor, 0), max(n-1, 0))
	if m.Cursor < m.Offset {
		m.Offset = m.Cursor
	}
	if m.Cursor >= m.Offset+h {
		m.Offset = m.Cursor - h + 1
	}
	m.Offset = min(max(m.Offset, 0), max(n-h, 0))
}

// Move moves the cursor by delta rows of n.
func (m *Model) Move(delta, n int) {
	m.Cursor += delta
	m.Clamp(n)
}

// Follow puts the cursor on row p (when p >= 0: the row the screen found for the item that was
// selected before the rows changed) and clamps to n rows.
func (m *Model) Follow(p, n int) {
	if p >= 0 {
		m.Cursor = p
	}
	m.Clamp(n)
}

// Window is the range of rows to draw: from ≤ p < to.
func (m *Model) Window(n int) (from, to int) {
	return m.Offset, min(m.Offset+m.height, n)
}

// NavKey moves the cursor for the keymap's Up, Down, Top, Bottom, PageUp and PageDown and
// reports whether msg was one of them.
func (m *Model) NavKey(msg tea.KeyPressMsg, k *common.KeyMap, n int) bool {
	switch {
	case key.Matches(msg, k.Up):
		m.Move(-1, n)
	case key.Matches(msg, k.Down):
		m.Move(1, n)
	case key.Matches(msg, k.Top):
		m.Cursor = 0
		m.Clamp(n)
	case key.Matches(msg, k.Bottom):
		m.Cursor = n - 1
		m.Clamp(n)
	case key.Matches(msg, k.PageUp):
		m.Move(-m.height, n)
	case key.Matches(msg, k.PageDown):
		m.Move(m.height, n)
	default:
		return false
	}
	return true
}

// Wheel moves the cursor a few rows per notch of the mouse wheel.
func (m *Model) Wheel(msg tea.MouseWheelMsg, n int) {
	switch msg.Button {
	case tea.MouseWheelUp:
		m.Move(-wheelStep, n)
	case tea.MouseWheelDown:
		m.Move(wheelStep, n)
	}
}

// Row is what a Table needs of a row, through its pointer: the lower-case text the filter
// searches, and the id that finds it again after the rows change.
type Row[R any] interface {
	*R
	Hay() string
	Key() string
}

// Table is a list screen's rows and the view its filter leaves of them: every row, the order
// they show in, the rows that match the filter in that order, and the filter. The screen
// builds the rows; Table finds and filters them.
type Table[R any, P Row[R]] struct {
	Rows  []R
	Order []int // indexes into Rows in the order shown (nil: as they are)
	View  []int // Order (or every index), filtered: what the list draws
	query string
}

// Set replaces the rows (in their own order, until Order is set) and filters them.
func (t *Table[R, P]) Set(rows []R) {
	t.Rows, t.Order = rows, nil
	t.Refilter()
}

// Refilter rebuilds the view from Order and Query, after either or a row changed.
func (t *Table[R, P]) Refilter() {
	t.View = t.View[:0]
	if t.Order == nil {
		for i := range t.Rows {
			if t.matches(i) {
				t.View = append(t.View, i)
			}
		}
		return
	}
	for _, i := range t.Order {
		if t.matches(i) {
			t.View = append(t.View, i)
		}
	}
}

func (t *Table[R, P]) matches(i int) bool {
	return t.query == "" || strings.Contains(P(&t.Rows[i]).Hay(), t.query)
}

// SetQuery filters by q (trimmed, any case).
func (t *Table[R, P]) SetQuery(q string) {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == t.query {
		return
	}
	t.query = q
	t.Refilter()
}

// Query is the filter in use, lower case ("" shows every row).
func (t *Table[R, P]) Query() string { return t.query }

// Len is how many rows the view shows.
func (t *Table[R, P]) Len() int { return len(t.View) }

// At is the row at view position p, nil outside the view.
func (t *Table[R, P]) At(p int) *R {
	if p < 0 || p >= len(t.View) {
		return nil
	}
	return &t.Rows[t.View[p]]
}

// IDAt is the id of the row at view position p ("" outside the view).
func (t *Table[R, P]) IDAt(p int) string {
	if r := t.At(p); r != nil {
		return P(r).Key()
	}
	return ""
}

// IndexOf is the view position of the row with id, or -1 when the view lacks it.
func (t *Table[R, P]) IndexOf(id string) int {
	for p, i := range t.View {
		if P(&t.Rows[i]).Key() == id {
			return p
		}
	}
	return -1
}

// RowOf is the index in Rows of the row with id, shown or filtered out, or -1.
func (t *Table[R, P]) RowOf(id string) int {
	for i := range t.Rows {
		if P(&t.Rows[i]).Key() == id {
			return i
		}
	}
	return -1
}

// Viewed is a table as the list's cursor sees it.
type Viewed interface {
	Len() int
	Query() string
	IDAt(p int) string
	IndexOf(id string) int
	SetQuery(q string)
}

// Keep puts the cursor back on the row with id after the rows changed (when it still shows;
// else the cursor stays where it was, within the rows).
func (m *Model) Keep(t Viewed, id string) {
	p := -1
	if id != "" {
		p = t.IndexOf(id)
	}
	m.Follow(p, t.Len())
}

// Keeping runs change on t's rows (a reload, a re-filter) with the cursor kept on the row it
// was on, as Keep does.
func (m *Model) Keeping(t Viewed, change func()) {
	id := t.IDAt(m.Cursor)
	change()
	m.Keep(t, id)
}

// ListKey handles the keys every list has, on t: moving, the filter key to start filtering
// (once loaded), and dismiss to clear a filter in use. done reports that msg was one of them.
func (m *Model) ListKey(k *common.KeyMap, msg tea.KeyPressMsg, t Viewed, loaded bool) (cmd tea.Cmd, done bool) {
	if m.NavKey(msg, k, t.Len()) {
		return nil, true
	}
	switch {
	case key.Matches(msg, k.Filter):
		if !loaded {
			return nil, true
		}
		return m.StartFilter(t.Query()), true
	case key.Matches(msg, k.Dismiss) && t.Query() != "":
		m.Filter(t, "")
		m.ClearFilter()
		return nil, true
	}
	return nil, false
}

// TypeFilter is FilterKey on t: typing filters t as you go.
func (m *Model) TypeFilter(k *common.KeyMap, msg tea.KeyPressMsg, t Viewed) tea.Cmd {
	return m.FilterKey(k, msg, t.Len(), func(q string) { m.Filter(t, q) })
}

// PasteFilter is UpdateInput on t: a paste filters t as typing does.
func (m *Model) PasteFilter(msg tea.Msg, t Viewed) tea.Cmd {
	return m.UpdateInput(msg, func(q string) { m.Filter(t, q) })
}

// Filter filters t by q, keeping the selected row selected while it still shows (else the
// cursor goes to the top).
func (m *Model) Filter(t Viewed, q string) {
	id := t.IDAt(m.Cursor)
	t.SetQuery(q)
	m.Cursor = 0
	m.Keep(t, id)
}
