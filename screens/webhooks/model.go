// Package webhooks is the webhooks screen: every webhook the caller's token owns (all pages),
// their details with the secret masked, and the forms and confirmations that create, edit,
// delete them and ensure the serviceApp authorized/deauthorized pair a BYOVA integration needs.
package webhooks

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/safetext"
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
	modeResult // the one-time secret, or what ensure found and did
)

// Screen is the webhooks screen. It implements common.Screen.
type Screen struct {
	c             *common.Common
	width, height int
	mode          mode

	// NewSecret draws the secrets byova generates (tests fix it).
	NewSecret func() string

	items     []api.Webhook
	tokenHeld bool   // the load failed with a caller token held: Webex refused it
	lastWrite uint64 // id of the newest write (the form that sent it waits for its answer)

	// The load, and the cursor, window and filter over tbl.view.
	listscreen.Model
	tbl table

	detail  *detailView
	form    *whForm
	confirm *dialog.Confirm
	result  *resultDialog
}

// New builds the screen; Init starts the first load.
func New(c *common.Common) *Screen {
	return &Screen{c: c, Model: listscreen.New(c.Styles, "webhooks", "filter by name, resource, event, target URL, status or id"), NewSecret: newSecret}
}

// Title is the screen's name in the tabs.
func (s *Screen) Title() string { return "Webhooks" }

// Init loads the webhooks.
func (s *Screen) Init() tea.Cmd { return s.load() }

// Capturing reports that the filter, a form or a dialog takes keys. The one-time secret
// captures too, so a stray q cannot close it before the person has copied the secret.
func (s *Screen) Capturing() bool {
	return s.List.Filtering || s.mode == modeForm || s.mode == modeConfirm || s.mode == modeResult
}

// SetSize gives the screen its body size.
func (s *Screen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.List.SetSize(w, h)
	s.List.Clamp(s.tbl.Len())
	if s.detail != nil {
		s.detail.pane.SetSize(w, h)
	}
	if s.form != nil {
		s.form.setSize(w, h)
	}
}

// Len is how many webhooks are loaded.
func (s *Screen) Len() int { return len(s.tbl.Rows) }

// Selected is the webhook under the cursor (nil when none).
func (s *Screen) Selected() *api.Webhook {
	if r := s.tbl.At(s.List.Cursor); r != nil {
		return r.wh
	}
	return nil
}

// Update handles keys (when the screen is active) and results (always).
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.Reply[loadedMsg]:
		return s, s.onLoaded(msg)
	case common.Reply[fetchedMsg]:
		return s, s.onFetched(msg)
	case common.Reply[writtenMsg]:
		return s, s.onWritten(msg)
	case common.Reply[deletedMsg]:
		return s, s.onDeleted(msg)
	case common.Reply[ensuredMsg]:
		return s, s.onEnsured(msg)
	case common.OrgChangedMsg:
		// A profile switch changes whose webhooks these are; an org switch may too (the
		// caller token belongs to the profile). Start over and drop the old answers.
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
		return s, s.List.PasteFilter(msg, &s.tbl)
	}
	return s, nil
}

func (s *Screen) reset() {
	s.items = nil
	s.tbl.set(nil)
	s.Model.Reset()
	s.mode = modeList
	s.detail, s.form, s.confirm, s.result = nil, nil, nil, nil
}

// back is the mode to return to after a form or dialog.
func (s *Screen) back() mode {
	if s.detail != nil {
		return modeDetail
	}
	return modeList
}

// upsert puts a webhook Webex returned into the list; a new one gets the cursor.
func (s *Screen) upsert(wh *api.Webhook) {
	keep := s.tbl.IDAt(s.List.Cursor)
	found := false
	for i := range s.items {
		if s.items[i].ID == wh.ID {
			s.items[i], found = *wh, true
		}
	}
	if !found {
		s.items = append(s.items, *wh)
		keep = wh.ID
	}
	s.tbl.set(s.items)
	s.List.Keep(&s.tbl, keep)
	if s.detail != nil && s.detail.wh.ID == wh.ID {
		if p := s.tbl.IndexOf(wh.ID); p >= 0 {
			s.detail.setWebhook(s.tbl.At(p).wh)
		}
	}
	s.Loaded, s.LoadErr = true, nil
}

