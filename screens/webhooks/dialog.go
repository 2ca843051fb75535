package webhooks

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/tui/common"
	"github.com/byova/byova/tui/format"
	"github.com/byova/byova/tui/styles"
)

// confirmDialog asks before a write. Nothing is sent until the person presses y (or enter
// when the action is not destructive).
type confirmDialog struct {
	title       string
	rows        [][2]string // label, value
	note        string
	action      string // "create", "save", "delete", "ensure"
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
	inner := min(w-4, 78) - 4
	var lines []string
	lines = append(lines, st.Bold.Render(format.Cut(d.title, inner)), "")
	lines = append(lines, labelled(st, d.rows, inner)...)
	if d.note != "" {
		lines = append(lines, "")
		lines = append(lines, strings.Split(lipgloss.Wrap(d.note, inner, " "), "\n")...)
	}
	lines = append(lines, "")
	hint := st.Key.Render("y") + " " + d.action
	if !d.destructive {
		hint = st.Key.Render("y/enter") + " " + d.action
	}
	hint += st.Muted.Render("   ") + st.Key.Render("n/esc") + " cancel"
	lines = append(lines, hint)
	return box(st, lines, w, h)
}

// labelled renders label/value rows; values are cut to the room left (the list and the detail
// show them in full).
func labelled(st *styles.Styles, rows [][2]string, inner int) []string {
	labelW := 0
	for _, r := range rows {
		labelW = max(labelW, lipgloss.Width(r[0]))
	}
	var out []string
	for _, r := range rows {
		out = append(out, st.FieldName.Render(format.Fit(r[0], labelW))+"  "+format.Cut(r[1], inner-labelW-2))
	}
	return out
}

// box draws lines in the dialog frame, centred in w×h; lines that do not fit are dropped from
// the end of the body, never the key hint.
func box(st *styles.Styles, lines []string, w, h int) string {
	boxW := min(w-4, 78)
	if room := h - 2; len(lines) > room && room > 1 {
		lines = append(lines[:room-1], lines[len(lines)-1])
	}
	b := st.Dialog.Width(boxW).Render(strings.Join(lines, "\n"))
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, b)
}

// resultDialog is shown after a write when there is something to read before going on: the
// secret byova generated (in full, this once), or what ensure found and did.
type resultDialog struct {
	title  string
	rows   [][2]string // label, value
	lines  []string    // under the rows, wrapped
	secret string      // shown in full until the dialog closes, then forgotten
}

func (d *resultDialog) keyMap() []key.Binding {
	keys := []key.Binding{key.NewBinding(key.WithKeys("enter", "esc"), key.WithHelp("enter/esc", "close"))}
	if d.secret != "" {
		keys = append([]key.Binding{key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy the secret"))}, keys...)
	}
	return keys
}

func (s *Screen) resultKey(msg tea.KeyPressMsg) tea.Cmd {
	d := s.result
	if d == nil {
		s.mode = s.back()
		return nil
	}
	switch msg.String() {
	case "y", "Y":
		if d.secret != "" {
			return tea.Batch(tea.SetClipboard(d.secret), common.Notice("copied the secret ("+config.Mask(d.secret)+")"))
		}
	case "enter", "esc", "q":
		d.secret = ""
		s.result = nil
		s.mode = s.back()
	}
	return nil
}

func (d *resultDialog) view(st *styles.Styles, w, h int) string {
	inner := min(w-4, 78) - 4
	lines := []string{st.Bold.Render(format.Cut(d.title, inner)), ""}
	lines = append(lines, labelled(st, d.rows, inner)...)
	if len(d.rows) > 0 && len(d.lines) > 0 {
		lines = append(lines, "")
	}
	for _, l := range d.lines {
		lines = append(lines, strings.Split(lipgloss.Wrap(l, inner, " "), "\n")...)
	}
	if d.secret != "" {
		lines = append(lines, "", "  "+st.Bold.Render(d.secret), "")
		note := "This is the only time byova shows this secret in full; from now on it is masked. " +
			"Copy it now (y, over OSC 52) for the receiver that checks the signatures."
		lines = append(lines, strings.Split(lipgloss.Wrap(note, inner, " "), "\n")...)
	}
	lines = append(lines, "")
	hint := st.Key.Render("enter/esc") + " close"
	if d.secret != "" {
		hint = st.Key.Render("y") + " copy the secret" + st.Muted.Render("   ") + hint
	}
	lines = append(lines, hint)
	return box(st, lines, w, h)
}

// openReveal shows the secret byova generated for wh, once.
func (s *Screen) openReveal(wh *api.Webhook, secret string, created bool) {
	verb := "Saved"
	if created {
		verb = "Created"
	}
	s.result = &resultDialog{
		title:  verb + " webhook " + nameOf(wh),
		lines:  []string{"Its secret, which Webex signs every delivery with:"},
		secret: secret,
	}
	s.mode = modeResult
}
