package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
)

// unpagedBody is the fake's n data sources as the one unpaged body Webex documents.
func unpagedBody(b *testing.B, n int) []byte {
	s := startFake(b, webexfake.Options{Seed: 1, ExtraDataSources: n})
	c, _ := orgClient(b, s)
	items, err := c.ListDataSources(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	body, err := json.Marshal(map[string]any{"items": items})
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkListDataSources10k is the client's own cost of a 10,000-item list served from
// memory (no fake rendering in the way), against a bare fetch of the same body, and what
// holding the decoded list costs, as the TUI does: retained-MB is the heap the []DataSource
// keeps after a GC, peak-MB the most heap in use while it was being built (the body is
// streamed, so it is never held whole beside the decoded copies). list-ms is ListDataSources
// of the same body, the slice the UI and the keeper take.
func BenchmarkListDataSources10k(b *testing.B) {
	body := unpagedBody(b, 10000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
	defer srv.Close()
	c, _ := api.New(api.Options{BaseURL: srv.URL})
	ctx := context.Background()
	var bare, walk, list time.Duration
	var retained, peak int64
	var ms runtime.MemStats
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := time.Now()
		res, err := http.Get(srv.URL + "/dataSources")
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		bare += time.Since(t)

		runtime.GC()
		runtime.ReadMemStats(&ms)
		before := int64(ms.HeapInuse)
		t = time.Now()
		n := 0
		var items []api.DataSource
		err = c.EachDataSource(ctx, func(d *api.DataSource) error {
			items = append(items, *d)
			if n++; n%500 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, int64(ms.HeapInuse)-before)
			}
			return nil
		})
		walk += time.Since(t)
		if err != nil || len(items) != 10000+8 {
			b.Fatalf("%d items, %v", len(items), err)
		}
		runtime.GC()
		runtime.ReadMemStats(&ms)
		retained = max(retained, int64(ms.HeapInuse)-before)
		runtime.KeepAlive(items)

		t = time.Now()
		items, err = c.ListDataSources(ctx)
		list += time.Since(t)
		if err != nil || len(items) != 10000+8 {
			b.Fatalf("%d items, %v", len(items), err)
		}
	}
	b.ReportMetric(float64(bare.Milliseconds())/float64(b.N), "bare-ms")
	b.ReportMetric(float64(walk.Milliseconds())/float64(b.N), "walk-ms")
	b.ReportMetric(float64(walk)/float64(bare), "ratio")
	b.ReportMetric(float64(list.Milliseconds())/float64(b.N), "list-ms")
	b.ReportMetric(float64(retained)/(1<<20), "retained-MB")
	b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
}
