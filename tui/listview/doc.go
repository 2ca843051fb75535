// Package listview is the part every list screen shares: the cursor, the window of visible
// rows, the filter input and the title line. Screens keep their own rows, columns and keys.
package listview