func (s *Screen) remove(id string) {
	keep := s.Neighbour(&s.tbl)
	if s.detail != nil && s.detail.wh.ID == id {
		s.detail, s.mode = nil, modeList
	}
	// A new slice: the rows and the detail point into the old one.
	out := make([]api.Webhook, 0, len(s.items))
	for _, w := range s.items {
		if w.ID != id {
			out = append(out, w)
		}
	}
	s.items = out
	s.tbl.set(s.items)
	s.List.Keep(&s.tbl, keep)
}

// handleKey dispatches a key by mode.
func (s *Screen) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case s.mode == modeForm:
		return s.formKey(msg)
	case s.mode == modeConfirm:
		return s.confirm.Key(s.c.Keys, msg, s.closeConfirm)
	case s.mode == modeResult:
		return s.resultKey(msg)
	case s.mode == modeList && s.List.Filtering:
		return s.List.TypeFilter(s.c.Keys, msg, &s.tbl)
	}
	if cmd, ok := s.actionKey(msg); ok {
		return cmd
	}
	if s.mode == modeDetail {
		return s.detailKey(msg)
	}
	return s.listKey(msg)
}

// actionKey runs the keys that act on the target (the webhook in the detail view, else the
// selected row), the same in the list and the detail. A write is refused at once in a
// read-only profile.
func (s *Screen) actionKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := s.c.Keys
	switch {
	case key.Matches(msg, k.Copy):
		return s.copyID(), true
	case !key.Matches(msg, k.Edit, k.Delete):
		return nil, false
	}
	if ok, cmd := s.c.Writable(); !ok {
		return cmd, true
	}
	wh := s.target()
	switch {
	case wh == nil:
		return nil, true
	case key.Matches(msg, k.Edit):
		return s.startEdit(wh), true
	}
	return s.startDelete(wh), true
}

// KeyMap lists the keys that apply now. In a read-only profile the write keys are left out,
// so neither the footer nor the help offers what would be refused.
func (s *Screen) KeyMap() []key.Binding {
	k := s.c.Keys
	switch {
	case s.mode == modeForm && s.form != nil:
		return s.form.keyMap()
	case s.mode == modeConfirm && s.confirm != nil:
		return s.confirm.KeyMap(k)
	case s.mode == modeResult && s.result != nil:
		return s.result.keyMap(k)
	case s.List.Filtering:
		return listview.FilterKeyMap(k)
	}
	writes := !s.c.ReadOnly()
	if s.mode == modeDetail {
		keys := []key.Binding{common.As(k.Dismiss, "back"), k.Up, k.Down}
		if writes {
			keys = append(keys, k.Edit, k.Delete)
		}
		return append(keys, k.Copy, k.Reload, k.PageUp, k.PageDown, k.Top, k.Bottom)
	}
	if !s.Loaded {
		// Nothing to move through or open yet: what helps is reloading.
		return []key.Binding{k.Reload}
	}
	keys := []key.Binding{k.Up, k.Down, k.Filter, k.Open}
	if writes {
		keys = append(keys, k.New, k.Ensure, k.Edit, k.Delete)
	}
	keys = append(keys, k.Copy, k.Reload, k.Top, k.Bottom, k.PageUp, k.PageDown)
	if s.tbl.Query() != "" {
		keys = append([]key.Binding{common.As(k.Dismiss, "clear filter")}, keys...)
	}
	return keys
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
	case modeResult:
		if s.result != nil {
			return s.result.view(s.c.Styles, s.c.Keys, s.width, s.height)
		}
	}
	return s.listView()
}

// target is the webhook an action applies to: the one in the detail view, else the selected row.
func (s *Screen) target() *api.Webhook {
	if s.mode == modeDetail && s.detail != nil {
		return s.detail.wh
	}
	return s.Selected()
}

// copyID puts the webhook's ID on the clipboard with OSC 52, which reaches the person's own
// terminal even over SSH.
func (s *Screen) copyID() tea.Cmd {
	wh := s.target()
	if wh == nil {
		return nil
	}
	return common.Copy(wh.ID, "webhook ID")
}

// nameOf is how a webhook is called in notices and titles, made safe to draw.
func nameOf(wh *api.Webhook) string {
	if strings.TrimSpace(wh.Name) != "" {
		return safetext.Line(wh.Name)
	}
	return safetext.Line(wh.Resource + " " + wh.Event)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
