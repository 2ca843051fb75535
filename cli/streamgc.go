package cli

import (
	"runtime/debug"
	"sync"
)

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

// uiGCPercent is the GC target while the terminal UI reads its first list, until that list's
// frame is on the screen (tui.Options.FirstShown).
//
// Why: a list of 10,000 data sources is read into a heap that grows from 2 MB to 25 MB, and at
// the default of 100 it was collected four or five times on the way (besides hugeheap's two),
// each time marking all that was read so far: 20–45 ms of the collector's CPU before the
// first frame on a busy machine (runtime/metrics), on the two cores that decode the list. At
// 400 it is once (8–20 ms). What is read is kept, so the collections saved would have freed
// little; peak RSS at the first frame did not move (55 MB at 10k, 137 MB at 50k).
const uiGCPercent = 400

// streamGC lowers the GC target for a streaming command (gcTarget).
func (a *app) streamGC() (restore func()) { return a.gcTarget(streamGCPercent) }

// gcTarget sets the GC target to percent for a command when the command is the whole process
// and the user set no GOGC of their own; the returned func puts it back (once: a later call
// does nothing). Run in a test or inside another program, it does nothing: the setting is
// process-wide.
func (a *app) gcTarget(percent int) (restore func()) {
	if !a.process || a.getenv("GOGC") != "" {
		return func() {}
	}
	prev := debug.SetGCPercent(percent)
	var once sync.Once
	return func() { once.Do(func() { debug.SetGCPercent(prev) }) }
}
