package styles

import (
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
)

// Form is the huh theme matching these styles. Without colour, the focused button is drawn
// in reverse video so "Yes" and "No" stay distinguishable. huh asks for the theme on every
// draw, so each form's theme builds its styles once per background (dark or light) and keeps
// them; a form is drawn on the UI's goroutine only.
func (s *Styles) Form() huh.Theme {
	var built [2]*huh.Styles
	return huh.ThemeFunc(func(isDark bool) *huh.Styles {
		i := 0
		if isDark {
			i = 1
		}
		if built[i] == nil {
			built[i] = s.formStyles(isDark)
		}
		return built[i]
	})
}

func (s *Styles) formStyles(isDark bool) *huh.Styles {
	if s.NoColor {
		t := huh.ThemeBase(isDark)
		plain := lipgloss.NewStyle()
		t.Focused.Title = plain.Bold(true)
		t.Focused.NoteTitle = plain.Bold(true)
		t.Focused.Description = plain
		t.Focused.FocusedButton = plain.Padding(0, 2).MarginRight(1).Bold(true).Reverse(true)
		t.Focused.BlurredButton = plain.Padding(0, 2).MarginRight(1)
		t.Focused.TextInput.Placeholder = plain.Faint(true)
		t.Focused.ErrorIndicator = plain.Bold(true).SetString(" ✗")
		t.Focused.ErrorMessage = plain.Bold(true).SetString(" ✗")
		t.Focused.Next = t.Focused.FocusedButton
		t.Blurred = t.Focused
		t.Blurred.Base = t.Focused.Base.BorderStyle(lipgloss.HiddenBorder())
		t.Blurred.Card = t.Blurred.Base
		t.Blurred.Title = plain
		t.Blurred.FocusedButton = t.Focused.BlurredButton
		t.Blurred.MultiSelectSelector = plain.SetString("  ")
		t.Blurred.NextIndicator = plain
		t.Blurred.PrevIndicator = plain
		t.Group.Title = t.Focused.Title
		t.Group.Description = plain
		t.Help = helpNoColor()
		return t
	}
	t := huh.ThemeCharm(isDark)
	t.Focused.ErrorIndicator = t.Focused.ErrorIndicator.SetString(" ✗")
	t.Focused.ErrorMessage = t.Focused.ErrorMessage.SetString(" ✗")
	t.Blurred.ErrorIndicator = t.Focused.ErrorIndicator
	t.Blurred.ErrorMessage = t.Focused.ErrorMessage
	return t
}
