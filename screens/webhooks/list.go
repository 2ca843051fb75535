package webhooks

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/tui/common"
	"github.com/byova/byova/tui/format"
	"github.com/byova/byova/tui/styles"
)

// listHeight is how many rows fit under the title and the column header.
func (s *Screen) listHeight() int { return max(s.height-2, 1) }

// listView is the title line, the column header and the visible rows.
func (s *Screen) listView() string {
	st := s.c.Styles
	var b strings.Builder
	b.WriteString(s.titleLine())
	b.WriteByte('\n')
	if body, ok := s.stateView(); ok {
		b.WriteString(body)
		return b.String()
	}
	l := newLayout(s.width, s.tbl.widest)
	b.WriteString(st.TableHeader.Render(format.Cut(l.header, s.width)))
	now := s.c.Now()
	end := min(s.offset+s.listHeight(), len(s.tbl.view))
	for p := s.offset; p < end; p++ {
		r := s.tbl.at(p)
		b.WriteByte('\n')
		status := format.Fit(statusText(r.status), statusW)
		if p == s.cursor {
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
	total, shown := len(s.tbl.rows), len(s.tbl.view)
	pos := ""
	if shown > 0 {
		pos = strconv.Itoa(s.cursor+1) + "/" + strconv.Itoa(shown)
	}
	var left string
	switch {
	case s.filtering:
		left = s.filter.View() + st.Muted.Render("  "+strconv.Itoa(shown)+" of "+strconv.Itoa(total))
	default:
		left = st.Title.Render("Webhooks")
		if s.loaded {
			if s.tbl.query != "" {
				left += st.Muted.Render(" · ") + st.FilterLabel.Render("filter \""+s.tbl.query+"\"") +
					st.Muted.Render(" "+strconv.Itoa(shown)+" of "+strconv.Itoa(total))
			} else {
				left += st.Muted.Render(" " + strconv.Itoa(total))
			}
			if n := s.inactive(); n > 0 {
				left += st.Muted.Render(" · ") + st.StatusDisabled.Render(styles.GlyphDisabled+" "+strconv.Itoa(n)+" inactive")
			}
			if s.c.ReadOnly() {
				left += st.Muted.Render(" · read-only")
			}
		}
	}
	room := s.width - ansi.StringWidth(pos) - 1
	left = format.Cut(left, room)
	pad := max(s.width-ansi.StringWidth(left)-ansi.StringWidth(pos), 1)
	return left + strings.Repeat(" ", pad) + st.Muted.Render(pos)
}

func (s *Screen) inactive() int {
	n := 0
	for i := range s.tbl.rows {
		if s.tbl.rows[i].status == "inactive" {
			n++
		}
	}
	return n
}

func (s *Screen) clampScroll() {
	n, h := len(s.tbl.view), s.listHeight()
	s.cursor = min(max(s.cursor, 0), max(n-1, 0))
	if s.cursor < s.offset {
		s.offset = s.cursor
	}
	if s.cursor >= s.offset+h {
		s.offset = s.cursor - h + 1
	}
	s.offset = min(max(s.offset, 0), max(n-h, 0))
}

func (s *Screen) move(delta int) {
	s.cursor += delta
	s.clampScroll()
}

// follow puts the cursor back on the webhook with id after the rows changed.
func (s *Screen) follow(id string) {
	if id != "" {
		if p := s.tbl.indexOf(id); p >= 0 {
			s.cursor = p
		}
	}
	s.clampScroll()
}

// listKey handles keys on the list (and in the filter while it has focus).
func (s *Screen) listKey(msg tea.KeyPressMsg) tea.Cmd {
	if s.filtering {
		return s.filterKey(msg)
	}
	k := s.c.Keys
	switch {
	case key.Matches(msg, k.Up):
		s.move(-1)
	case key.Matches(msg, k.Down):
		s.move(1)
	case key.Matches(msg, k.Top):
		s.cursor = 0
		s.clampScroll()
	case key.Matches(msg, k.Bottom):
		s.cursor = len(s.tbl.view) - 1
		s.clampScroll()
	case key.Matches(msg, k.PageUp):
		s.move(-s.listHeight())
	case key.Matches(msg, k.PageDown):
		s.move(s.listHeight())
	case key.Matches(msg, k.Filter):
		if !s.loaded {
			return nil
		}
		s.filtering = true
		s.filter.SetValue(s.tbl.query)
		s.filter.CursorEnd()
		return s.filter.Focus()
	case key.Matches(msg, k.Dismiss):
		if s.tbl.query != "" {
			s.applyFilter("")
			s.filter.SetValue("")
		}
	case key.Matches(msg, k.Reload):
		return s.load()
	case key.Matches(msg, k.Open):
		if sel := s.Selected(); sel != nil {
			return s.openDetail(sel)
		}
	case key.Matches(msg, k.Copy):
		return s.copyID()
	case key.Matches(msg, k.New):
		if ok, cmd := s.writable(); !ok {
			return cmd
		}
		if !s.loaded && s.loadErr != nil {
			return common.Notice("cannot create a webhook until the list loads: " + s.failureHint())
		}
		return s.openCreate()
	case key.Matches(msg, k.Ensure):
		if ok, cmd := s.writable(); !ok {
			return cmd
		}
		if !s.loaded && s.loadErr != nil {
			return common.Notice("cannot ensure webhooks until the list loads: " + s.failureHint())
		}
		return s.openEnsure()
	case key.Matches(msg, k.Edit):
		return s.startEdit()
	case key.Matches(msg, k.Delete):
		return s.startDelete()
	}
	return nil
}

// filterKey: typing filters as you go; enter keeps the filter, esc clears it; arrows still
// move through what matches.
func (s *Screen) filterKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc":
		s.filtering = false
		s.filter.Blur()
		s.filter.SetValue("")
		s.applyFilter("")
		return nil
	case "enter":
		s.filtering = false
		s.filter.Blur()
		return nil
	case "up", "ctrl+p":
		s.move(-1)
		return nil
	case "down", "ctrl+n":
		s.move(1)
		return nil
	case "pgup":
		s.move(-s.listHeight())
		return nil
	case "pgdown":
		s.move(s.listHeight())
		return nil
	}
	var cmd tea.Cmd
	s.filter, cmd = s.filter.Update(msg)
	s.applyFilter(s.filter.Value())
	return cmd
}

// applyFilter narrows the rows, keeping the cursor on the same webhook when it still shows.
func (s *Screen) applyFilter(q string) {
	keep := ""
	if sel := s.Selected(); sel != nil {
		keep = sel.ID
	}
	s.tbl.setQuery(q)
	s.cursor = 0
	s.follow(keep)
}

func (s *Screen) handleWheel(msg tea.MouseWheelMsg) tea.Cmd {
	if s.mode == modeDetail && s.detail != nil {
		s.detail.vp, _ = s.detail.vp.Update(msg)
		return nil
	}
	if s.mode != modeList {
		return nil
	}
	switch msg.Button {
	case tea.MouseWheelUp:
		s.move(-3)
	case tea.MouseWheelDown:
		s.move(3)
	}
	return nil
}
