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
// Go's default of 100% it is collected at 4, 8 and 16 MB, each time marking all that was read
// so far: 6–7 collections and 20–45 ms of CPU before the first frame (measured with
// runtime/metrics), on the same two cores that decode the list. At 400% it is one. What is
// read is kept, so the collections it saves would have freed little.
func Roomy(percent int) (restore func()) {
	prev := debug.SetGCPercent(percent)
	if prev < 0 || prev >= percent {
		debug.SetGCPercent(prev)
		return func() {}
	}
	var once sync.Once
	return func() { once.Do(func() { debug.SetGCPercent(prev) }) }
}
