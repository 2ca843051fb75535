package dialog

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

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
