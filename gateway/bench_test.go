package gateway_test

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/byova/byova/gateway"
	"github.com/byova/byova/gateway/gatewayfake"
)

// BenchmarkPacing measures how late each 20 ms chunk is sent against the clock (goal: p99
// under 5 ms on a loaded machine). One op is a second of audio: 50 chunks.
func BenchmarkPacing(b *testing.B) {
	lates := make([]time.Duration, 0, 1024)
	for b.Loop() {
		var err error
		lates, err = gateway.Pace(context.Background(), 50, gateway.ChunkInterval, func(int) (bool, error) { return false, nil }, lates)
		if err != nil {
			b.Fatal(err)
		}
	}
	slices.Sort(lates)
	b.ReportMetric(float64(lates[len(lates)/2].Microseconds())/1000, "ms-late-median")
	b.ReportMetric(float64(lates[len(lates)*99/100].Microseconds())/1000, "ms-late-p99")
}

// peakHeap samples the live heap while f runs and returns the highest value seen, in MiB.
func peakHeap(f func()) float64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	})
	f()
	close(stop)
	wg.Wait()
	return float64(peak.Load()) / (1 << 20)
}

// BenchmarkProbe1000 probes 1,000 data sources against one fake agent, 8 at a time. One op is
// all 1,000; it reports the wall time per source and the peak heap.
func BenchmarkProbe1000(b *testing.B) {
	is := newIssuer(b)
	s := startFake(b, is, gatewayfake.Options{})
	tok := is.token(b, s.URL(), nil)
	reqs := make([]gateway.ProbeRequest, 1000)
	for i := range reqs {
		reqs[i] = gateway.ProbeRequest{ID: "ds", URL: s.URL(), Token: tok, OrgID: "org-1", Keys: is.keys}
	}
	var peak float64
	for b.Loop() {
		peak = max(peak, peakHeap(func() {
			for _, p := range gateway.RunAll(context.Background(), reqs, opts(s), 8, nil) {
				if !p.OK {
					b.Fatalf("%+v", p.Steps)
				}
			}
		}))
	}
	b.ReportMetric(peak, "MiB-peak-heap")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms-per-1000")
}

// BenchmarkCall10Turns is one 10-turn call (short turns: the fake's utterance is 40 ms);
// -benchmem gives its allocations and the metric its peak heap.
func BenchmarkCall10Turns(b *testing.B) {
	is := newIssuer(b)
	s := startFake(b, is, gatewayfake.Options{Utterance: 40 * time.Millisecond})
	cc := dialFake(b, s)
	req := gateway.CallRequest{URL: s.URL(), Token: is.token(b, s.URL(), nil), OrgID: "org-1", Turns: 10, Audio: tone(200 * time.Millisecond)}
	var peak float64
	for b.Loop() {
		peak = max(peak, peakHeap(func() {
			if r := gateway.PlaceCall(context.Background(), cc, req, opts(s)); !r.OK {
				b.Fatal(r.Failure)
			}
		}))
	}
	b.ReportMetric(peak, "MiB-peak-heap")
}
