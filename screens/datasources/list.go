package datasources

import (
	"strings"
	"time"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/detailview"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/listview"
	"github.com/byova/byova/ui/styles"
)

// Fixed column widths; the text columns share what is left.
const (
	gutterW = 2  // "▸ " on the cursor row
	statusW = 10 // "✗ disabled"
	expiryW = 12 // "! 23h59m", "! 9m59s"
	gaps    = 5  // one space between the six columns

	// Under compactW columns (a half-width tmux split) the table keeps what on-call needs
	// to pick a row: the status glyph, audience, schema and expiry; enter shows the rest.
	compactW       = 80
	compactStatusW = 5 // "✗ off"
	compactGaps    = 3
)

// layout is the width of each column for a terminal width. gen changes whenever the widths or
// the rows change, which invalidates the rows' cached cells.
type layout struct {
	gen                            int
	width                          int
	compact                        bool
	audience, subject, url, schema int
	headerLine                     string
}

// Caps keep one long value from starving the others; the URL takes what is left.
const (
	audienceCap = 24
	subjectCap  = 20
	schemaCap   = 22
	minText     = 8
)

// newLayout sizes the text columns to their content (widest value, capped), shrinking them in
// proportion when the terminal is narrow; the URL gets the rest.
func newLayout(w, gen int, widest [4]int) layout {
	if w < compactW {
		return newCompactLayout(w, gen, widest)
	}
	flex := max(w-gutterW-statusW-expiryW-gaps, 4*minText)
	l := layout{gen: gen, width: w}
	want := [3]int{
		min(max(widest[0], len("AUDIENCE")), audienceCap),
		min(max(widest[1], len("SUBJECT")), subjectCap),
		min(max(widest[2], len("SCHEMA")), schemaCap),
	}
	urlWant := max(widest[3], 20)
	sum := want[0] + want[1] + want[2]
	if room := flex - min(urlWant, flex*3/10); sum > room {
		for i := range want {
			want[i] = max(want[i]*room/sum, minText)
		}
	}
	l.audience, l.subject, l.schema = want[0], want[1], want[2]
	l.url = max(flex-l.audience-l.subject-l.schema, minText)
	l.headerLine = strings.Repeat(" ", gutterW) + format.Fit("STATUS", statusW) + " " +
		format.Fit("AUDIENCE", l.audience) + " " + format.Fit("SUBJECT", l.subject) + " " +
		format.Fit("URL", l.url) + " " + format.Fit("SCHEMA", l.schema) + " " + "EXPIRES IN"
	return l
}

// newCompactLayout drops the subject and URL columns and shows the status as its glyph and a
// short word.
func newCompactLayout(w, gen int, widest [4]int) layout {
	flex := max(w-gutterW-compactStatusW-expiryW-compactGaps, 2*minText)
	l := layout{gen: gen, width: w, compact: true}
	aud := min(max(widest[0], len("AUDIENCE")), audienceCap)
	sch := min(max(widest[2], len("SCHEMA")), schemaCap)
	if aud+sch > flex {
		aud = max(aud*flex/(aud+sch), minText)
	}
	l.audience = aud
	l.schema = max(flex-aud, minText)
	l.headerLine = strings.Repeat(" ", gutterW) + format.Fit("STATE", compactStatusW) + " " + format.Fit("AUDIENCE", l.audience) + " " +
		format.Fit("SCHEMA", l.schema) + " " + "EXPIRES IN"
	return l
}

