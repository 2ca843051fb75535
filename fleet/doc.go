// Package fleet holds the rules about the data sources of every org that the CLI, the terminal
// UI and serve's keeper share: which are due, which lifetime they keep, how one is extended,
// how many run at once, the audit op names and how an error is worded. The front ends only
// choose, print and draw.
package fleet
