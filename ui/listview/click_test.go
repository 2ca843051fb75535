package listview

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// A click lands on the row drawn under it: the window scrolled by 10 and the rows drawn from
// body line 2 put row 13 on line 5.
func TestClickScrolled(t *testing.T) {
	const n = 20
	m := newList()
	m.Cursor = 14
	m.Clamp(n) // offset 10: rows 10-14 shown
	from, to := m.Window(n)
	m.Drawn(2, from, to)
	click := func(y int) (bool, bool) { return m.Click(tea.MouseClickMsg{Y: y, Button: tea.MouseLeft}, n) }

	if hit, open := click(5); !hit || open || m.Cursor != 13 {
		t.Fatalf("click on line 5: hit %v open %v cursor %d, want row 13", hit, open, m.Cursor)
	}
	if hit, open := click(5); !hit || !open || m.Cursor != 13 {
		t.Fatalf("second click on row 13: hit %v open %v, want open", hit, open)
	}
	for _, y := range []int{0, 1, 7, 30} { // the title, the column header, below the rows
		if hit, _ := click(y); hit || m.Cursor != 13 {
			t.Fatalf("click on line %d moved the cursor to %d", y, m.Cursor)
		}
	}
	if hit, _ := m.Click(tea.MouseClickMsg{Y: 3, Button: tea.MouseRight}, n); hit {
		t.Fatal("a right click moved the cursor")
	}
	m.Drawn(0, 0, 0) // a state message drawn instead of rows
	if hit, _ := click(3); hit {
		t.Fatal("a click where no row is drawn moved the cursor")
	}
}
