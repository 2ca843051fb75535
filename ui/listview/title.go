package listview

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/styles"
)

// Title is what a list's first line says.
type Title struct {
	Name         string // "Data sources"
	Loaded       bool   // before the first answer only the name shows
	Query        string // the filter in use
	Shown, Total int    // rows that match, rows loaded
	Extra        string // styled, after the count (sort, source, warnings); not while filtering
	// ExtraShorter is Extra in fewer words, tried in turn when the line does not fit: shorter
	// words first, so the line is cut only when even the shortest does not fit.
	ExtraShorter []string
}

// TitleLine is the filter input while typing, else the name, the count (or the filter and how
// many match) and t.Extra; the cursor position is on the right, and it fits width.
func (m *Model) TitleLine(st *styles.Styles, width int, t Title) string {
	pos := ""
	if t.Shown > 0 {
		pos = strconv.Itoa(m.Cursor+1) + "/" + strconv.Itoa(t.Shown)
	}
	var left string
	switch {
	case m.Filtering:
		left = m.Input.View() + st.Muted.Render("  "+strconv.Itoa(t.Shown)+" of "+strconv.Itoa(t.Total))
	default:
		left = st.Title.Render(t.Name)
		if t.Loaded {
			if t.Query != "" {
				left += st.Muted.Render(" · ") + st.FilterLabel.Render("filter \""+t.Query+"\"") +
					st.Muted.Render(" "+strconv.Itoa(t.Shown)+" of "+strconv.Itoa(t.Total))
			} else {
				left += st.Muted.Render(" " + strconv.Itoa(t.Total))
			}
		}
	}
	room := width - ansi.StringWidth(pos) - 1
	if !m.Filtering && t.Loaded {
		extra := t.Extra
		for _, e := range t.ExtraShorter {
			if ansi.StringWidth(left+extra) <= room {
				break
			}
			extra = e
		}
		left += extra
	}
	left = format.Cut(left, room)
	pad := max(width-ansi.StringWidth(left)-ansi.StringWidth(pos), 1)
	return left + strings.Repeat(" ", pad) + st.Muted.Render(pos)
}
