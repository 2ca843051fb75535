package cli

import "runtime/debug"

// streamGCPercent is the GC target while a list streams through the process.
//
// Why: a streamed list keeps little alive (about 1.5 MB: the batches in flight and what
// package init left), yet at the default GOGC=100 the heap grows to the 4 MB minimum goal
// before each collection, and those pages stay resident: about a sixth of `ds list --json`'s
// peak RSS (issue 21: under 30 MB at 100k data sources, aim 27). At 50 the goal is about
// 2 MB: 1 MB less peak RSS at 10k and 100k (static build, alternated runs: 27.7 -> 26.5 MB
// at 100k), for some 30 more collections of that small heap, about 8% more CPU (the
// list's own garbage was cut by two thirds first, which more than pays for it). It is for
// this streaming command only: the UI and serve keep what they load, and a lower target
// would make them collect far more often for nothing.
const streamGCPercent = 50

// streamGC lowers the GC target for a streaming command when the command is the whole
// process and the user set no GOGC of their own; the returned func puts it back. Run in a
// test or inside another program, it does nothing: the setting is process-wide.
func (a *app) streamGC() (restore func()) {
	if !a.process || a.getenv("GOGC") != "" {
		return func() {}
	}
	prev := debug.SetGCPercent(streamGCPercent)
	return func() { debug.SetGCPercent(prev) }
}
