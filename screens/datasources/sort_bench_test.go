package datasources

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/byova/byova/api"
	fixture "github.com/byova/byova/ui/uitest"
)

// fleetItems are n data sources shaped as uitest.ManySpecs makes them (six audiences, four
// subjects, three schemas, a URL each, one in 17 disabled), without tokens: the sort reads
// the rows, not the wire.
func fleetItems(n int) []api.DataSource {
	auds := []string{"BYOVAGateway", "MedDocVirtualAgent", "AcmeVoiceBot", "ClaimsAssistant", "RetailVA", "BankingVA"}
	subs := []string{"callAudioData", "mediaForking", "transcripts", "conversationEvents"}
	out := make([]api.DataSource, n)
	for i := range out {
		out[i] = api.DataSource{
			ID: fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i), SchemaID: []string{fixture.SchemaVVA, fixture.SchemaWeb, fixture.SchemaWS}[i%3],
			URL: fmt.Sprintf("https://bulk.va.example.com/tenant-%05d/grpc", i), Audience: auds[i%len(auds)],
			Subject: subs[i%len(subs)], Status: "active",
		}
		if i%17 == 0 {
			out[i].Status = "disabled"
		}
	}
	return out
}

// BenchmarkSortCold is one press of s at 1k/10k/100k rows when the key's order has not been
// made yet (the worst keystroke: after a load, each key's first press), for each key. A
// second press of a key reuses its order. cpu-ms is the benchmark thread's own CPU time,
// steadier than wall time on a loaded machine.
func BenchmarkSortCold(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		var tbl table
		tbl.set(refs(fleetItems(n)), map[string]api.Schema{})
		for i := range tbl.Rows {
			tbl.Rows[i].expiry = int64(i%1440-60) * 60
		}
		for k := range numSortKeys {
			b.Run(fmt.Sprintf("%dk/%s", n/1000, k.Short()), func(b *testing.B) {
				base := tbl.order(sortExpiry)
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				c0 := threadCPU()
				for b.Loop() {
					tbl.orders = [numSortKeys][]int{}
					if k != sortExpiry {
						tbl.orders[sortExpiry] = base // made with the rows at load
					}
					tbl.sortBy = k
					tbl.resort()
				}
				b.ReportMetric(float64((threadCPU()-c0).Microseconds())/1000/float64(b.N), "cpu-ms")
			})
		}
	}
}

// threadCPU is the calling OS thread's CPU time (lock the goroutine to its thread first).
func threadCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSortKeystroke is the screen's whole answer to s at 100k rows, each press a key
// whose order has not been made (the cache emptied first): the sort, the filter's view, the
// cursor kept on its row, and the frame.
func BenchmarkSortKeystroke(b *testing.B) {
	s := newScreen(b, 120, 40)
	items := fleetItems(100000)
	loaded(s, items)
	for range 50000 / 30 { // the cursor half-way down
		s.Update(fixture.Key("pgdown"))
	}
	press := fixture.Key("s")
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	c0 := threadCPU()
	for b.Loop() {
		base := s.tbl.orders[sortExpiry]
		s.tbl.orders = [numSortKeys][]int{}
		s.tbl.orders[sortExpiry] = base
		s.Update(press)
		_ = s.View()
	}
	b.ReportMetric(float64((threadCPU()-c0).Microseconds())/1000/float64(b.N), "cpu-ms")
}
