package metrics_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/metrics"
)

// fleetSources is n data sources dealt over orgs orgs, as the keeper hands them over: each
// with a UUID-sized id, an audience, a status and an expiry over the next day.
func fleetSources(b *testing.B, n, orgs int) map[string][]api.DataSource {
	b.Helper()
	now := time.Now()
	out := map[string][]api.DataSource{}
	for i := range n {
		org := fmt.Sprintf("7c1a9e3b-2f4d-4e8a-9b6c-%012d", i%orgs)
		raw, _ := json.Marshal(map[string]any{
			"id":              fmt.Sprintf("5d0e7f21-8c3b-4a9d-b1e2-%012d", i),
			"audience":        []string{"BYOVAGateway", "BankingVA", "RetailVA", "TravelDeskVA"}[i%4],
			"status":          "active",
			"tokenExpiryTime": now.Add(time.Duration(i%1440) * time.Minute).UTC().Format(api.TokenExpiryLayout),
		})
		var d api.DataSource
		if err := json.Unmarshal(raw, &d); err != nil {
			b.Fatal(err)
		}
		out[org] = append(out[org], d)
	}
	return out
}

// BenchmarkScrapeFleet is one /metrics scrape (issue 21 §2) with 1k, 10k and 100k data
// sources over 500 orgs, in the text format: "true", a series per source (serve.metrics.
// per_source = true); "auto", the default, the same up to 10,000 sources and per-org summaries
// with the 500 soonest beyond. Reported: the bytes of one scrape and the time to the last byte.
func BenchmarkScrapeFleet(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		for _, mode := range []string{config.PerSourceOn, config.PerSourceAuto} {
			b.Run(fmt.Sprintf("%dk/%s", n/1000, mode), func(b *testing.B) {
				m := metrics.New()
				m.PerSource(mode)
				for org, items := range fleetSources(b, n, 500) {
					m.DataSources(org, items)
				}
				h := m.Handler()
				size := 0
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					w := httptest.NewRecorder()
					h.ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
					size = w.Body.Len()
					_, _ = io.Copy(io.Discard, w.Body)
				}
				b.StopTimer()
				if size < min(n, metrics.SoonestSeries)*50 {
					b.Fatalf("scrape of %d bytes for %d sources: series missing", size, n)
				}
				b.ReportMetric(float64(size)/(1<<20), "scrape-MB")
			})
		}
	}
}

// BenchmarkObserveFleet is the keeper handing one round's lists to the metrics: 500 orgs'
// DataSources calls, each replacing that org's expiry series.
func BenchmarkObserveFleet(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			m := metrics.New()
			lists := fleetSources(b, n, 500)
			for org, items := range lists {
				m.DataSources(org, items)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				for org, items := range lists {
					m.DataSources(org, items)
				}
			}
		})
	}
}
