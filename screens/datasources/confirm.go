package datasources

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/tui/common"
	"github.com/byova/byova/tui/detailview"
	"github.com/byova/byova/tui/format"
	"github.com/byova/byova/tui/styles"
)

// confirmDialog asks before a write. Nothing is sent until the person presses y (or enter
// when the action is not destructive).
type confirmDialog struct {
	title       string
	rows        [][2]string // label, value
	note        string
	action      string // "extend", "delete", "register", "save"
	destructive bool
	onConfirm   func() tea.Cmd
	onCancel    func() tea.Cmd
}

func (d *confirmDialog) keyMap() []key.Binding {
	yes := key.NewBinding(key.WithKeys("y", "enter"), key.WithHelp("y/enter", d.action))
	if d.destructive {
		yes = key.NewBinding(key.WithKeys("y"), key.WithHelp("y", d.action))
	}
	return []key.Binding{yes, key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "cancel"))}
}

func (s *Screen) confirmKey(msg tea.KeyPressMsg) tea.Cmd {
	d := s.confirm
	if d == nil {
		s.mode = s.back()
		return nil
	}
	switch msg.String() {
	case "y", "Y":
		return s.closeConfirm(d.onConfirm)
	case "enter":
		if !d.destructive {
			return s.closeConfirm(d.onConfirm)
		}
	case "n", "N", "esc", "q":
		return s.closeConfirm(d.onCancel)
	}
	return nil
}

func (s *Screen) closeConfirm(then func() tea.Cmd) tea.Cmd {
	s.confirm = nil
	s.mode = s.back()
	if then == nil {
		return nil
	}
	return then()
}

func (d *confirmDialog) view(st *styles.Styles, w, h int) string {
	boxW := min(w-4, 78)
	inner := boxW - 4
	labelW := 0
	for _, r := range d.rows {
		labelW = max(labelW, lipgloss.Width(r[0]))
	}
	lines := []string{st.Bold.Render(format.Cut(d.title, inner)), ""}
	for _, r := range d.rows {
		val := format.Cut(r[1], inner-labelW-2)
		lines = append(lines, st.FieldName.Render(format.Fit(r[0], labelW))+"  "+val)
	}
	if d.note != "" {
		lines = append(lines, "")
		lines = append(lines, strings.Split(wrap(d.note, inner), "\n")...)
	}
	lines = append(lines, "")
	hint := st.Key.Render("y") + " " + d.action
	if !d.destructive {
		hint = st.Key.Render("y/enter") + " " + d.action
	}
	hint += st.Muted.Render("   ") + st.Key.Render("n/esc") + " cancel"
	lines = append(lines, hint)
	box := st.Dialog.Width(boxW).Render(strings.Join(lines, "\n"))
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box)
}

// target is the data source an action applies to: the one in the detail view, else the
// selected row.
func (s *Screen) target() *api.DataSource {
	if s.mode == modeDetail && s.detail != nil {
		return s.detail.ds
	}
	return s.Selected()
}

func name(ds *api.DataSource) string {
	parts := []string{}
	if ds.Audience != "" {
		parts = append(parts, ds.Audience)
	}
	if ds.Subject != "" {
		parts = append(parts, ds.Subject)
	}
	if len(parts) == 0 {
		return ds.ID
	}
	return strings.Join(parts, " / ")
}

// lifetimeFor keeps the data source's lifetime when Webex told it, else the maximum.
func lifetimeFor(ds *api.DataSource) int {
	if api.ValidateLifetime(ds.TokenLifetimeMinutes) == nil {
		return ds.TokenLifetimeMinutes
	}
	return api.MaxLifetimeMinutes
}

func (s *Screen) expiryLine(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	state, left := classify(t.Unix(), s.c.Now())
	if state == expiryOK {
		return detailview.TimeText(t) + "  (in " + format.Countdown(left) + ")"
	}
	return detailview.TimeText(t) + "  (" + strings.TrimSpace(expiryText(state, left)) + ")"
}

// startExtend shows what extending changes: the expiry, and a new nonce; nothing else.
func (s *Screen) startExtend() tea.Cmd {
	ds := s.target()
	if ds == nil {
		return nil
	}
	if ok, cmd := s.writable(); !ok {
		return cmd
	}
	lifetime := lifetimeFor(ds)
	plan, err := api.ExtendPlan(ds, lifetime)
	if err != nil {
		return common.Error("extending the token", err)
	}
	plan.Nonce = s.c.NewNonce()
	newExp := s.c.Now().Add(time.Duration(lifetime) * time.Minute)
	id, nonce := ds.ID, plan.Nonce
	s.confirm = &confirmDialog{
		title:  "Extend the token of " + name(ds) + "?",
		action: "extend",
		rows: [][2]string{
			{"id", ds.ID},
			{"expires now", s.expiryLine(ds.Expiry())},
			{"after extending", detailview.TimeText(newExp) + "  (in " + format.Countdown(newExp.Sub(s.c.Now())) + ")"},
			{"lifetime", strconv.Itoa(lifetime) + " min"},
			{"new nonce", config.Mask(nonce)},
		},
		note:      "Audience, subject, schema, url and status stay as they are; Webex issues a new token.",
		onConfirm: func() tea.Cmd { return s.extendCmd(id, nonce, lifetime) },
	}
	s.mode = modeConfirm
	return nil
}

// startDelete asks before deleting; only y deletes.
func (s *Screen) startDelete() tea.Cmd {
	ds := s.target()
	if ds == nil {
		return nil
	}
	if ok, cmd := s.writable(); !ok {
		return cmd
	}
	id := ds.ID
	r := newRow(ds, s.schemas)
	s.confirm = &confirmDialog{
		title:       "Delete the data source " + name(ds) + "?",
		action:      "delete",
		destructive: true,
		rows: [][2]string{
			{"id", ds.ID},
			{"status", r.statusText()},
			{"url", ds.URL},
			{"schema", r.schema},
		},
		note:      "Webex stops sending data to this URL. This cannot be undone.",
		onConfirm: func() tea.Cmd { return s.deleteCmd(id) },
	}
	s.mode = modeConfirm
	return nil
}
