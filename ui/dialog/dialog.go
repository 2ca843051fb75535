package dialog

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/styles"
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

	answers []span // where View drew the answers, for Click
}

// KeyMap is the dialog's keys for the footer, the help and its own hint line.
func (d *Confirm) KeyMap(k *common.KeyMap) []key.Binding {
	return []key.Binding{common.As(d.yes(k), d.Action), k.Cancel}
}

// yes is the confirming keys: a destructive action is never confirmed by enter, which a
// person presses by habit.
func (d *Confirm) yes(k *common.KeyMap) key.Binding {
	if d.Destructive {
		return common.Without(k.Confirm, "enter")
	}
	return k.Confirm
}

// Key answers a key press for the screen that shows d: once the answer closes the dialog, close
// runs first (the screen takes the dialog away and goes back to what was under it), then what
// the answer does (OnConfirm or OnCancel). Other keys are ignored. A nil dialog closes at once.
func (d *Confirm) Key(k *common.KeyMap, msg tea.KeyPressMsg, close func()) tea.Cmd {
	then, closed := d.Answer(k, msg)
	return finish(then, closed, close)
}

// Clicked is Key for a click: a left click on one of the answers the last View drew answers
// as its key does; a click elsewhere does nothing.
func (d *Confirm) Clicked(msg tea.MouseClickMsg, close func()) tea.Cmd {
	then, closed := d.Click(msg)
	return finish(then, closed, close)
}

// finish closes the dialog once answered and runs what the answer does.
func finish(then func() tea.Cmd, closed bool, close func()) tea.Cmd {
	if !closed {
		return nil
	}
	close()
	if then == nil {
		return nil
	}
	return then()
}

// Answer reads a key: closed reports that the dialog is done, then (OnConfirm or OnCancel,
// possibly nil) is what to run once the screen has closed it. Other keys are ignored.
func (d *Confirm) Answer(k *common.KeyMap, msg tea.KeyPressMsg) (then func() tea.Cmd, closed bool) {
	if d == nil {
		return nil, true
	}
	switch {
	case key.Matches(msg, d.yes(k)):
		return d.OnConfirm, true
	case key.Matches(msg, k.Cancel):
		return d.OnCancel, true
	}
	return nil, false
}

// View is the dialog centred in w×h.
func (d *Confirm) View(st *styles.Styles, k *common.KeyMap, w, h int) string {
	inner := Inner(w)
	lines := []string{st.Bold.Render(format.Cut(safetext.Line(d.Title), inner))}
	if len(d.Rows) > 0 {
		lines = append(lines, "")
		lines = append(lines, Labelled(st, d.Rows, inner)...)
	}
	if d.Note != "" {
		lines = append(lines, "")
		lines = append(lines, strings.Split(lipgloss.Wrap(safetext.Text(d.Note), inner, " "), "\n")...)
	}
	lines = append(lines, "")
	bs := d.KeyMap(k)
	lines = append(lines, Hint(st, bs))
	out := Box(st, lines, w, h)
	parts := make([]string, len(bs))
	for i, b := range bs {
		parts[i] = b.Help().Key + " " + b.Help().Desc
	}
	d.answers = findSpans(out, parts, []bool{true, false})
	return out
}

// Hint is a dialog's last line: its keys as the bindings describe them.
func Hint(st *styles.Styles, bs []key.Binding) string {
	parts := make([]string, 0, len(bs))
	for _, b := range bs {
		parts = append(parts, st.Key.Render(b.Help().Key)+" "+b.Help().Desc)
	}
	return strings.Join(parts, st.Muted.Render("   "))
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

// span is one answer as drawn: its body line and cells x0 ≤ x < x1.
type span struct {
	y, x0, x1 int
	confirm   bool
}

// findSpans locates the hint's parts in the drawn dialog: the line holding them all, and each
// part's cells on it. Parts it cannot find are left out (no answer there to click).
func findSpans(view string, parts []string, confirm []bool) []span {
	lines := strings.Split(view, "\n")
	for y := len(lines) - 1; y >= 0; y-- {
		plain := ansi.Strip(lines[y])
		var out []span
		at := 0
		for i, p := range parts {
			j := strings.Index(plain[at:], p)
			if j < 0 {
				out = nil
				break
			}
			x0 := ansi.StringWidth(plain[:at+j])
			out = append(out, span{y: y, x0: x0, x1: x0 + ansi.StringWidth(p), confirm: confirm[i]})
			at += j + len(p)
		}
		if out != nil {
			return out
		}
	}
	return nil
}

// Click answers with a left click on one of the answers the last View drew, as Answer does for
// a key; a click elsewhere does nothing.
func (d *Confirm) Click(msg tea.MouseClickMsg) (then func() tea.Cmd, closed bool) {
	if d == nil {
		return nil, true
	}
	if msg.Button != tea.MouseLeft {
		return nil, false
	}
	for _, s := range d.answers {
		if msg.Y == s.y && msg.X >= s.x0 && msg.X < s.x1 {
			if s.confirm {
				return d.OnConfirm, true
			}
			return d.OnCancel, true
		}
	}
	return nil, false
}

// Discard asks before esc throws away what a form holds: y runs discard, n runs back (to the
// form as it is). changed names the fields typed into, when the form knows them.
func Discard(changed []string, discard, back func() tea.Cmd) *Confirm {
	d := &Confirm{
		Title: "Discard what you typed?", Action: "discard", Destructive: true,
		Note:      "Nothing has been sent to Webex. n goes back to the form as it is.",
		OnConfirm: discard, OnCancel: back,
	}
	if len(changed) > 0 {
		d.Rows = [][2]string{{"changed", strings.Join(changed, ", ")}}
	}
	return d
}
