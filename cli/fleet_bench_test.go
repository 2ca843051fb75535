package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/adrg/xdg"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/cli"
	"github.com/byova/byova/config"
)

// Issue 21 §2: the paths measured on one org in scale_bench_test.go, here over a fleet of 500
// orgs holding the same number of data sources between them (1k: 2 each … 100k: 200 each).
const fleetOrgs = 500

var fleetSizes = []int{1000, 10000, 100000}

// fleetRig is a fake Webex with n generated data sources dealt over fleetOrgs orgs, and the
// environment of a byova whose token store holds every org's Service App token.
type fleetRig struct {
	fake   *webexfake.Server
	orgs   []webexfake.OrgToken
	env    map[string]string
	getenv func(string) string
}

func newFleetRig(b *testing.B, opts webexfake.Options) *fleetRig {
	b.Helper()
	opts.Seed, opts.CheapSignatures = 1, true
	s := webexfake.New(opts)
	if err := s.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	cr := s.Creds()
	dir := b.TempDir()
	env := map[string]string{"WEBEX_BASE_URL": s.URL(), "WEBEX_SA_CLIENT_ID": cr.ServiceAppClientID,
		"WEBEX_SA_CLIENT_SECRET": cr.ServiceAppClientSecret}
	for _, k := range []string{"CONFIG", "DATA", "STATE", "CACHE"} {
		env["XDG_"+k+"_HOME"] = filepath.Join(dir, k)
		b.Setenv("XDG_"+k+"_HOME", env["XDG_"+k+"_HOME"])
	}
	xdg.Reload()
	r := &fleetRig{fake: s, orgs: s.SpreadOrgTokens(), env: env, getenv: func(k string) string { return env[k] }}
	if len(r.orgs) == 0 { // one org: the primary's refresh token, as the single-org benches sign in
		env["WEBEX_ORG_ID"], env["WEBEX_SA_REFRESH_TOKEN"] = cr.OrgID, cr.ServiceAppRefreshToken
		r.orgs = []webexfake.OrgToken{{OrgID: cr.OrgID, AccessToken: cr.ServiceAppAccessToken, RefreshToken: cr.ServiceAppRefreshToken}}
	}
	// Every org's token in the store at once, as `auth login --method service-app` per org
	// would have left them (one write, not 500).
	err := config.NewStore(config.TokenFile()).Update(func(tk *config.Tokens) error {
		ps := tk.Profile("default")
		for _, o := range r.orgs {
			ps.Orgs[o.OrgID] = &config.Token{Kind: config.KindServiceApp, Org: o.OrgID, ClientID: cr.ServiceAppClientID,
				AccessToken: o.AccessToken, RefreshToken: o.RefreshToken, Expiry: time.Now().Add(50 * time.Minute)}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// run is byova in-process; it fails the benchmark on a non-zero exit.
func (r *fleetRig) run(b *testing.B, args ...string) {
	b.Helper()
	var stderr bytes.Buffer
	if code := cli.Run(context.Background(), args, os.Stdin, io.Discard, &stderr, r.getenv); code != 0 {
		b.Fatalf("byova %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
	}
}

// bare GETs org's data source list with its token and reads the body: the floor for a list.
func (r *fleetRig) bare(b *testing.B, hc *http.Client, o webexfake.OrgToken) int {
	req, _ := http.NewRequest(http.MethodGet, r.fake.URL()+"/dataSources", nil)
	req.Header.Set("Authorization", "Bearer "+o.AccessToken)
	res, err := hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		b.Fatalf("bare fetch: %d %v", res.StatusCode, err)
	}
	return len(body)
}

// BenchmarkListJSONFleet is `ds list --json --org ORG` for every one of 500 orgs in turn (a
// vendor's script over its fleet) beside bare fetches of the same 500 bodies. Reported: both
// totals and their ratio, the bytes listed, and the peak RSS of one such list as its own process.
func BenchmarkListJSONFleet(b *testing.B) {
	for _, n := range fleetSizes {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			r := newFleetRig(b, webexfake.Options{ExtraDataSources: n, SpreadOrgs: fleetOrgs})
			hc := &http.Client{}
			bytesListed := 0
			bareAll := func() {
				bytesListed = 0
				for _, o := range r.orgs {
					bytesListed += r.bare(b, hc, o)
				}
			}
			byovaAll := func() {
				for _, o := range r.orgs {
					r.run(b, "--org", o.OrgID, "datasources", "list", "--json")
				}
			}
			bareAll() // the fake signs (cheaply) on first showing
			byovaAll()
			bin := childBinary(b)
			env := map[string]string{}
			for k, v := range r.env {
				env[k] = v
			}
			env["WEBEX_ORG_ID"] = r.orgs[0].OrgID
			var bareT, byovaT []time.Duration
			var peak int64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				bareAll()
				bareT = append(bareT, time.Since(t0))
				t1 := time.Now()
				byovaAll()
				byovaT = append(byovaT, time.Since(t1))
				peak = max(peak, childPeakRSS(b, bin, env))
			}
			b.StopTimer()
			bm, ym := median(bareT), median(byovaT)
			b.ReportMetric(float64(bm.Microseconds())/1000, "bare-ms")
			b.ReportMetric(float64(ym.Microseconds())/1000, "inproc-ms")
			b.ReportMetric(float64(ym)/float64(bm), "inproc-ratio")
			b.ReportMetric(float64(bytesListed)/(1<<20), "body-MB")
			b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
			b.Logf("%d data sources over %d orgs: %d bare fetches %s, byova in-process %s (%.2f×); one org's list peaks at %.1f MB RSS",
				n, len(r.orgs), len(r.orgs), bm, ym, float64(ym)/float64(bm), float64(peak)/(1<<20))
		})
	}
}

// BenchmarkExtendDryRunFleet is `ds extend --all --all-orgs --within 3h --dry-run` over 500
// orgs in one process: 500 lists, the due rule and the plan, nothing sent. Reported: the Go
// heap allocated per run and how many sources were due.
func BenchmarkExtendDryRunFleet(b *testing.B) {
	for _, n := range fleetSizes {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			r := newFleetRig(b, webexfake.Options{ExtraDataSources: n, SpreadOrgs: fleetOrgs})
			args := []string{"datasources", "extend", "--all", "--all-orgs", "--within", "3h", "--dry-run"}
			r.run(b, args...) // warms the fake's signatures
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			b.ResetTimer()
			for b.Loop() {
				r.run(b, args...)
			}
			b.StopTimer()
			runtime.ReadMemStats(&m1)
			b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/float64(b.N)/(1<<20), "alloc-MB/op")
			if puts := putsTo(r.fake); puts != 0 {
				b.Fatalf("a dry run sent %d PUTs", puts)
			}
		})
	}
}

