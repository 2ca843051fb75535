package common

import "charm.land/bubbles/v2/key"

// KeyMap is byova's one keymap: the global keys, the movement keys every list shares and the
// action keys screens use. The footer and the ? help are built from it, so a key and its help
// text are defined once.
type KeyMap struct {
	// Global.
	Quit, Help, NextScreen, PrevScreen, Screen1, Screen2, Screen3, Screen4, SwitchOrg key.Binding
	Command, Screen5                                                                  key.Binding // the : command line; activity
	Dismiss                                                                           key.Binding // esc: close the banner, go back, clear

	// Movement.
	Up, Down, Top, Bottom, PageUp, PageDown key.Binding

	// Actions.
	Filter, Open, New, Edit, Delete, Extend, Ensure, Reload, Copy, Sort key.Binding
	Mark, ExtendDue                                                     key.Binding // data sources' bulk extend

	// Dialogs.
	Confirm, Cancel, Regenerate key.Binding
}

// DefaultKeyMap is the CLI spec's key table.
func DefaultKeyMap() *KeyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return &KeyMap{
		Quit:       b([]string{"q", "ctrl+c"}, "q", "quit"),
		Help:       b([]string{"?"}, "?", "help"),
		NextScreen: b([]string{"tab"}, "tab", "next screen"),
		PrevScreen: b([]string{"shift+tab"}, "shift+tab", "previous screen"),
		Screen1:    b([]string{"1"}, "1", "data sources"),
		Screen2:    b([]string{"2"}, "2", "schemas"),
		Screen3:    b([]string{"3"}, "3", "webhooks"),
		Screen4:    b([]string{"4"}, "4", "auth & orgs"),
		Screen5:    b([]string{"5"}, "5", "activity"),
		SwitchOrg:  b([]string{"o"}, "o", "switch org / profile"),
		Command:    b([]string{":"}, ":", "command line"),
		Dismiss:    b([]string{"esc"}, "esc", "back / dismiss"),

		Up:       b([]string{"k", "up"}, "↑/k", "up"),
		Down:     b([]string{"j", "down"}, "↓/j", "down"),
		Top:      b([]string{"g", "home"}, "g", "top"),
		Bottom:   b([]string{"G", "end"}, "G", "bottom"),
		PageUp:   b([]string{"pgup", "ctrl+b"}, "pgup", "page up"),
		PageDown: b([]string{"pgdown", "ctrl+f"}, "pgdn", "page down"),

		Filter: b([]string{"/"}, "/", "filter"),
		Open:   b([]string{"enter"}, "enter", "details"),
		New:    b([]string{"n"}, "n", "new"),
		Edit:   b([]string{"e"}, "e", "edit"),
		Delete: b([]string{"d"}, "d", "delete"),
		Extend: b([]string{"x"}, "x", "extend token"),
		Ensure: b([]string{"E"}, "E", "ensure webhooks"),
		Reload: b([]string{"r"}, "r", "reload"),
		Copy:   b([]string{"y"}, "y", "copy ID"),
		Sort:   b([]string{"s"}, "s", "sort"),

		Mark:      b([]string{"space"}, "space", "mark"),
		ExtendDue: b([]string{"X"}, "X", "extend expiring"),

		Confirm:    b([]string{"y", "enter"}, "y/enter", "confirm"),
		Cancel:     b([]string{"n", "esc"}, "n/esc", "cancel"),
		Regenerate: b([]string{"ctrl+r"}, "ctrl+r", "new nonce"),
	}
}
