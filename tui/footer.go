package tui

import (
	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/tui/format"
	"github.com/byova/byova/tui/styles"
)

// footer is one line: a notice while one is showing, else the key hints of what is on screen.
func (m *Model) footer() string {
	st, w := m.c.Styles, m.c.Width
	if m.notice != "" {
		return format.Cut(st.Notice.Render(styles.GlyphNotice+" "+m.notice), w)
	}
	k := m.c.Keys
	var hints []key.Binding
	switch {
	case m.helpView != nil:
		hints = []key.Binding{
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close help")),
			key.NewBinding(key.WithKeys("type"), key.WithHelp("type", "to filter")),
		}
	default:
		hints = append(hints, m.screens[m.active].KeyMap()...)
		if m.banner != nil && !m.screens[m.active].Capturing() {
			hints = append([]key.Binding{
				key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "dismiss error")),
				key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy error")),
			}, hints...)
		}
		if !m.screens[m.active].Capturing() {
			// ? and q always show: the screen's hints get what is left.
			tail := m.help.ShortHelpView([]key.Binding{k.Help, k.Quit})
			h := m.help
			h.SetWidth(w - ansi.StringWidth(tail) - 3)
			return format.Cut(h.ShortHelpView(hints)+m.help.Styles.ShortSeparator.Render(m.help.ShortSeparator)+tail, w)
		}
	}
	return format.Cut(m.help.ShortHelpView(hints), w)
}
