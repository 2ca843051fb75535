package hugeheap

import (
	"runtime/debug"
	"sync"
)

// Roomy lets the heap grow to percent% over what is live before a collection runs (GOGC's
// setting), until the function it returns is called; calling that again does nothing. A
// setting already as high, or collection switched off (GOGC=off), is left as it is.
//
// Why: a list of 10,000 data sources is read into a heap that grows from 2 MB to 25 MB, and at
// Go's default of 100% it was collected four or five times on the way (besides Prepare's two),
// each time marking all that was read so far: 20–45 ms of the collector's CPU before the
// first frame on a busy machine (runtime/metrics), on the two cores that decode the list. At
// 400% it is once (8–20 ms). What is read is kept, so the collections saved would have freed
// little.
func Roomy(percent int) (restore func()) {
	prev := debug.SetGCPercent(percent)
	if prev < 0 || prev >= percent {
		debug.SetGCPercent(prev)
		return func() {}
	}
	var once sync.Once
	return func() { once.Do(func() { debug.SetGCPercent(prev) }) }
}
