// Package datasources is the data sources screen: every BYODS registration of the org with its
// status and live token countdown, details with the decoded JWS, and the forms and
// confirmations that register, edit, extend and delete them.
package datasources

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/gateway"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/dialog"
	"github.com/byova/byova/ui/listscreen"
	"github.com/byova/byova/ui/listview"
)

// mode is what the screen shows.
type mode int

const (
	modeList mode = iota
	modeDetail
	modeForm
	modeConfirm
	modeCall // a test call's pane (endpoint.go)
)

// Screen is the data sources screen. It implements common.Screen.
type Screen struct {
	c             *common.Common
	width, height int
	mode          mode

	// What Webex said, and when.
	items      []*api.DataSource
	schemas    map[string]api.Schema
	schemaList []api.Schema
	lastWrite  uint64 // id of the newest write request (the form that sent it waits for its answer)

	// The load, and the cursor, window and filter over tbl.view.
	listscreen.Model

	tbl    table
	layout layout
	paint  painters

	marks map[string]*mark // by data source id (bulk.go)
	bulk  *bulkRun         // the bulk extend under way, nil when none

	verdicts []verdict // the last :verify, shown under the list until esc

	// Endpoints (endpoint.go): the last probe of each data source, the ids of the last run
	// (shown under the list until esc), and the test call's pane.
	endpoints  map[string]*gateway.Probe
	probed     []string
	probeLines []string // the panel's lines for probed, built once per answer
	call       *callPane

	// Live refresh (refresh.go).
	refreshSeq  uint64                 // the timer that may reload; older ones are dropped
	refreshedAt time.Time              // the last successful load
	bands       map[string]expiryState // each token's expiry band at the last check
	lastCross   time.Time              // when that check ran
	alert       string                 // tokens that crossed into a band, until esc

	detail  *detailView
	form    *dsForm
	confirm *dialog.Confirm
}

// New builds the screen; Init starts the first load.
func New(c *common.Common) *Screen {
	s := &Screen{c: c, Model: listscreen.New(c.Styles, "data sources", "filter by status, audience, subject, url, schema, id or expired"),
		schemas: map[string]api.Schema{}, paint: newPainters(c.Styles)}
	s.tbl.now = c.Now
	return s
}

// Title is the screen's name in the tabs.
func (s *Screen) Title() string { return "Data sources" }

// Init loads the data sources.
func (s *Screen) Init() tea.Cmd { return s.load() }

// Capturing reports that the filter, a form or a confirmation takes keys.
func (s *Screen) Capturing() bool {
	return s.List.Filtering || s.mode == modeForm || s.mode == modeConfirm
}

// SetSize gives the screen its body size.
func (s *Screen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.relayout()
	s.resizeList()
	if s.detail != nil {
		s.detail.pane.SetSize(w, h)
	}
	if s.form != nil {
		s.form.setSize(w, h)
	}
	if s.call != nil {
		s.call.pane.SetSize(w, h)
	}
}

// relayout recomputes the column widths after a resize or new rows.
func (s *Screen) relayout() {
	if !s.showEndpoints() {
		s.layout = newLayout(s.width, s.layout.gen+1, s.tbl.widest)
		return
	}
	// Once probed, the endpoint column takes its room from the text columns (endpoint.go).
	s.layout = newLayout(s.width-endpointW-1, s.layout.gen+1, s.tbl.widest)
	s.layout.headerLine = strings.TrimSuffix(s.layout.headerLine, "EXPIRES IN") + fitNarrow("EXPIRES IN", expiryW) + " ENDPOINT"
}

// Len is how many data sources are loaded.
func (s *Screen) Len() int { return len(s.tbl.Rows) }

// Selected is the data source under the cursor (nil when none).
func (s *Screen) Selected() *api.DataSource {
	if r := s.tbl.At(s.List.Cursor); r != nil {
		return r.ds
	}
	return nil
}