// cellsOf returns the row's static columns (audience … schema), computing them once per layout.
func (s *Screen) cellsOf(r *row) string {
	if r.cellsGen != s.layout.gen || r.cells == "" {
		l := &s.layout
		var b strings.Builder
		b.Grow(l.audience + l.subject + l.url + l.schema + 8)
		if l.compact {
			b.WriteString(format.Fit(r.audience, l.audience))
			b.WriteByte(' ')
			b.WriteString(format.Fit(r.schema, l.schema))
			r.cells, r.cellsGen = b.String(), s.layout.gen
			return r.cells
		}
		b.WriteString(format.Fit(r.audience, l.audience))
		b.WriteByte(' ')
		b.WriteString(format.Fit(r.subject, l.subject))
		b.WriteByte(' ')
		b.WriteString(format.FitMiddle(strings.TrimPrefix(r.url, "https://"), l.url))
		b.WriteByte(' ')
		b.WriteString(format.Fit(r.schema, l.schema))
		r.cells, r.cellsGen = b.String(), s.layout.gen
	}
	return r.cells
}

// painters are the row styles, captured once (see styles.Painter).
type painters struct {
	active, disabled, other, selected styles.Painter
	expiry                            [4]styles.Painter // by expiryState
}

func newPainters(st *styles.Styles) painters {
	p := painters{
		active: styles.NewPainter(st.StatusActive), disabled: styles.NewPainter(st.StatusDisabled),
		other: styles.NewPainter(st.ExpiryUnknown), selected: styles.NewPainter(st.Selected),
	}
	p.expiry[expiryUnknown] = styles.NewPainter(st.ExpiryUnknown)
	p.expiry[expiryOK] = styles.NewPainter(st.ExpiryOK)
	p.expiry[expirySoon] = styles.NewPainter(st.ExpirySoon)
	p.expiry[expiryExpired] = styles.NewPainter(st.ExpiryExpired)
	return p
}

func (p *painters) status(r *row) styles.Painter {
	switch {
	case r.active:
		return p.active
	case r.status == "disabled":
		return p.disabled
	}
	return p.other
}

// fitNarrow pads text made of single-cell runes (ASCII and the state glyphs) to w cells
// without measuring graphemes: the expiry cell changes every second on every row.
func fitNarrow(text string, w int) string {
	n := utf8.RuneCountInString(text)
	if n >= w {
		return text
	}
	return text + spaces[:w-n]
}

const spaces = "                                "

// writeRow writes one table line. The cursor row is drawn as plain text in the Selected style
// with a ▸, so it stands out with or without colour.
func (s *Screen) writeRow(b *strings.Builder, r *row, selected bool, now time.Time) {
	state, left := classify(r.expiry, lifetimeOf(r.ds), s.warnWindow(), now)
	exp := fitNarrow(expiryText(state, left), expiryW)
	status := r.statusCell
	if s.layout.compact {
		status = r.statusShort()
	}
	if selected {
		line := styles.GlyphCursor + s.markGlyph(r.ds.ID) + status + " " + s.cellsOf(r) + " " + exp
		if s.showEndpoints() {
			line += " " + s.endpointCell(r.ds.ID)
		}
		b.WriteString(s.paint.selected.Paint(line))
		return
	}
	b.WriteByte(' ')
	b.WriteString(s.markGlyph(r.ds.ID))
	s.paint.status(r).PaintTo(b, status)
	b.WriteByte(' ')
	b.WriteString(s.cellsOf(r))
	b.WriteByte(' ')
	s.paint.expiry[state].PaintTo(b, exp)
	if s.showEndpoints() {
		b.WriteByte(' ')
		s.endpointPainter(r.ds.ID).PaintTo(b, s.endpointCell(r.ds.ID))
	}
}

