package schemas

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/api"
	"github.com/byova/byova/tui/format"
	"github.com/byova/byova/tui/styles"
)

// row is one schema as the table shows it, computed once per load.
type row struct {
	sc      *api.Schema
	service string
	created string // the date only; the detail has the time
	hay     string // lower-case text the filter searches
}

func newRow(sc *api.Schema) row {
	r := row{sc: sc, service: orDash(sc.ServiceType), created: dateText(sc.CreatedAt)}
	r.hay = strings.ToLower(strings.Join([]string{sc.ServiceType, sc.Protocol, sc.AppType, sc.ID, sc.Description, sc.URL}, "\x00"))
	return r
}

// table holds the rows in Webex's order and the filtered view.
type table struct {
	rows  []row
	view  []int
	query string
}

func (t *table) set(items []api.Schema) {
	t.rows = make([]row, len(items))
	for i := range items {
		t.rows[i] = newRow(&items[i])
	}
	t.refilter()
}

func (t *table) refilter() {
	t.view = t.view[:0]
	for i := range t.rows {
		if t.query == "" || strings.Contains(t.rows[i].hay, t.query) {
			t.view = append(t.view, i)
		}
	}
}

func (t *table) setQuery(q string) {
	t.query = strings.ToLower(strings.TrimSpace(q))
	t.refilter()
}

func (t *table) at(p int) *row {
	if p < 0 || p >= len(t.view) {
		return nil
	}
	return &t.rows[t.view[p]]
}

func (t *table) indexOf(id string) int {
	for p, i := range t.view {
		if t.rows[i].sc.ID == id {
			return p
		}
	}
	return -1
}

// Column widths. The id is shown in full when the terminal has room (it is what people copy
// and compare), else as its first 8 characters; the description takes what is left.
const (
	gutterW   = 2
	protocolW = 9  // "WebSocket"
	appTypeW  = 11 // "integration"
	idW       = 36
	shortIDW  = 9 // "5397013b…"
	createdW  = 10
	minDescW  = 12
)

type layout struct {
	service, id, desc int
	header            string
}

func (s *Screen) layout() layout {
	widest := len("SERVICE TYPE")
	for i := range s.tbl.rows {
		widest = max(widest, ansi.StringWidth(s.tbl.rows[i].service))
	}
	widest = min(widest, 30)
	fixed := gutterW + protocolW + appTypeW + createdW + 5 // five gaps between six columns
	l := layout{id: idW}
	if s.width-fixed-idW < widest {
		l.id = shortIDW
	}
	l.service = max(min(widest, s.width-fixed-l.id), 8)
	if rest := s.width - fixed - l.id - l.service - 1; rest >= minDescW {
		l.desc = rest
	}
	l.header = strings.Repeat(" ", gutterW) + format.Fit("SERVICE TYPE", l.service) + " " + format.Fit("PROTOCOL", protocolW) + " " +
		format.Fit("APP TYPE", appTypeW) + " " + format.Fit("ID", l.id) + " " + format.Fit("CREATED", createdW)
	if l.desc > 0 {
		l.header += " DESCRIPTION"
	}
	return l
}

func (l *layout) cells(r *row) string {
	id := r.sc.ID
	if l.id < idW && len(id) > 8 {
		id = format.ShortID(id) + styles.Ellipsis
	}
	out := format.Fit(r.service, l.service) + " " + format.Fit(orDash(r.sc.Protocol), protocolW) + " " +
		format.Fit(orDash(r.sc.AppType), appTypeW) + " " + format.Fit(id, l.id) + " " + format.Fit(r.created, createdW)
	if l.desc > 0 {
		out += " " + format.Fit(r.sc.Description, l.desc)
	}
	return out
}

// listHeight is how many rows fit under the title and the column header.
func (s *Screen) listHeight() int { return max(s.height-2, 1) }

func (s *Screen) listView() string {
	st := s.c.Styles
	var b strings.Builder
	b.WriteString(s.titleLine())
	b.WriteByte('\n')
	if body, ok := s.stateView(); ok {
		b.WriteString(body)
		return b.String()
	}
	l := s.layout()
	b.WriteString(st.TableHeader.Render(format.Cut(l.header, s.width)))
	end := min(s.offset+s.listHeight(), len(s.tbl.view))
	for p := s.offset; p < end; p++ {
		b.WriteByte('\n')
		line := l.cells(s.tbl.at(p))
		if p == s.cursor {
			b.WriteString(st.Selected.Render(format.Cut(styles.GlyphCursor+" "+line, s.width)))
		} else {
			b.WriteString(format.Cut("  "+line, s.width))
		}
	}
	return b.String()
}

// titleLine is the filter input while typing, else the count, the filter and where the list
// came from (the cache and its age, or Webex just now), with the cursor position on the right.
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
		left = st.Title.Render("Schemas")
		if s.loaded {
			if s.tbl.query != "" {
				left += st.Muted.Render(" · ") + st.FilterLabel.Render("filter \""+s.tbl.query+"\"") +
					st.Muted.Render(" "+strconv.Itoa(shown)+" of "+strconv.Itoa(total))
			} else {
				left += st.Muted.Render(" " + strconv.Itoa(total))
			}
			left += st.Muted.Render(" · " + s.sourceText())
		}
	}
	room := s.width - ansi.StringWidth(pos) - 1
	left = format.Cut(left, room)
	pad := max(s.width-ansi.StringWidth(left)-ansi.StringWidth(pos), 1)
	return left + strings.Repeat(" ", pad) + st.Muted.Render(pos)
}

// sourceText says how old the list is and where it came from: people should know whether
// they are reading Webex's answer or byova's memory of it.
func (s *Screen) sourceText() string {
	switch {
	case s.staleErr != nil:
		return styles.GlyphSoon + " cached " + agoText(s.c.Now(), s.fetchedAt) + ", Webex failed · r retries"
	case s.fromCache:
		return "cached " + agoText(s.c.Now(), s.fetchedAt) + " · r reloads"
	}
	return "from Webex " + agoText(s.c.Now(), s.fetchedAt)
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

func (s *Screen) follow(id string) {
	if id != "" {
		if p := s.tbl.indexOf(id); p >= 0 {
			s.cursor = p
		}
	}
	s.clampScroll()
}

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
		return s.load(true)
	case key.Matches(msg, k.Open):
		if sel := s.Selected(); sel != nil {
			s.openDetail(sel)
		}
	case key.Matches(msg, k.Copy):
		return s.copyID()
	}
	return nil
}

// filterKey: typing filters as you go; enter keeps the filter, esc clears it.
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
	}
	var cmd tea.Cmd
	s.filter, cmd = s.filter.Update(msg)
	s.applyFilter(s.filter.Value())
	return cmd
}

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
	switch msg.Button {
	case tea.MouseWheelUp:
		s.move(-3)
	case tea.MouseWheelDown:
		s.move(3)
	}
	return nil
}

func orDash(v string) string {
	if v == "" {
		return "—"
	}
	return v
}

// dateText is the day a Webex timestamp falls on (UTC), or what Webex sent if it is not one.
func dateText(v string) string {
	if v == "" {
		return "—"
	}
	t, err := api.ParseTime(v)
	if err != nil {
		return v
	}
	return t.UTC().Format("2006-01-02")
}

// agoText is how long ago t was, for "cached 12m ago".
func agoText(now, t time.Time) string {
	if t.IsZero() {
		return "at an unknown time"
	}
	return format.Ago(now, t)
}
