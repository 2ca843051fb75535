package tui

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	fixture "github.com/byova/byova/ui/uitest"
)

// The data sources screen at fleet sizes (issue 21): each path from 1k to 100k rows, so a
// cost that grows worse than linearly, or a keystroke over a frame's 16 ms, shows in make bench.
var scaleSizes = []int{1000, 10000, 100000}

func eachSize(b *testing.B, f func(b *testing.B, n int)) {
	// The fixture server signs a token for each of 100k rows per list: slow, and not byova's.
	old := fixture.Patience
	fixture.Patience = 2 * time.Minute
	b.Cleanup(func() { fixture.Patience = old })
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) { f(b, n) })
	}
}

// BenchmarkScaleFirstFrame is start to the first frame with every row, in-process: the model
// built, its loads run (the list fetched from the fixture server on loopback and decoded, the
// rows built and sorted) and the frame drawn.
func BenchmarkScaleFirstFrame(b *testing.B) {
	eachSize(b, func(b *testing.B, n int) {
		srv := fixture.NewServer()
		b.Cleanup(srv.Close)
		srv.SetSpecs(fixture.ManySpecs(n))
		sess := fixture.ServerSession(b, srv.URL+"/v1", false)
		b.ReportAllocs()
		for b.Loop() {
			d := newDriver(b, Options{Session: sess, Demo: true}, 100, 30)
			_ = d.m.View()
			if countRows(d) != n {
				b.Fatalf("loaded %d rows, want %d", countRows(d), n)
			}
		}
	})
}

// BenchmarkScaleFilterKeystroke is one key typed into the filter, with the frame after it.
func BenchmarkScaleFilterKeystroke(b *testing.B) {
	eachSize(b, func(b *testing.B, n int) {
		d := loadedDriver(b, n, 100, 30)
		d.press("/")
		keys := []tea.KeyPressMsg{fixture.Key("a"), fixture.Key("backspace")}
		b.ReportAllocs()
		b.ResetTimer()
		i := 0
		for b.Loop() {
			d.m.Update(keys[i%2])
			i++
			_ = d.m.View()
		}
	})
}

// BenchmarkScaleCursorStep is one cursor step in the middle of the list, with the frame.
func BenchmarkScaleCursorStep(b *testing.B) {
	eachSize(b, func(b *testing.B, n int) {
		d := loadedDriver(b, n, 100, 30)
		d.press("M") // the middle of the screen; then half the list down with page keys
		for range n / 2 / 25 {
			d.m.Update(fixture.Key("pgdown"))
		}
		down, up := fixture.Key("j"), fixture.Key("k")
		b.ReportAllocs()
		b.ResetTimer()
		i := 0
		for b.Loop() {
			k := down
			if i%2 == 1 {
				k = up
			}
			i++
			d.m.Update(k)
			_ = d.m.View()
		}
	})
}

// BenchmarkScaleSort is one press of the sort key (the next column), with the frame.
func BenchmarkScaleSort(b *testing.B) {
	eachSize(b, func(b *testing.B, n int) {
		d := loadedDriver(b, n, 100, 30)
		s := fixture.Key("s")
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			d.m.Update(s)
			_ = d.m.View()
		}
	})
}

// BenchmarkScaleHeap is the heap the model holds with the list loaded (after a GC; the
// fixture server's share measured before the model existed and taken off).
func BenchmarkScaleHeap(b *testing.B) {
	eachSize(b, func(b *testing.B, n int) {
		srv := fixture.NewServer()
		defer srv.Close()
		srv.SetSpecs(fixture.ManySpecs(n))
		sess := fixture.ServerSession(b, srv.URL+"/v1", false)
		var heap float64
		for b.Loop() {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			d := newDriver(b, Options{Session: sess, Demo: true}, 100, 30)
			_ = d.m.View()
			runtime.GC()
			runtime.ReadMemStats(&after)
			if countRows(d) != n {
				b.Fatal("not loaded")
			}
			heap = float64(int64(after.HeapInuse)-int64(before.HeapInuse)) / (1 << 20)
			runtime.KeepAlive(d)
		}
		b.ReportMetric(heap, "heap-MB")
		b.ReportMetric(heap*(1<<20)/float64(n), "B/row")
	})
}
