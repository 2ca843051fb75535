// Package safetext makes text from Webex (or anything between it and us) safe to show in a
// terminal: controls, escape sequences and bidi overrides become visible, never act.
package safetext
