// Package listview is the part every list screen shares: its rows as a Table (order, filter,
// view), the cursor and the window of visible rows, the filter input, the list keys, the
// title line, and the words for when there is no row to show. Screens keep their own row
// type, columns and actions.
package listview
