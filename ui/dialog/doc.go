// Package dialog is the framed box a screen asks before a write in: label/value rows, a note,
// and y (or enter) to go ahead, n or esc to go back.
package dialog
