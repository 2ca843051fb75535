// Package activity is screen 5: this profile's audit log (every write byova sent to Webex),
// newest first, filterable, with each entry's trackingId a key press from the clipboard.
package activity

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/config"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/listview"
	"github.com/byova/byova/ui/styles"
)

// Screen is the activity screen. It implements common.Screen.
type Screen struct {
	c             *common.Common
	width, height int

	rows      []row // newest first
	view      []int // rows that match the filter
	query     string
	loaded    bool
	loadErr   error
	truncated bool      // the log is longer than config.AuditTail: only its end is shown
	loadSeq   uint64    // the latest read; older answers are dropped
	dirty     bool      // a request ended since the last read: the log may have grown
	readAt    time.Time // when the last read began

	list listview.Model
}

// row is one line of the log as the table shows it: every text sanitised once.
type row struct {
	when, result, op, id, org, tracking, actor, errText string
	ok, malformed                                       bool
	hay                                                 string // lower-case text the filter searches
}

// readMsg is the answer to a read of the audit log.
type readMsg struct {
	seq       uint64
	lines     []config.AuditLine
	truncated bool
	err       error
}

// actorLocal is who made a write the log names no actor for: byova run on this machine.
const actorLocal = "local"

// New builds the screen; Init reads the log.
func New(c *common.Common) *Screen {
	return &Screen{c: c, list: listview.New(c.Styles, "filter by operation, who, id, org, result, trackingId or error")}
}

// Title is the screen's name in the tabs.
func (s *Screen) Title() string { return "Activity" }

// Init reads the audit log.
func (s *Screen) Init() tea.Cmd { return s.read() }

// Capturing reports that the filter input takes keys.
func (s *Screen) Capturing() bool { return s.list.Filtering }

// SetSize gives the screen its body: the two lines under the table show the selected entry.
func (s *Screen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.list.SetSize(w, h-detailLines)
	s.list.Clamp(len(s.view))
}

// rereadEvery is how old a read may grow before a tick reads the log again: about once a
// minute, the idle tick's pace.
const rereadEvery = time.Minute

// detailLines is the room under the table for the selected entry in full.
const detailLines = 3

// read loads the log in a command: the path and profile are taken now, from the session of
// this moment.
func (s *Screen) read() tea.Cmd {
	s.loadSeq++
	s.dirty = false
	s.readAt = s.c.Now()
	seq := s.loadSeq
	if s.c.Session == nil || s.c.Session.AuditPath == "" {
		return func() tea.Msg { return readMsg{seq: seq} }
	}
	path, store := s.c.Session.AuditPath, s.c.Session.Store
	return func() tea.Msg {
		lines, cut, err := config.ReadAuditOf(store, path, config.AuditTail)
		return readMsg{seq: seq, lines: lines, truncated: cut, err: err}
	}
}

// Update handles keys (when the screen is active) and results (always).
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case readMsg:
		s.onRead(msg)
		return s, nil
	case common.RequestEndedMsg:
		s.dirty = true // a write may have been audited; read again on the next tick
		return s, nil
	case common.TickMsg:
		// Writes this console did not see end also land in the log: serve's keeper, another
		// console, another replica of a shared store. So it is read again a minute on too.
		if s.dirty || msg.Time.Sub(s.readAt) >= rereadEvery {
			return s, s.read()
		}
		return s, nil
	case common.OrgChangedMsg:
		return s, s.read() // a profile switch changes whose log lines show
	case tea.KeyPressMsg:
		return s, s.handleKey(msg)
	case tea.MouseWheelMsg:
		s.list.Wheel(msg, len(s.view))
		return s, nil
	case tea.MouseClickMsg:
		s.list.Click(msg, len(s.view)) // the selected entry already shows in full below
		return s, nil
	}
	if s.list.Filtering {
		return s, s.list.UpdateInput(msg, s.applyFilter)
	}
	return s, nil
}

func (s *Screen) onRead(msg readMsg) {
	if msg.seq != s.loadSeq {
		return
	}
	if msg.err != nil {
		s.loadErr = msg.err
		return
	}
	profile := ""
	if s.c.Session != nil {
		profile = s.c.Session.Settings.Profile
	}
	keep := s.selectedKey()
	rows := make([]row, 0, len(msg.lines))
	for _, l := range msg.lines {
		if l.Err == nil && l.Entry.Profile != profile && l.Entry.Profile != "" {
			continue // another profile's write
		}
		rows = append(rows, newRow(l))
	}
	// The log is appended as writes end: reversed, it is newest first, and a malformed line
	// stays between the entries it was written among.
	slices.Reverse(rows)
	s.rows, s.loaded, s.loadErr, s.truncated = rows, true, nil, msg.truncated
	s.refilter()
	p := -1
	for i, r := range s.view {
		if s.rows[r].key() == keep && keep != "" {
			p = i
			break
		}
	}
	s.list.Follow(p, len(s.view))
}

