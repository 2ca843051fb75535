// Package detailview is the scrollable pane a screen shows one item in: a title line with the
// scroll position, labelled fields wrapped to the width, and the keys that scroll it.
package detailview
