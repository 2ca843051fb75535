package common

import "time"

// RequestEndedMsg tells the screens that did not ask that another screen's request ended (a
// token it used may have been refreshed).
type RequestEndedMsg struct{ ID uint64 }

// ErrorMsg asks the root to show err in the error banner. Op says what failed ("loading data
// sources"), so the banner reads as a sentence.
type ErrorMsg struct {
	Op  string
	Err error
}

// NoticeMsg shows a short notice in the footer for a few seconds ("copied …").
type NoticeMsg struct {
	Text string
	// Shorter are the same message in fewer words, tried in turn when Text does not fit the
	// footer: shorter words first, never a cut sentence where one of them fits.
	Shorter []string
}

// TickMsg moves countdowns: every second, on the second, while a screen shows seconds (see
// SecondsNeeder), else once a minute, on the minute, so an idle screen stays quiet.
type TickMsg struct {
	Time time.Time
	Seq  uint64 // the root's tick chain; 0 for a tick sent by hand (tests)
}

// SwitchScreenMsg asks the root to show another screen (1-based, as on the keyboard).
type SwitchScreenMsg struct {
	Screen int
}

// OrgChangedMsg tells every screen that the org changed: drop what you show and reload.
type OrgChangedMsg struct {
	Org string
}

// TokenInfoMsg carries what is known about the active Service App token, for the header.
type TokenInfoMsg struct {
	Org    string
	Expiry time.Time // zero when unknown
	Err    error
}

// FrameDrawnMsg says the frame the model drew last is on the terminal by now: the root sends
// it to itself a frame or two after drawing one that must reach the terminal before the next
// (an empty frame in the normal screen before the full screen comes back). Test drivers, which
// have no renderer, send it before they read a frame.
type FrameDrawnMsg struct{}

// FrameDelay is a frame or two of the renderer: what the model drew is on the terminal after it.
const FrameDelay = 100 * time.Millisecond
