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
	// The app's own palette (ANSI 16 where it can), not huh's purple and pink truecolor.
	p := s.theme
	n := lipgloss.NewStyle
	t := huh.ThemeBase(isDark)
	t.Focused.Base = t.Focused.Base.BorderForeground(p.Accent)
	t.Focused.Card = t.Focused.Base
	t.Focused.Title = n().Bold(true).Foreground(p.Accent)
	t.Focused.NoteTitle = t.Focused.Title
	t.Focused.Directory = n().Foreground(p.Accent)
	t.Focused.Description = n().Foreground(p.Muted)
	t.Focused.ErrorIndicator = n().Bold(true).Foreground(p.Bad).SetString(" ✗")
	t.Focused.ErrorMessage = n().Bold(true).Foreground(p.Bad).SetString(" ✗")
	t.Focused.SelectSelector = n().Foreground(p.Accent).SetString("> ")
	t.Focused.NextIndicator = n().Foreground(p.Accent).MarginLeft(1).SetString("→")
	t.Focused.PrevIndicator = n().Foreground(p.Accent).MarginRight(1).SetString("←")
	t.Focused.Option = n()
	t.Focused.MultiSelectSelector = t.Focused.SelectSelector
	t.Focused.SelectedOption = n().Foreground(p.Good)
	t.Focused.SelectedPrefix = n().Foreground(p.Good).SetString("✓ ")
	t.Focused.UnselectedOption = n()
	t.Focused.UnselectedPrefix = n().Foreground(p.Muted).SetString("• ")
	t.Focused.FocusedButton = n().Padding(0, 2).MarginRight(1).Bold(true).Foreground(p.SelectedFG).Background(p.Accent)
	t.Focused.BlurredButton = n().Padding(0, 2).MarginRight(1).Foreground(p.Muted)
	t.Focused.Next = t.Focused.FocusedButton
	t.Focused.TextInput.Cursor = n().Foreground(p.Accent)
	t.Focused.TextInput.Placeholder = n().Foreground(p.Muted)
	t.Focused.TextInput.Prompt = n().Foreground(p.Accent)

	t.Blurred = t.Focused
	t.Blurred.Base = t.Focused.Base.BorderStyle(lipgloss.HiddenBorder())
	t.Blurred.Card = t.Blurred.Base
	t.Blurred.Title = n().Foreground(p.Muted)
	t.Blurred.NoteTitle = t.Blurred.Title
	t.Blurred.TextInput.Prompt = n().Foreground(p.Muted)
	t.Blurred.FocusedButton = t.Focused.BlurredButton
	t.Blurred.NextIndicator = n()
	t.Blurred.PrevIndicator = n()

	t.Group.Title = t.Focused.Title
	t.Group.Description = t.Focused.Description
	t.Help = s.Help()
	return t
}
