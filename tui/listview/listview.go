package listview

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/tui/common"
	"github.com/byova/byova/tui/styles"
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
