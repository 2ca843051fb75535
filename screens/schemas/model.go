// Package schemas is the schemas screen: the data source schemas Webex offers (serviceType,
// protocol, app type, id), their details, and a cache of the list that the screen and the data
// source form's picker share (Load).
package schemas

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/schemacache"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/listscreen"
	"github.com/byova/byova/ui/listview"
)

// loadTimeout bounds one load; the api client retries inside it.
const loadTimeout = 30 * time.Second

type mode int

const (
	modeList mode = iota
	modeDetail
)

// Screen is the schemas screen. It implements common.Screen.
type Screen struct {
	c             *common.Common
	width, height int
	mode          mode

	// MaxAge is how long a cached list is used (schemacache.DefaultMaxAge; tests shorten it).
	MaxAge time.Duration

	items     []api.Schema
	staleErr  error // Webex failed; the list shown is an expired cached one
	fetchedAt time.Time
	fromCache bool

	// The load, and the cursor, window and filter over tbl.view.
	listscreen.Model
	tbl table

	detail *detailView
}

// New builds the screen; Init starts the first load.
func New(c *common.Common) *Screen {
	return &Screen{c: c, Model: listscreen.New(c.Styles, "schemas", "filter by service type, protocol, app type, id or description"), MaxAge: schemacache.DefaultMaxAge}
}

// Title is the screen's name in the tabs.
func (s *Screen) Title() string { return "Schemas" }

// Init loads the schemas (from the cache when it is fresh).
func (s *Screen) Init() tea.Cmd { return s.load(false) }

// Capturing reports that the filter input takes keys.
func (s *Screen) Capturing() bool { return s.List.Filtering }

// SetSize gives the screen its body size.
func (s *Screen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.List.SetSize(w, h)
	s.List.Clamp(s.tbl.Len())
	if s.detail != nil {
		s.detail.pane.SetSize(w, h)
	}
}

// Len is how many schemas are loaded.
func (s *Screen) Len() int { return len(s.tbl.Rows) }

// Selected is the schema under the cursor (nil when none).
func (s *Screen) Selected() *api.Schema {
	if r := s.tbl.At(s.List.Cursor); r != nil {
		return r.sc
	}
	return nil
}

// loadedMsg is the payload of a load's reply.
type loadedMsg struct {
	res schemacache.Result
}

// load reads the cache or asks Webex (force: always Webex). Schemas need no particular scope,
// so the org's Service App token serves, else the caller token (PAT or Integration).
func (s *Screen) load(force bool) tea.Cmd {
	what := "loading schemas"
	if force {
		what = "reloading schemas from Webex"
	}
	req := s.Load(s.c, Owner, what, loadTimeout)
	ctx, maxAge, now, base := req.Ctx, s.MaxAge, req.Now, req.BaseURL()
	return func() tea.Msg {
		defer req.Cancel()
		var res schemacache.Result
		err := common.Safely(func() (err error) {
			res, err = req.Schemas.Get(ctx, func() (*api.Client, error) { return client(req) }, base, maxAge, now, force)
			return err
		})
		return common.ReplyTo(req, loadedMsg{res: res}, err)
	}
}

// client is the org's client when there is one, else the caller's.
func client(req common.Request) (*api.Client, error) {
	cl, _, err := req.OrgClient()
	if err == nil {
		return cl, nil
	}
	if caller, cerr := req.Caller(); cerr == nil {
		return caller, nil
	}
	return nil, err
}

// Update handles keys (when the screen is active) and results (always).
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.Reply[loadedMsg]:
		return s, s.onLoaded(msg)
	case common.OrgChangedMsg:
		// Schemas are global, but the token that reads them changed: start over, and the
		// answer to a load begun for the old org is dropped (its id is no longer the latest).
		s.reset()
		return s, s.load(false)
	case tea.KeyPressMsg:
		return s, s.handleKey(msg)
	case tea.MouseWheelMsg:
		return s, s.handleWheel(msg)
	case tea.MouseClickMsg:
		return s, s.handleClick(msg)
	}
	if s.List.Filtering {
		return s, s.List.PasteFilter(msg, &s.tbl)
	}
	return s, nil
}

func (s *Screen) reset() {
	s.items, s.staleErr = nil, nil
	s.tbl.set(nil)
	s.Model.Reset()
	s.mode, s.detail = modeList, nil
}

func (s *Screen) onLoaded(r common.Reply[loadedMsg]) tea.Cmd {
	if !s.Wanted(s.c, r) {
		return nil
	}
	msg := r.Payload
	if msg.res.CacheErr != nil {
		s.c.Logger.Debug("schema cache", "err", msg.res.CacheErr)
	}
	if listscreen.Canceled(r.Err) {
		return nil
	}
	if r.Err != nil && !msg.res.Stale {
		return s.Failed(r.Err)
	}
	s.Show(&s.tbl, func() {
		s.items, s.staleErr = msg.res.Items, nil
		s.fetchedAt, s.fromCache = msg.res.FetchedAt, msg.res.FromCache
		s.tbl.set(s.items)
	})
	if s.detail != nil {
		if p := s.tbl.IndexOf(s.detail.sc.ID); p >= 0 {
			s.detail.setSchema(s.tbl.At(p).sc)
		}
	}
	if r.Err != nil {
		s.staleErr = r.Err
		return common.Error("loading schemas (showing the list cached "+agoText(s.c.Now(), s.fetchedAt)+")", r.Err)
	}
	return nil
}

func (s *Screen) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if s.mode == modeDetail && s.detail != nil {
		return s.detailKey(msg)
	}
	return s.listKey(msg)
}

// KeyMap lists the keys that apply now.
func (s *Screen) KeyMap() []key.Binding {
	k := s.c.Keys
	switch {
	case s.List.Filtering:
		return listview.FilterKeyMap(k)
	case s.mode == modeDetail:
		return []key.Binding{common.As(k.Dismiss, "back"), k.Copy, k.Reload, k.Up, k.Down}
	}
	if !s.Loaded {
		return []key.Binding{k.Reload}
	}
	keys := []key.Binding{k.Up, k.Down, k.Filter, k.Open, k.Copy, k.Reload, k.Top, k.Bottom, k.PageUp, k.PageDown}
	if s.tbl.Query() != "" {
		keys = append([]key.Binding{common.As(k.Dismiss, "clear filter")}, keys...)
	}
	return keys
}

// View renders the screen body.
func (s *Screen) View() string {
	if s.mode == modeDetail && s.detail != nil {
		return s.detail.view()
	}
	return s.listView()
}

// copyID puts the schema's ID on the clipboard with OSC 52 (works over SSH).
func (s *Screen) copyID() tea.Cmd {
	sel := s.Selected()
	if s.mode == modeDetail && s.detail != nil {
		sel = s.detail.sc
	}
	if sel == nil {
		return nil
	}
	return common.Copy(sel.ID, "schema ID")
}
