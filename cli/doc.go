// Package cli holds byova's commands: the non-interactive ones scripts rely on (list, get,
// create, extend, …, with --json and fixed exit codes) and the entry to the terminal UI.
package cli