// newRow sanitises one log line for the terminal: the log holds Webex's error text, and a file
// anyone with the account could edit.
func newRow(l config.AuditLine) row {
	if l.Err != nil {
		r := row{malformed: true, result: styles.GlyphUnknown + " bad line",
			op: "line " + strconv.Itoa(l.N), errText: safetext.Line(l.Err.Error()), id: safetext.Line(l.Raw)}
		r.hay = strings.ToLower(r.result + "\x00" + r.op + "\x00" + r.id + "\x00" + r.errText)
		return r
	}
	e := l.Entry
	r := row{
		when: e.Time.UTC().Format(time.RFC3339), op: safetext.Line(e.Operation), id: safetext.Line(e.ID),
		org: safetext.Line(e.Org), tracking: safetext.Line(e.TrackingID), errText: safetext.Line(e.Error),
		ok: e.Result == config.AuditOK,
	}
	// Without an actor the write came from byova on this machine (the CLI or the local UI);
	// under serve every write names its SSH user or the keeper.
	r.actor = actorLocal
	if e.Actor != "" {
		r.actor = safetext.Line(e.Actor)
	}
	r.result = styles.GlyphError + " error"
	if r.ok {
		r.result = styles.GlyphOK + " ok"
	}
	r.hay = strings.ToLower(strings.Join([]string{r.when, r.result, r.op, r.id, r.org, r.tracking, r.errText, r.actor}, "\x00"))
	return r
}

func (r row) key() string { return r.when + "\x00" + r.op + "\x00" + r.id + "\x00" + r.tracking }

func (s *Screen) selectedKey() string {
	if r := s.selected(); r != nil {
		return r.key()
	}
	return ""
}

func (s *Screen) selected() *row {
	if s.list.Cursor < 0 || s.list.Cursor >= len(s.view) {
		return nil
	}
	return &s.rows[s.view[s.list.Cursor]]
}

func (s *Screen) refilter() {
	s.view = s.view[:0]
	for i := range s.rows {
		if s.query == "" || strings.Contains(s.rows[i].hay, s.query) {
			s.view = append(s.view, i)
		}
	}
}

func (s *Screen) applyFilter(q string) {
	keep := s.selectedKey()
	s.query = strings.ToLower(strings.TrimSpace(q))
	s.refilter()
	p := -1
	for i, r := range s.view {
		if s.rows[r].key() == keep {
			p = i
			break
		}
	}
	s.list.Cursor = 0
	s.list.Follow(p, len(s.view))
}

func (s *Screen) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.Keys
	if s.list.Filtering {
		return s.list.FilterKey(s.c.Keys, msg, len(s.view), s.applyFilter)
	}
	if s.list.NavKey(msg, k, len(s.view)) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Filter):
		if s.loaded {
			return s.list.StartFilter(s.query)
		}
	case key.Matches(msg, k.Dismiss):
		if s.query != "" {
			s.applyFilter("")
			s.list.ClearFilter()
		}
	case key.Matches(msg, k.Reload):
		return s.read()
	case key.Matches(msg, k.Copy):
		return s.copyTracking()
	}
	return nil
}

// copyTracking sends the selected entry's trackingId to the terminal's clipboard (OSC 52),
// the value Webex support asks for.
func (s *Screen) copyTracking() tea.Cmd {
	r := s.selected()
	switch {
	case r == nil:
		return nil
	case r.tracking == "":
		return common.Notice("this entry has no trackingId")
	}
	return tea.Batch(tea.SetClipboard(r.tracking), common.Notice("sent trackingId "+r.tracking+" to the clipboard"))
}

// KeyMap lists the keys that apply now.
func (s *Screen) KeyMap() []key.Binding {
	k := s.c.Keys
	if s.list.Filtering {
		return listview.FilterKeyMap(s.c.Keys)
	}
	keys := []key.Binding{k.Up, k.Down, k.Filter, common.As(k.Copy, "copy trackingId"), k.Reload, k.Top, k.Bottom, k.PageUp, k.PageDown}
	if s.query != "" {
		keys = append([]key.Binding{common.As(k.Dismiss, "clear filter")}, keys...)
	}
	return keys
}

