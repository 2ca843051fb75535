package webhooks

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/detailview"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/listview"
	"github.com/byova/byova/ui/styles"
)

// listView is the title line, the column header and the visible rows.
func (s *Screen) listView() string {
	st := s.c.Styles
	var b strings.Builder
	b.WriteString(s.titleLine())
	b.WriteByte('\n')
	s.List.Drawn(0, 0, 0)
	if body, ok := s.stateView(); ok {
		b.WriteString(body)
		return b.String()
	}
	l := newLayout(s.width, s.tbl.widest)
	b.WriteString(st.TableHeader.Render(format.Cut(l.header, s.width)))
	now := s.c.Now()
	from, to := s.List.Window(s.tbl.Len())
	s.List.Drawn(strings.Count(b.String(), "\n")+1, from, to)
	for p := from; p < to; p++ {
		r := s.tbl.At(p)
		b.WriteByte('\n')
		status := l.statusCell(r.status)
		if p == s.List.Cursor {
			// The cursor row is plain text in the Selected style with a ▸: it stands out with
			// or without colour.
			b.WriteString(st.Selected.Render(format.Cut(styles.GlyphCursor+" "+status+" "+l.cells(r, now), s.width)))
			continue
		}
		b.WriteString(format.Cut("  "+statusStyle(st, r.status).Render(status)+" "+l.cells(r, now), s.width))
	}
	return b.String()
}

// titleLine is the filter input while typing, else the count (and how many are inactive, the
// ones that need attention) and the filter, with the cursor position on the right.
func (s *Screen) titleLine() string {
	st := s.c.Styles
	t := listview.Title{Name: "Webhooks", Loaded: s.Loaded, Query: s.tbl.Query(), Shown: s.tbl.Len(), Total: len(s.tbl.Rows)}
	if s.Loaded && !s.List.Filtering {
		if n := s.inactive(); n > 0 {
			t.Extra += st.Muted.Render(" · ") + st.StatusDisabled.Render(styles.GlyphDisabled+" "+strconv.Itoa(n)+" inactive")
		}
		if s.c.ReadOnly() {
			t.Extra += st.Muted.Render(" · read-only")
		}
	}
	return s.List.TitleLine(st, s.width, t)
}

func (s *Screen) inactive() int {
	n := 0
	for i := range s.tbl.Rows {
		if s.tbl.Rows[i].status == "inactive" {
			n++
		}
	}
	return n
}

// listKey handles keys on the list (and in the filter while it has focus).
func (s *Screen) listKey(msg tea.KeyPressMsg) tea.Cmd {
	if cmd, done := s.Key(s.c.Keys, msg, &s.tbl, s.load, s.openSelected); done {
		return cmd
	}
	k := s.c.Keys
	switch {
	case key.Matches(msg, k.New):
		if ok, cmd := s.c.Writable(); !ok {
			return cmd
		}
		if !s.Loaded && s.LoadErr != nil {
			return common.Notice("cannot create a webhook until the list loads: " + s.failureHint())
		}
		return s.openCreate()
	case key.Matches(msg, k.Ensure):
		if ok, cmd := s.c.Writable(); !ok {
			return cmd
		}
		if !s.Loaded && s.LoadErr != nil {
			return common.Notice("cannot ensure webhooks until the list loads: " + s.failureHint())
		}
		return s.openEnsure()
	}
	return nil
}

// handleClick: a click on a row selects it, on the selected row opens it; in a confirmation
// it answers.
func (s *Screen) handleClick(msg tea.MouseClickMsg) tea.Cmd {
	switch {
	case s.mode == modeConfirm && s.confirm != nil:
		return s.confirm.Clicked(msg, s.closeConfirm)
	case s.mode != modeList:
		return nil
	}
	return s.Click(msg, &s.tbl, s.openSelected)
}

// openSelected opens the detail of the row under the cursor (the skeleton calls it on one).
func (s *Screen) openSelected() tea.Cmd { return s.openDetail(s.Selected()) }

func (s *Screen) handleWheel(msg tea.MouseWheelMsg) tea.Cmd {
	var pane *detailview.Model
	if s.mode == modeDetail && s.detail != nil {
		pane = &s.detail.pane
	}
	s.Wheel(msg, &s.tbl, pane, s.mode == modeList)
	return nil
}
