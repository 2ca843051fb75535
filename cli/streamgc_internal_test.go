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

// The UI raises the GC target for its first list until the model hands back the restore
// (once: a second call does not undo a later change); a GOGC of the user's own, higher or
// off, is left alone.
func TestUIGCTargetUntilRestored(t *testing.T) {
	before := gcPercent()
	t.Cleanup(func() { debug.SetGCPercent(before) })
	debug.SetGCPercent(100)
	restore := (&app{getenv: func(string) string { return "" }, process: true}).gcTarget(uiGCPercent)
	if got := gcPercent(); got != uiGCPercent {
		t.Fatalf("GC target %d while the first list is read, want %d", got, uiGCPercent)
	}
	restore()
	if got := gcPercent(); got != 100 {
		t.Fatalf("GC target %d after restore, want the 100 that was there", got)
	}
	debug.SetGCPercent(250) // changed since by someone else
	restore()
	if got := gcPercent(); got != 250 {
		t.Errorf("a second restore set the GC target to %d, want the 250 set after the first", got)
	}
	for _, env := range []string{"800", "off"} {
		debug.SetGCPercent(100)
		a := &app{getenv: func(k string) string { return map[string]string{"GOGC": env}[k] }, process: true}
		restore := a.gcTarget(uiGCPercent)
		if got := gcPercent(); got != 100 {
			t.Errorf("GOGC=%s: GC target %d, want it left alone", env, got)
		}
		restore()
	}
}