// Update handles keys (when the screen is active) and results (always).
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.Reply[loadedMsg]:
		return s, s.onLoaded(msg)
	case common.Reply[writtenMsg]:
		return s, s.onWritten(msg)
	case common.Reply[deletedMsg]:
		return s, s.onDeleted(msg)
	case common.Reply[fetchedMsg]:
		return s, s.onFetched(msg)
	case common.Reply[verifiedMsg]:
		return s, s.onVerified(msg)
	case bulkResultMsg:
		return s, s.onBulkResult(msg)
	case common.Reply[bulkDoneMsg]:
		return s, s.onBulkDone(msg)
	case common.Reply[checkedMsg]:
		return s, s.onChecked(msg)
	case common.Reply[probedMsg]:
		return s, s.onProbed(msg)
	case common.Reply[calledMsg]:
		return s, s.onCalled(msg)
	case RefreshMsg:
		return s, s.onRefresh(msg)
	case ExtendWithinMsg:
		return s, s.startExtendWithin(msg.Within)
	case VerifyMsg:
		return s, s.startVerify()
	case ProbeMsg:
		return s, s.probeAll()
	case callEventMsg:
		return s, s.onCallEvent(msg)
	case common.TickMsg:
		if s.detail != nil {
			s.detail.pane.Refresh()
		}
		// A token that expires while a filter is on joins (or leaves) /expired: the same query,
		// filtered again (Filter does nothing with a query it has).
		if s.tbl.stampExpired(s.c.Now()) && s.tbl.Query() != "" {
			s.List.Keeping(&s.tbl, s.tbl.Refilter)
		}
		if s.Loaded && s.c.Now().Sub(s.lastCross) >= crossCheckEvery {
			return s, s.checkCrossings(s.c.Now())
		}
		return s, nil
	case common.OrgChangedMsg:
		s.reset()
		return s, s.load()
	case tea.KeyPressMsg:
		return s, s.handleKey(msg)
	case tea.MouseWheelMsg:
		return s, s.handleWheel(msg)
	case tea.MouseClickMsg:
		return s, s.handleClick(msg)
	}
	// Anything else belongs to an open form (huh's own messages) or the filter input.
	switch {
	case s.mode == modeForm && s.form != nil:
		return s, s.updateForm(msg)
	case s.List.Filtering:
		s.tbl.stampExpired(s.c.Now())
		return s, s.List.PasteFilter(msg, &s.tbl)
	}
	return s, nil
}

func (s *Screen) reset() {
	s.items = nil
	s.tbl.set(nil, nil)
	s.Model.Reset()
	s.mode = modeList
	s.detail, s.form, s.confirm = nil, nil, nil
	s.marks, s.bulk, s.verdicts = nil, nil, nil
	if s.call != nil && !s.call.done {
		s.call.cancel() // the call belonged to the old org: hang up
	}
	s.endpoints, s.probed, s.probeLines, s.call = nil, nil, nil, nil
	s.bands, s.alert, s.refreshedAt = nil, "", time.Time{}
	s.refreshSeq++ // the old org's timer must not reload the new one's list
	s.resizeList()
}

// back is the mode to return to after a form or dialog.
func (s *Screen) back() mode {
	if s.detail != nil {
		return modeDetail
	}
	return modeList
}

// upsert puts a data source Webex returned into the list, keeping the cursor where it was
// (on a new one, on it).
func (s *Screen) upsert(ds *api.DataSource) {
	keep := s.tbl.IDAt(s.List.Cursor)
	if i := s.tbl.replace(ds); i < 0 {
		d := *ds
		s.items = append(s.items, &d)
		s.tbl.set(s.items, s.schemas)
		keep = ds.ID
	} else {
		s.tbl.widen(&s.tbl.Rows[i])
	}
	s.relayout()
	s.List.Keep(&s.tbl, keep)
	if s.detail != nil && s.detail.ds.ID == ds.ID {
		if p := s.tbl.IndexOf(ds.ID); p >= 0 {
			s.detail.setDataSource(s.tbl.At(p).ds)
		}
	}
	s.Loaded = true
}

func (s *Screen) remove(id string) {
	keep := s.Neighbour(&s.tbl)
	out := s.items[:0]
	for _, d := range s.items {
		if d.ID != id {
			out = append(out, d)
		}
	}
	s.items = out
	s.tbl.set(s.items, s.schemas)
	s.relayout()
	s.List.Keep(&s.tbl, keep)
	if s.detail != nil && s.detail.ds.ID == id {
		s.detail, s.mode = nil, modeList
	}
}