// listView is the title line, the column header and the visible rows only.
func (s *Screen) listView() string {
	st := s.c.Styles
	var b strings.Builder
	b.Grow((s.height + 2) * (s.width + 32))
	b.WriteString(s.titleLine())
	b.WriteByte('\n')
	s.List.Drawn(0, 0, 0)
	if body, ok := s.stateView(); ok {
		b.WriteString(body)
		return b.String()
	}
	b.WriteString(st.TableHeader.Render(format.Cut(s.layout.headerLine, s.width)))
	now := s.c.Now()
	h := s.List.Height()
	end := min(s.List.Offset+h, s.tbl.Len())
	s.List.Drawn(strings.Count(b.String(), "\n")+1, s.List.Offset, end)
	for p := s.List.Offset; p < end; p++ {
		b.WriteByte('\n')
		s.writeRow(&b, &s.tbl.Rows[s.tbl.View[p]], p == s.List.Cursor, now)
	}
	if panel := s.failPanel(); len(panel) > 0 {
		for range h - (end - s.List.Offset) {
			b.WriteByte('\n')
		}
		for _, l := range panel {
			b.WriteByte('\n')
			b.WriteString(l)
		}
	}
	return b.String()
}

// titleLine is the filter input while typing, else the count, sort and filter in use, with
// the cursor position on the right.
func (s *Screen) titleLine() string {
	st := s.c.Styles
	t := listview.Title{Name: "Data sources", Loaded: s.Loaded, Query: s.tbl.Query(), Shown: s.tbl.Len(), Total: len(s.tbl.Rows)}
	if s.Loaded && !s.List.Filtering {
		bulk, long, short := s.bulkTitle(), s.tbl.sortBy.String(), s.tbl.sortBy.Short()
		t.Extra = st.Muted.Render(bulk + " · sort " + long + s.refreshedText())
		t.ExtraShorter = []string{
			st.Muted.Render(bulk + " · sort " + short + s.refreshedText()),
			st.Muted.Render(bulk + " · sort " + short + s.refreshedShort()),
			st.Muted.Render(bulk + " · sort " + short),
		}
	}
	return s.List.TitleLine(st, s.width, t)
}

// listKey handles keys on the list (and in the filter while it has focus).
func (s *Screen) listKey(msg tea.KeyPressMsg) tea.Cmd {
	// r is an action key here (actionKey), in the detail too.
	if cmd, done := s.Key(s.c.Keys, msg, &s.tbl, nil, s.openSelected); done {
		return cmd // esc clears the filter first, then the alert, the verdicts, the marks
	}
	k := s.c.Keys
	switch {
	case key.Matches(msg, k.Dismiss):
		if s.alert != "" {
			s.alert = ""
			s.resizeList()
		} else if len(s.verdicts) > 0 {
			s.verdicts = nil
			s.resizeList()
		} else if len(s.probed) > 0 {
			s.probed, s.probeLines = nil, nil
			s.resizeList()
		} else if s.markCount() > 0 {
			s.clearMarks()
		}
	case key.Matches(msg, k.Mark):
		return s.toggleMark()
	case key.Matches(msg, k.ExtendDue):
		return s.startExtendDue()
	case key.Matches(msg, k.Sort):
		keep := ""
		if sel := s.Selected(); sel != nil {
			keep = sel.ID
		}
		s.tbl.sortBy = (s.tbl.sortBy + 1) % numSortKeys
		s.tbl.resort()
		s.List.Keep(&s.tbl, keep)
		return common.Notice("sorted by " + s.tbl.sortBy.String())
	case key.Matches(msg, k.New):
		if !s.Loaded && s.LoadErr != nil {
			return nil // cannot reach Webex: the state says why
		}
		if ok, cmd := s.c.Writable(); !ok {
			return cmd
		}
		return s.openForm(nil)
	}
	return nil
}

func (s *Screen) handleWheel(msg tea.MouseWheelMsg) tea.Cmd {
	var pane *detailview.Model
	if s.mode == modeDetail && s.detail != nil {
		pane = &s.detail.pane
	}
	s.Wheel(msg, &s.tbl, pane, s.mode == modeList)
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

// copyID puts the selected ID on the clipboard with OSC 52, which reaches the person's own
// terminal even over SSH.
func (s *Screen) copyID() tea.Cmd {
	sel := s.target()
	if sel == nil {
		return nil
	}
	return common.Copy(sel.ID, "ID")
}
