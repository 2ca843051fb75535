package tui

import (
	"fmt"
	"runtime"
	"slices"
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
		// The first key after a load takes the rows' text, which the load makes on a goroutine
		// beside the first frame, or waits for it: timed on its own (first-ms), since a
		// person's first key comes later than this one. The loop times the keys after it.
		t0 := time.Now()
		for _, k := range keys {
			d.m.Update(k)
			_ = d.m.View()
		}
		first := time.Since(t0)
		b.ReportAllocs()
		b.ResetTimer()
		i := 0
		for b.Loop() {
			d.m.Update(keys[i%2])
			i++
			_ = d.m.View()
		}
		b.ReportMetric(float64(first.Microseconds())/1000, "first-ms")
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

// BenchmarkScaleHeap is the heap the model holds with the list loaded: what two collections
// leave, before the model exists and with it loaded (the fixture server's share is in both,
// and taken off), the median over the iterations. One collection was not enough: it keeps
// sync.Pool's victim cache and what waits on a finalizer, the load's garbage that the next
// cycle frees (at 10k, 16 of the 34 MB measured); how much of it a single GC had already moved
// on varied from run to run, so 1k read 2.2 MB in one run and 4.4 MB in the next, and the
// growth from 1k to 10k said nothing about the model.
func BenchmarkScaleHeap(b *testing.B) {
	eachSize(b, func(b *testing.B, n int) {
		srv := fixture.NewServer()
		defer srv.Close()
		srv.SetSpecs(fixture.ManySpecs(n))
		sess := fixture.ServerSession(b, srv.URL+"/v1", false)
		settled := func() uint64 {
			var m runtime.MemStats
			runtime.GC()
			runtime.GC()
			runtime.ReadMemStats(&m)
			return m.HeapInuse
		}
		var heaps []float64
		for b.Loop() {
			before := settled()
			d := newDriver(b, Options{Session: sess, Demo: true}, 100, 30)
			_ = d.m.View()
			after := settled()
			if countRows(d) != n {
				b.Fatal("not loaded")
			}
			heaps = append(heaps, float64(int64(after)-int64(before))/(1<<20))
			runtime.KeepAlive(d)
		}
		slices.Sort(heaps)
		heap := heaps[(len(heaps)-1)/2]
		b.ReportMetric(heap, "heap-MB")
		b.ReportMetric(heap*(1<<20)/float64(n), "B/row")
	})
}
