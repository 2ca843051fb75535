package listview

import tea "charm.land/bubbletea/v2"

// Rows is where a screen last drew its rows, so a click lands on the row that was under it
// even when the cursor or the window moved since. The zero value has no rows.
type Rows struct {
	line     int // body line of the first row drawn
	from, to int // the rows drawn: from ≤ p < to
}

// Set records that rows from ≤ p < to were drawn starting at body line line; Set(0, 0, 0)
// when none were (a state message instead).
func (r *Rows) Set(line, from, to int) { *r = Rows{line: line, from: from, to: max(to, from)} }

// At is the row drawn on body line y, if any.
func (r *Rows) At(y int) (int, bool) {
	if y < r.line || y-r.line >= r.to-r.from {
		return 0, false
	}
	return r.from + y - r.line, true
}

// Drawn records where the rows went (see Rows.Set); a screen calls it as it draws them.
func (m *Model) Drawn(line, from, to int) { m.drawn.Set(line, from, to) }

// Click reads a left click at body line msg.Y over n rows: on a row, the cursor goes there
// (hit); open says the row was already selected, which opens it as enter does.
func (m *Model) Click(msg tea.MouseClickMsg, n int) (hit, open bool) {
	if msg.Button != tea.MouseLeft || m.Filtering {
		return false, false
	}
	p, ok := m.drawn.At(msg.Y)
	if !ok || p >= n {
		return false, false
	}
	open = p == m.Cursor
	m.Cursor = p
	m.Clamp(n)
	return true, open
}
