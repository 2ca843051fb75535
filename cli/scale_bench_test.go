package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/cli"
)

// Issue 21's sizes beside BenchmarkListJSON's 10k and 50k: ds list --json at 1k and 100k
// (time vs a bare fetch, peak memory: flat and under 30 MB).
func BenchmarkListJSONScale(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) { benchListJSON(b, n) })
	}
}

// BenchmarkExtendDryRun is `ds extend --all --within 3h --dry-run` in-process over 1k, 10k and
// 100k data sources in one org (the generated ones expire over the next 24 h, so about an
// eighth are due): the list, the due rule and the printed plan, with nothing sent. Reported:
// the median run (run-ms), each begun after a GC, and the Go heap allocated per run. make
// bench runs it 5 times: run once, 100k read anywhere from 0.6 to 1.7 s on a loaded machine
// (14.6× the 10k run in one make bench, 10× in the median of five).
func BenchmarkExtendDryRun(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			s, env := benchFake(b, n-8)
			getenv := func(k string) string { return env[k] }
			run := func() {
				args := []string{"ds", "extend", "--all", "--within", "3h", "--dry-run"}
				var stderr bytes.Buffer
				if code := cli.Run(context.Background(), args, os.Stdin, io.Discard, &stderr, getenv); code != 0 {
					b.Fatalf("exit %d: %s", code, stderr.String())
				}
			}
			warmFake(b, s)
			run() // signs in and stores the token
			var m0, m1 runtime.MemStats
			var laps []time.Duration
			runtime.ReadMemStats(&m0)
			b.ResetTimer()
			for b.Loop() {
				// The last run's garbage is collected outside the timing, so no run pays for another's.
				b.StopTimer()
				runtime.GC()
				b.StartTimer()
				start := time.Now()
				run()
				laps = append(laps, time.Since(start))
			}
			b.StopTimer()
			runtime.ReadMemStats(&m1)
			b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/float64(b.N)/(1<<20), "alloc-MB/op")
			b.ReportMetric(float64(median(laps))/1e6, "run-ms")
		})
	}
}

// warmFake has the fake sign its data sources' tokens (it does on first showing them: at 100k
// longer than byova waits for an answer) with a bare fetch that waits as long as it takes.
func warmFake(b *testing.B, s *webexfake.Server) {
	b.Helper()
	cr := s.Creds()
	base, _ := api.New(api.Options{BaseURL: s.URL()})
	tok, err := base.RefreshGrant(context.Background(), api.OAuthClient{ClientID: cr.ServiceAppClientID, ClientSecret: cr.ServiceAppClientSecret}, cr.ServiceAppRefreshToken)
	if err != nil {
		b.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, s.URL()+"/dataSources", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		b.Fatal(err)
	}
}
