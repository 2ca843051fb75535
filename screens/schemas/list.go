package schemas

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/api"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/detailview"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/listview"
	"github.com/byova/byova/ui/styles"
)

// row is one schema as the table shows it, computed once per load.
type row struct {
	sc      *api.Schema
	service string
	created string // the date only; the detail has the time
	hay     string // lower-case text the filter searches
}

func newRow(sc *api.Schema) row {
	r := row{sc: sc, service: orDash(safetext.Line(sc.ServiceType)), created: dateText(sc.CreatedAt)}
	r.hay = strings.ToLower(strings.Join([]string{sc.ServiceType, sc.Protocol, sc.AppType, sc.ID, sc.Description, sc.URL}, "\x00"))
	return r
}

// table holds the rows in Webex's order and the filtered view.
type table struct{ listview.Table[row, *row] }

func (t *table) set(items []api.Schema) {
	rows := make([]row, len(items))
	for i := range items {
		rows[i] = newRow(&items[i])
	}
	t.Set(rows)
}

// Hay is what the filter searches; Key finds the row again (listview.Row).
func (r *row) Hay() string { return r.hay }
func (r *row) Key() string { return r.sc.ID }

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
	for i := range s.tbl.Rows {
		widest = max(widest, ansi.StringWidth(s.tbl.Rows[i].service))
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
	id := safetext.Line(r.sc.ID)
	if l.id < idW && len(id) > 8 {
		id = format.ShortID(id) + styles.Ellipsis
	}
	out := format.Fit(r.service, l.service) + " " + format.Fit(orDash(safetext.Line(r.sc.Protocol)), protocolW) + " " +
		format.Fit(orDash(safetext.Line(r.sc.AppType)), appTypeW) + " " + format.Fit(id, l.id) + " " + format.Fit(r.created, createdW)
	if l.desc > 0 {
		out += " " + format.Fit(safetext.Line(r.sc.Description), l.desc)
	}
	return out
}

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
	l := s.layout()
	b.WriteString(st.TableHeader.Render(format.Cut(l.header, s.width)))
	from, to := s.List.Window(s.tbl.Len())
	s.List.Drawn(strings.Count(b.String(), "\n")+1, from, to)
	for p := from; p < to; p++ {
		b.WriteByte('\n')
		line := l.cells(s.tbl.At(p))
		if p == s.List.Cursor {
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
	t := listview.Title{Name: "Schemas", Loaded: s.Loaded, Query: s.tbl.Query(), Shown: s.tbl.Len(), Total: len(s.tbl.Rows)}
	if s.Loaded && !s.List.Filtering {
		t.Extra = st.Muted.Render(" · " + s.sourceText())
	}
	return s.List.TitleLine(st, s.width, t)
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

func (s *Screen) listKey(msg tea.KeyPressMsg) tea.Cmd {
	if s.List.Filtering {
		return s.List.TypeFilter(s.c.Keys, msg, &s.tbl)
	}
	if cmd, done := s.Key(s.c.Keys, msg, &s.tbl, func() tea.Cmd { return s.load(true) }, s.openSelected); done {
		return cmd
	}
	k := s.c.Keys
	switch {
	case key.Matches(msg, k.Copy):
		return s.copyID()
	case key.Matches(msg, k.New, k.Edit, k.Delete, k.Extend, k.ExtendDue, k.Mark, k.Sort):
		// Keys that act on other screens say why they do nothing here rather than nothing.
		return common.Notice(msg.String() + ": schemas are read-only (Webex publishes them)")
	}
	return nil
}

func (s *Screen) handleWheel(msg tea.MouseWheelMsg) tea.Cmd {
	var pane *detailview.Model
	if s.mode == modeDetail && s.detail != nil {
		pane = &s.detail.pane
	}
	s.Wheel(msg, &s.tbl, pane, true)
	return nil
}

// handleClick: a click on a row selects it, on the selected row opens it.
func (s *Screen) handleClick(msg tea.MouseClickMsg) tea.Cmd {
	if s.mode != modeList {
		return nil
	}
	return s.Click(msg, &s.tbl, s.openSelected)
}

// openSelected opens the detail of the row under the cursor (the skeleton calls it on one).
func (s *Screen) openSelected() tea.Cmd {
	s.openDetail(s.Selected())
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
		return safetext.Line(v)
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