func putsTo(s *webexfake.Server) int {
	n := 0
	for _, q := range s.Requests() {
		if q.Method == http.MethodPut {
			n++
		}
	}
	return n
}

// extendRate is the fake's rate limit for BenchmarkExtendReal: Webex publishes none, so this
// is a stand-in, low enough that 1,000 extends (a GET and a PUT each) must meet it.
const extendRate = 200

// BenchmarkExtendReal is `ds extend --all --within 3h` really extending 1,000 due data sources
// of one org (each made due, 1 h left, before the run, off the timer), with the fake's rate
// limit off (byova's own pace) and at 200 requests a second, where the run can be no faster
// than its requests / 200. Reported: the run's time, extends a second, the rate limit's
// floor and the run's ratio to it, and the 429s byova waited out.
func BenchmarkExtendReal(b *testing.B) {
	for _, limit := range []float64{0, extendRate} {
		name := "rate-off"
		if limit > 0 {
			name = fmt.Sprintf("rate-%.0f", limit)
		}
		b.Run("1k/"+name, func(b *testing.B) {
			const n = 1000
			r := newFleetRig(b, webexfake.Options{ExtraDataSources: n, RateLimit: limit})
			var ids []string
			for _, q := range listIDs(b, r) {
				if strings.Contains(q.url, "bulk.va.example.com") {
					ids = append(ids, q.id)
				}
			}
			if len(ids) != n {
				b.Fatalf("%d generated sources, want %d", len(ids), n)
			}
			args := []string{"datasources", "extend", "--all", "--within", "3h"}
			makeDue := func() {
				for _, id := range ids {
					if _, err := r.fake.ExpireDataSource(id, time.Hour); err != nil {
						b.Fatal(err)
					}
				}
				r.fake.Presign() // the new tokens' RSA, which the run's list would otherwise pay
			}
			var took []time.Duration
			puts0 := putsTo(r.fake)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				makeDue()
				b.StartTimer()
				t0 := time.Now()
				r.run(b, args...)
				took = append(took, time.Since(t0))
			}
			b.StopTimer()
			puts := putsTo(r.fake) - puts0
			if puts < n*b.N {
				b.Fatalf("%d PUTs in %d runs, want at least %d a run", puts, b.N, n)
			}
			t := median(took)
			reqs := float64(puts)/float64(b.N)*2 + 1 // a GET and a PUT per source, one list
			b.ReportMetric(float64(t.Milliseconds()), "run-ms")
			b.ReportMetric(float64(puts)/float64(b.N)/t.Seconds(), "extends/s")
			b.ReportMetric(float64(r.fake.RateLimited())/float64(b.N), "429/run")
			if limit > 0 {
				floor := time.Duration(reqs / limit * float64(time.Second))
				b.ReportMetric(floor.Seconds()*1000, "floor-ms")
				b.ReportMetric(float64(t)/float64(floor), "run/floor")
			}
		})
	}
}

type listed struct{ id, url string }

// listIDs reads the org's list from the fake's own view (no byova in it).
func listIDs(b *testing.B, r *fleetRig) []listed {
	b.Helper()
	req, _ := http.NewRequest(http.MethodGet, r.fake.URL()+"/dataSources", nil)
	req.Header.Set("Authorization", "Bearer "+r.orgs[0].AccessToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Items []struct{ ID, URL string }
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		b.Fatal(err)
	}
	out := make([]listed, len(body.Items))
	for i, it := range body.Items {
		out[i] = listed{it.ID, it.URL}
	}
	return out
}
