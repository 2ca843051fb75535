package tui

import tea "charm.land/bubbletea/v2"

// click reads a left click (with --mouse) by where the last View drew things: a tab switches
// screens; in the body the active screen gets the click with Y counted from the body's first
// line (its list rows, its dialog's answers).
func (m *Model) click(msg tea.MouseClickMsg) tea.Cmd {
	if msg.Button != tea.MouseLeft || !m.ready || m.tooSmall() || m.cmdline != nil {
		return nil
	}
	if msg.Y == 0 {
		if m.screens[m.active].Capturing() {
			return nil // a form, filter or dialog keeps the focus, as it does for 1-5
		}
		for i, sp := range m.tabSpans {
			if msg.X >= sp[0] && msg.X < sp[1] {
				return m.switchTo(i)
			}
		}
		return nil
	}
	if msg.Y < m.bodyTop {
		return nil
	}
	msg.Y -= m.bodyTop
	return m.updateActive(msg)
}
