package cli

import (
	"runtime/debug"
	"testing"
)

// gcPercent reads the GC target (SetGCPercent is the only reader) and leaves it as it was.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// The streaming list lowers the GC target only when it is the whole process and GOGC is the
// user's to set; it puts the target back when done.
func TestStreamGCOnlyForTheProcess(t *testing.T) {
	before := gcPercent()
	t.Cleanup(func() { debug.SetGCPercent(before) })
	noEnv := func(string) string { return "" }
	for name, a := range map[string]*app{
		"in-process (Run)": {getenv: noEnv},
		"GOGC set":         {getenv: func(k string) string { return map[string]string{"GOGC": "200"}[k] }, process: true},
	} {
		restore := a.streamGC()
		if got := gcPercent(); got != before {
			t.Errorf("%s: GC target %d during the list, want it left at %d", name, got, before)
		}
		restore()
	}
	restore := (&app{getenv: noEnv, process: true}).streamGC()
	if got := gcPercent(); got != streamGCPercent {
		t.Errorf("the process: GC target %d during the list, want %d", got, streamGCPercent)
	}
	restore()
	if got := gcPercent(); got != before {
		t.Errorf("GC target %d after the list, want %d back", got, before)
	}
}
