package common

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Screen is one of the numbered screens (data sources, schemas, webhooks, auth & orgs). Screens
// are plain structs: only the root returns a tea.View.
//
// The root sends every key to the active screen (after its own global keys, unless the screen
// is Capturing), and every other message to all screens, so a result arriving after the user
// moved to another screen still reaches the screen that asked for it.
type Screen interface {
	Init() tea.Cmd
	Update(tea.Msg) (Screen, tea.Cmd)
	// View renders the body: at most the width and height given to SetSize.
	View() string
	SetSize(width, height int)
	// KeyMap lists the screen's keys as they apply now, for the footer and the ? help.
	KeyMap() []key.Binding
	Title() string
	// Capturing reports that a filter, form or dialog is taking keys: the root then keeps its
	// global keys (q, 1-4, tab, ?, esc, y) to itself only for ctrl+c.
	Capturing() bool
}

// SecondsNeeder is a screen whose view changes each second at times: a countdown under
// format.SecondsBelow, a sign-in waiting, a reload due. The root ticks each second while any
// screen needs it, else once a minute.
type SecondsNeeder interface {
	NeedsSeconds(now time.Time) bool
}
