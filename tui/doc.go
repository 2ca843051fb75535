// Package tui is byova's terminal UI: the root Bubble Tea model that routes keys and results to
// the screens (screens/…), and draws the header, the error banner and the key hints around them.
//
// Screens implement common.Screen and share one *common.Common (size, styles, keys, session,
// clock). Work that leaves the process runs in tea.Cmds whose typed results carry a request id;
// a screen drops answers to requests it no longer cares about.
package tui
