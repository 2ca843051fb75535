package listview

import "strings"

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
	Order []int  // indexes into Rows in the order shown (nil: as they are)
	View  []int  // Order (or every index), filtered: what the list draws
	Query string // the filter, lower case ("" shows every row)
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
	return t.Query == "" || strings.Contains(P(&t.Rows[i]).Hay(), t.Query)
}

// SetQuery filters by q (trimmed, any case).
func (t *Table[R, P]) SetQuery(q string) {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == t.Query {
		return
	}
	t.Query = q
	t.Refilter()
}

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

// Filter filters t by q, keeping the selected row selected while it still shows (else the
// cursor goes to the top).
func (m *Model) Filter(t Viewed, q string) {
	id := t.IDAt(m.Cursor)
	t.SetQuery(q)
	m.Cursor = 0
	m.Keep(t, id)
}
