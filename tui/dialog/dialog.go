package dialog

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/byova/byova/safetext"
	"github.com/byova/byova/tui/format"
	"github.com/byova/byova/tui/styles"
)

// maxW is the widest a dialog's frame gets.
const maxW = 78

// Confirm asks before a write. Nothing is sent until the person presses y (or enter when the
// action is not destructive).
type Confirm struct {
	Title       string
	Rows        [][2]string // label, value
	Note        string
	Action      string // the verb on the y key: "create", "save", "delete", ...
	Destructive bool   // enter does not confirm
	OnConfirm   func() tea.Cmd
	OnCancel    func() tea.Cmd
}

// KeyMap is the dialog's keys for the footer and the help.
func (d *Confirm) KeyMap() []key.Binding {
	yes := key.NewBinding(key.WithKeys("y", "enter"), key.WithHelp("y/enter", d.Action))
	if d.Destructive {
		yes = key.NewBinding(key.WithKeys("y"), key.WithHelp("y", d.Action))
	}
	return []key.Binding{yes, key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "cancel"))}
}

// Answer reads a key: closed reports that the dialog is done, then (OnConfirm or OnCancel,
// possibly nil) is what to run once the screen has closed it. Other keys are ignored.
func (d *Confirm) Answer(msg tea.KeyPressMsg) (then func() tea.Cmd, closed bool) {
	switch msg.String() {
	case "y", "Y":
		return d.OnConfirm, true
	case "enter":
		if !d.Destructive {
			return d.OnConfirm, true
		}
	case "n", "N", "esc", "q":
		return d.OnCancel, true
	}
	return nil, false
}

// View is the dialog centred in w×h.
func (d *Confirm) View(st *styles.Styles, w, h int) string {
	inner := Inner(w)
	lines := []string{st.Bold.Render(format.Cut(safetext.Line(d.Title), inner)), ""}
	lines = append(lines, Labelled(st, d.Rows, inner)...)
	if d.Note != "" {
		lines = append(lines, "")
		lines = append(lines, strings.Split(lipgloss.Wrap(safetext.Text(d.Note), inner, " "), "\n")...)
	}
	lines = append(lines, "")
	hint := st.Key.Render("y") + " " + d.Action
	if !d.Destructive {
		hint = st.Key.Render("y/enter") + " " + d.Action
	}
	hint += st.Muted.Render("   ") + st.Key.Render("n/esc") + " cancel"
	lines = append(lines, hint)
	return Box(st, lines, w, h)
}

// Inner is the text width inside the frame of a dialog in a body w wide.
func Inner(w int) int { return min(w-4, maxW) - 4 }

// Labelled renders label/value rows; values (often Webex's) are shown as safetext.Line shows
// them and cut to the room left (the list and the detail show them in full).
func Labelled(st *styles.Styles, rows [][2]string, inner int) []string {
	labelW := 0
	for _, r := range rows {
		labelW = max(labelW, lipgloss.Width(r[0]))
	}
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		out = append(out, st.FieldName.Render(format.Fit(r[0], labelW))+"  "+format.Cut(safetext.Line(r[1]), inner-labelW-2))
	}
	return out
}

// Box draws lines in the dialog frame, centred in w×h; lines that do not fit are dropped from
// the end of the body, never the last line (the key hint).
func Box(st *styles.Styles, lines []string, w, h int) string {
	boxW := min(w-4, maxW)
	if room := h - 2; len(lines) > room && room > 1 {
		lines = append(lines[:room-1], lines[len(lines)-1])
	}
	b := st.Dialog.Width(boxW).Render(strings.Join(lines, "\n"))
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, b)
}
