// Package styles holds byova's semantic styles: screens ask for "Error" or "StatusActive",
// never for a colour. One theme decides the colours; with NoColor there are none at all.
package styles

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Glyphs pair every coloured state with a symbol, so nothing relies on colour alone.
const (
	GlyphActive   = "✓"
	GlyphDisabled = "✗"
	GlyphExpired  = "✗"
	GlyphSoon     = "!"
	GlyphUnknown  = "?"
	GlyphCursor   = "▸"
	GlyphError    = "✗"
	GlyphNotice   = "•"
	GlyphOK       = "✓"
	Ellipsis      = "…"
)

// Theme is the palette the styles are built from. Colours are ANSI 16 where possible so they
// follow the person's terminal scheme, light or dark.
type Theme struct {
	Accent, Muted, Good, Bad, Warn, Info, SelectedFG, SelectedBG, BannerFG, BannerBG color.Color
}

// DefaultTheme is byova's palette.
func DefaultTheme() Theme {
	return Theme{
		Accent:     lipgloss.Color("6"),  // cyan
		Muted:      lipgloss.Color("8"),  // bright black
		Good:       lipgloss.Color("2"),  // green
		Bad:        lipgloss.Color("1"),  // red
		Warn:       lipgloss.Color("3"),  // yellow
		Info:       lipgloss.Color("4"),  // blue
		SelectedFG: lipgloss.Color("0"),  // black
		SelectedBG: lipgloss.Color("6"),  // cyan
		BannerFG:   lipgloss.Color("15"), // bright white
		BannerBG:   lipgloss.Color("1"),  // red
	}
}

// Styles are the semantic styles of the whole UI.
type Styles struct {
	NoColor bool
	theme   Theme // what the huh form theme is built from
	ASCII   bool  // draw only ASCII (see ASCIIWanted); the root passes every frame through Glyphs

	App        lipgloss.Style // the brand in the header
	Demo       lipgloss.Style // the DEMO badge
	ReadOnly   lipgloss.Style // the READ-ONLY badge
	Tab        lipgloss.Style
	TabActive  lipgloss.Style
	HeaderInfo lipgloss.Style // profile · org · token
	Title      lipgloss.Style // a screen's title line
	Muted      lipgloss.Style
	Bold       lipgloss.Style
	Key        lipgloss.Style // a key in hints and help
	KeyDesc    lipgloss.Style
	Separator  lipgloss.Style

	TableHeader lipgloss.Style
	Selected    lipgloss.Style // the cursor row

	StatusActive   lipgloss.Style
	StatusDisabled lipgloss.Style
	ExpiryOK       lipgloss.Style
	ExpirySoon     lipgloss.Style
	ExpiryExpired  lipgloss.Style
	ExpiryUnknown  lipgloss.Style

	Error       lipgloss.Style // inline error text
	Banner      lipgloss.Style // the error banner
	Notice      lipgloss.Style // transient "copied" notices
	Spinner     lipgloss.Style
	FilterLabel lipgloss.Style
	FieldName   lipgloss.Style // detail labels
	Dialog      lipgloss.Style // confirmations
	Empty       lipgloss.Style // empty and failure states
}

// New builds the styles from the default theme; noColor drops every colour and keeps only
// attributes (bold, reverse), which read well on any terminal.
func New(noColor bool) *Styles { return FromTheme(DefaultTheme(), noColor) }

// FromTheme builds the styles from a theme.
func FromTheme(t Theme, noColor bool) *Styles {
	fg := func(s lipgloss.Style, c color.Color) lipgloss.Style {
		if noColor {
			return s
		}
		return s.Foreground(c)
	}
	bg := func(s lipgloss.Style, c color.Color) lipgloss.Style {
		if noColor {
			return s
		}
		return s.Background(c)
	}
	n := lipgloss.NewStyle
	s := &Styles{NoColor: noColor, theme: t}
	s.App = fg(n().Bold(true), t.Accent)
	s.Demo = bg(fg(n().Bold(true).Reverse(noColor), t.SelectedFG), t.Warn).Padding(0, 1)
	s.ReadOnly = bg(fg(n().Bold(true).Reverse(noColor), t.SelectedFG), t.Info).Padding(0, 1)
	s.Tab = fg(n(), t.Muted)
	s.TabActive = fg(n().Bold(true), t.Accent)
	s.HeaderInfo = fg(n(), t.Muted)
	s.Title = fg(n().Bold(true), t.Accent)
	s.Muted = fg(n(), t.Muted)
	s.Bold = n().Bold(true)
	s.Key = fg(n().Bold(true), t.Accent)
	s.KeyDesc = fg(n(), t.Muted)
	s.Separator = fg(n(), t.Muted)
	s.TableHeader = fg(n().Bold(true), t.Muted)
	if noColor {
		s.Selected = n().Reverse(true)
	} else {
		s.Selected = n().Foreground(t.SelectedFG).Background(t.SelectedBG)
	}
	s.StatusActive = fg(n(), t.Good)
	s.StatusDisabled = fg(n().Bold(true), t.Bad)
	s.ExpiryOK = n()
	s.ExpirySoon = fg(n().Bold(true), t.Warn)
	s.ExpiryExpired = fg(n().Bold(true), t.Bad)
	s.ExpiryUnknown = fg(n(), t.Muted)
	s.Error = fg(n().Bold(true), t.Bad)
	if noColor {
		s.Banner = n().Bold(true).Reverse(true)
	} else {
		s.Banner = n().Foreground(t.BannerFG).Background(t.BannerBG)
	}
	s.Notice = fg(n(), t.Good)
	s.Spinner = fg(n(), t.Accent)
	s.FilterLabel = fg(n().Bold(true), t.Accent)
	s.FieldName = fg(n().Bold(true), t.Muted)
	s.Dialog = fg(n().Border(lipgloss.RoundedBorder()).Padding(0, 1), t.Accent)
	if !noColor {
		s.Dialog = s.Dialog.BorderForeground(t.Warn).UnsetForeground()
	}
	s.Empty = n()
	return s
}
