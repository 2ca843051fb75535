package cli_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/adrg/xdg"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/cli"
)

// BenchmarkListJSON10k compares `byova datasources list --json` of 10,000 data sources with
// fetching the same pages with bare net/http (no decoding). The goal: byova within 1.5× of the
// bare fetch. Reported: ns per listing for each, their ratio, and byova's allocations per item.
func BenchmarkListJSON10k(b *testing.B) {
	const n = 10000
	s := webexfake.New(webexfake.Options{Seed: 1, ExtraDataSources: n})
	if err := s.Start(); err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	cr := s.Creds()
	dir := b.TempDir()
	for _, k := range []string{"CONFIG", "DATA", "STATE", "CACHE"} {
		b.Setenv("XDG_"+k+"_HOME", filepath.Join(dir, k))
	}
	xdg.Reload()
	env := map[string]string{"WEBEX_BASE_URL": s.URL(), "WEBEX_SA_CLIENT_ID": cr.ServiceAppClientID,
		"WEBEX_SA_CLIENT_SECRET": cr.ServiceAppClientSecret, "WEBEX_SA_REFRESH_TOKEN": cr.ServiceAppRefreshToken, "WEBEX_ORG_ID": cr.OrgID}
	getenv := func(k string) string { return env[k] }
	ctx := context.Background()
	byova := func() {
		if code := cli.Run(ctx, []string{"datasources", "list", "--json"}, os.Stdin, io.Discard, os.Stderr, getenv); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	byova() // signs in and warms the fake's caches

	base, _ := api.New(api.Options{BaseURL: s.URL()})
	tok, err := base.RefreshGrant(ctx, api.OAuthClient{ClientID: cr.ServiceAppClientID, ClientSecret: cr.ServiceAppClientSecret}, cr.ServiceAppRefreshToken)
	if err != nil {
		b.Fatal(err)
	}
	hc := &http.Client{}
	bare := func() int {
		items := 0
		next := s.URL() + "/dataSources"
		for next != "" {
			req, _ := http.NewRequest(http.MethodGet, next, nil)
			req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
			res, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			items += len(body) / 1024
			next = linkNext(res.Header.Get("Link"))
		}
		return items
	}

	var bareNs, byovaNs time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		bare()
		bareNs += time.Since(t0)
		t1 := time.Now()
		byova()
		byovaNs += time.Since(t1)
	}
	b.StopTimer()
	allocs := testing.AllocsPerRun(1, byova)
	b.ReportMetric(float64(bareNs.Nanoseconds())/float64(b.N), "bare-ns/list")
	b.ReportMetric(float64(byovaNs.Nanoseconds())/float64(b.N), "byova-ns/list")
	b.ReportMetric(float64(byovaNs)/float64(bareNs), "ratio")
	b.ReportMetric(float64(allocs)/n, "allocs/item")
}

var nextRe = regexp.MustCompile(`<([^>]+)>;\s*rel="?next"?`)

// linkNext is a minimal rel="next" reader for the bare baseline.
func linkNext(h string) string {
	if m := nextRe.FindStringSubmatch(h); m != nil {
		return m[1]
	}
	return ""
}
