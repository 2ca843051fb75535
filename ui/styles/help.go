package styles

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
)

// Help is the style set for bubbles' help views (footer hints, the ? screen).
func (s *Styles) Help() help.Styles {
	if s.NoColor {
		return helpNoColor()
	}
	return help.Styles{
		Ellipsis:       s.Muted,
		ShortKey:       s.Key,
		ShortDesc:      s.KeyDesc,
		ShortSeparator: s.Separator,
		FullKey:        s.Key,
		FullDesc:       s.KeyDesc,
		FullSeparator:  s.Separator,
	}
}

func helpNoColor() help.Styles {
	n := lipgloss.NewStyle()
	return help.Styles{
		Ellipsis: n, ShortKey: n.Bold(true), ShortDesc: n, ShortSeparator: n,
		FullKey: n.Bold(true), FullDesc: n, FullSeparator: n,
	}
}

// TextInput is the style set for one-line inputs (the list filter, the help filter). The
// cursor does not blink: a blinking cursor re-renders the screen twice a second over SSH.
func (s *Styles) TextInput() textinput.Styles {
	st := textinput.DefaultDarkStyles()
	if s.NoColor {
		n := lipgloss.NewStyle()
		st.Focused = textinput.StyleState{Text: n, Placeholder: n.Faint(true), Suggestion: n.Faint(true), Prompt: n.Bold(true)}
		st.Blurred = st.Focused
		st.Cursor.Color = nil
	} else {
		st.Focused.Prompt = s.FilterLabel
		st.Blurred.Prompt = s.FilterLabel
	}
	st.Cursor.Blink = false
	return st
}
