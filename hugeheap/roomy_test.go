package hugeheap

import (
	"runtime/debug"
	"testing"
)

// Roomy raises the collector's setting until restore, and restore puts back what was there
// (once: a second call does not undo a later change).
func TestRoomyRaisesUntilRestored(t *testing.T) {
	orig := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(orig) })

	restore := Roomy(400)
	if got := debug.SetGCPercent(400); got != 400 {
		t.Fatalf("GOGC is %d while roomy, want 400", got)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GOGC is %d after restore, want the 100 that was there", got)
	}
	debug.SetGCPercent(250) // changed since by someone else
	restore()
	if got := debug.SetGCPercent(100); got != 250 {
		t.Errorf("a second restore set GOGC to %d, want the 250 set after the first", got)
	}
}

// A setting already higher, and GOGC=off, are the person's choice: Roomy leaves them.
func TestRoomyLeavesHigherAndOff(t *testing.T) {
	orig := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(orig) })
	for _, was := range []int{800, -1} {
		debug.SetGCPercent(was)
		restore := Roomy(400)
		if got := debug.SetGCPercent(was); got != was {
			t.Errorf("GOGC %d became %d", was, got)
		}
		restore()
		if got := debug.SetGCPercent(was); got != was {
			t.Errorf("restore changed GOGC %d to %d", was, got)
		}
	}
}