// Column widths; the id takes the rest.
const (
	whenW   = 20 // 2026-11-29T23:51:02Z
	resultW = 10 // "✗ error", "? bad line"
	opW     = 20 // datasources.extend
	actorW  = 10 // keeper, alice
	trackW  = 20

	// actorTable is the narrowest width with the actor column; below it the actor is in the
	// detail under the table only.
	actorTable = 80

	wideTable = 110
)

// View renders the body: title, header, rows and the selected entry in full.
func (s *Screen) View() string {
	st := s.c.Styles
	var b strings.Builder
	t := listview.Title{Name: "Activity", Loaded: s.loaded, Query: s.query, Shown: len(s.view), Total: len(s.rows)}
	if s.truncated {
		t.Extra = st.Muted.Render(" · the log's last " + strconv.Itoa(config.AuditTail>>20) + " MiB")
	}
	b.WriteString(s.list.TitleLine(st, s.width, t))
	b.WriteByte('\n')
	s.list.Drawn(0, 0, 0)
	switch {
	case s.loadErr != nil:
		b.WriteString(st.Error.Render(format.Cut("  "+styles.GlyphError+" "+safetext.Line(s.loadErr.Error()), s.width)))
		return b.String()
	case !s.loaded:
		b.WriteString("  Reading the audit log…")
		return b.String()
	case len(s.rows) == 0:
		b.WriteString(listview.Paragraphs([]string{"", "No writes yet: every create, update, extend and delete byova sends is listed here."}, s.width, s.height))
		return b.String()
	case len(s.view) == 0:
		b.WriteString("\n  No entry matches \"" + s.query + "\". Press " + st.Key.Render(s.c.Keys.Dismiss.Help().Key) + " to clear the filter.")
		return b.String()
	}
	// Below wideTable the trackingId leaves the table for the line under it: an id cut to a
	// few characters helps nobody.
	tw := trackW + 1
	if s.width < wideTable {
		tw = 0
	}
	aw := actorW + 1
	if s.width < actorTable {
		aw = 0
	}
	idW := max(s.width-2-whenW-resultW-opW-3-tw-aw, 8)
	head := "  " + format.Fit("TIME (UTC)", whenW) + " " + format.Fit("RESULT", resultW) + " " + format.Fit("OPERATION", opW) + " "
	if aw > 0 {
		head += format.Fit("BY", actorW) + " "
	}
	head += format.Fit("ID", idW)
	if tw > 0 {
		head += " TRACKINGID"
	}
	b.WriteString(st.TableHeader.Render(format.Cut(head, s.width)))
	from, to := s.list.Window(len(s.view))
	s.list.Drawn(strings.Count(b.String(), "\n")+1, from, to)
	for p := from; p < to; p++ {
		r := &s.rows[s.view[p]]
		line := format.Fit(r.when, whenW) + " " + format.Fit(r.result, resultW) + " " + format.Fit(r.op, opW) + " "
		if aw > 0 {
			line += format.Fit(r.actor, actorW) + " "
		}
		line += format.Fit(r.id, idW)
		if tw > 0 {
			line += " " + format.Fit(r.tracking, trackW)
		}
		b.WriteByte('\n')
		switch {
		case p == s.list.Cursor:
			b.WriteString(st.Selected.Render(format.Cut(styles.GlyphCursor+" "+line, s.width)))
		case r.malformed || !r.ok:
			b.WriteString(format.Cut("  "+st.Error.Render(line), s.width))
		default:
			b.WriteString(format.Cut("  "+line, s.width))
		}
	}
	for range s.list.Height() - (to - from) {
		b.WriteByte('\n')
	}
	b.WriteString(s.selectedDetail())
	return b.String()
}

// selectedDetail is the selected entry in full under the table: the error text and who sent it
// do not fit a row.
func (s *Screen) selectedDetail() string {
	st := s.c.Styles
	r := s.selected()
	if r == nil {
		return ""
	}
	var l1, l2 string
	if r.malformed {
		l1 = "line not understood: " + r.errText
		l2 = "text: " + r.id
	} else {
		l1 = "by " + r.actor + "  org " + r.org + "  id " + r.id
		l2 = "trackingId " + r.tracking
		if r.tracking == "" {
			l2 = "no trackingId"
		}
		if r.errText != "" {
			l2 += "  error: " + r.errText
		}
	}
	return "\n" + st.Muted.Render(format.Cut("  "+l1, s.width)) + "\n" + st.Muted.Render(format.Cut("  "+l2, s.width))
}