// handleKey dispatches a key: to the form, the dialog or the filter when one is open, else
// the actions on a data source, else the list's or the detail's own keys.
func (s *Screen) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case s.mode == modeForm:
		return s.formKey(msg)
	case s.mode == modeConfirm:
		return s.confirm.Key(s.c.Keys, msg, s.closeConfirm)
	case s.mode == modeList && s.List.Filtering:
		s.tbl.stampExpired(s.c.Now())
		return s.List.TypeFilter(s.c.Keys, msg, &s.tbl)
	case s.mode == modeCall && s.call != nil:
		return s.callKey(msg)
	}
	if cmd, ok := s.endpointKey(msg); ok {
		return cmd
	}
	if cmd, ok := s.actionKey(msg); ok {
		return cmd
	}
	if s.mode == modeDetail {
		return s.detailKey(msg)
	}
	return s.listKey(msg)
}

// actionKey runs the keys that act on the target (the data source in the detail view, else
// the selected row), the same in the list and the detail; x with rows marked extends those.
// A write is refused at once in a read-only profile.
func (s *Screen) actionKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := s.c.Keys
	switch {
	case key.Matches(msg, k.Copy):
		return s.copyID(), true
	case key.Matches(msg, k.Reload):
		return s.load(), true
	case !key.Matches(msg, k.Extend, k.Edit, k.Delete):
		return nil, false
	}
	if ok, cmd := s.c.Writable(); !ok {
		return cmd, true
	}
	if key.Matches(msg, k.Extend) && s.mode == modeList && s.markCount() > 0 {
		return s.startExtendMarked(), true
	}
	ds := s.target()
	switch {
	case ds == nil:
		return nil, true
	case key.Matches(msg, k.Extend):
		return s.startExtend(ds), true
	case key.Matches(msg, k.Edit):
		return s.openForm(ds), true
	}
	return s.startDelete(ds), true
}

// KeyMap lists the keys that apply now.
func (s *Screen) KeyMap() []key.Binding {
	k := s.c.Keys
	switch {
	case s.mode == modeForm && s.form != nil:
		return s.form.keyMap()
	case s.mode == modeConfirm && s.confirm != nil:
		return s.confirm.KeyMap(k)
	case s.List.Filtering:
		return listview.FilterKeyMap(k)
	case s.mode == modeCall && s.call != nil:
		if s.call.done {
			return []key.Binding{common.As(k.Dismiss, "close"), k.Up, k.Down}
		}
		return []key.Binding{common.As(k.Dismiss, "hang up"), k.Up, k.Down}
	}
	// Read-only hides the write keys: they would only say "read-only".
	writes := !s.c.ReadOnly()
	if s.mode == modeDetail {
		keys := []key.Binding{common.As(k.Dismiss, "back"), k.Up, k.Down}
		if writes {
			keys = append(keys, k.Extend, k.Edit, k.Delete)
		}
		return append(keys, k.Probe, k.Call, k.Copy, k.Reload, k.PageUp, k.PageDown, k.Top, k.Bottom)
	}
	sort := k.Sort
	sort = common.As(sort, "sort: "+s.tbl.sortBy.shortName())
	extend := k.Extend
	if n := s.markCount(); n > 0 {
		extend = common.As(extend, "extend "+plural(n, "marked", "marked"))
	}
	keys := []key.Binding{k.Up, k.Down, k.Filter, k.Open}
	if writes {
		// Marks exist for bulk extend: read-only has no use for them either.
		keys = append(keys, k.New, extend, k.Mark, k.ExtendDue, k.Edit, k.Delete)
	}
	keys = append(keys, k.Probe, k.Call, k.Copy, k.Reload, sort, k.Top, k.Bottom, k.PageUp, k.PageDown)
	switch {
	case s.tbl.Query() != "":
		keys = append([]key.Binding{common.As(k.Dismiss, "clear filter")}, keys...)
	case s.markCount() > 0:
		keys = append([]key.Binding{common.As(k.Dismiss, "clear marks")}, keys...)
	}
	return keys
}

func (k sortKey) shortName() string {
	return [...]string{"expiry", "audience", "subject", "status", "url", "schema"}[k]
}

// View renders the screen body.
func (s *Screen) View() string {
	switch s.mode {
	case modeDetail:
		if s.detail != nil {
			return s.detail.view()
		}
	case modeForm:
		if s.form != nil {
			return s.form.view()
		}
	case modeConfirm:
		if s.confirm != nil {
			return s.confirm.View(s.c.Styles, s.c.Keys, s.width, s.height)
		}
	case modeCall:
		if s.call != nil {
			return s.callView()
		}
	}
	return s.listView()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
