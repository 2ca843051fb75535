// Package fleet is the data sources of every org: the rules the CLI, the UI and the keeper share
// (which are due, the lifetime kept, extend, the pool, audit op names, how an error is worded).
package fleet
