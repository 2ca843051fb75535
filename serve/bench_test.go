package serve

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/keeper"
	"github.com/byova/byova/session"
)

// tenPerKey lets the rig's two keys hold the benchmarks' 10 sessions (5 each; the default
// max_connections_per_key is 3): ten people would have a key each.
func tenPerKey(o *Options) { o.Settings.MaxPerKey = 10 }

// openLoaded opens n consoles at w×h and waits until each shows the loaded list.
func openLoaded(b *testing.B, r *rig, n, w, h int, loaded string) []*console {
	return openLoadedBy(b, r, n, w, h, loaded, false)
}

// openLoadedBy is openLoaded; one by one, each console is opened once the one before shows
// its list. Ten sessions each fetching 100,000 sources at once (each lists for itself) did not
// finish within the client's 30 s on a loaded 2-core machine: the memory benchmark wants the
// lists loaded, not that herd.
func openLoadedBy(b *testing.B, r *rig, n, w, h int, loaded string, oneByOne bool) []*console {
	b.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	wait := func(c *console) {
		for !strings.Contains(c.screen(), loaded) {
			if time.Now().After(deadline) {
				b.Fatalf("the list never showed %q:\n%s", loaded, c.screen())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	cons := make([]*console, n)
	for i := range cons {
		k := r.operator
		if i%2 == 1 {
			k = r.viewer
		}
		cons[i] = r.open(b, k, w, h)
		if oneByOne {
			wait(cons[i])
		}
	}
	for _, c := range cons {
		wait(c)
	}
	return cons
}

// BenchmarkSSHScroll: 10 SSH sessions at 80x24, each scrolling a 1,000-row list with j at the
// same time; reports the median and 95th percentile from key press to the first bytes of the
// frame it causes.
func BenchmarkSSHScroll(b *testing.B) {
	r := newRigWith(b, webexfake.Options{Seed: 1, ExtraDataSources: 992}, tenPerKey)
	cons := openLoaded(b, r, 10, 80, 24, "1000")
	var (
		mu   sync.Mutex
		lat  []time.Duration
		wait = 2 * time.Second
	)
	b.ResetTimer()
	for b.Loop() {
		var wg sync.WaitGroup
		for _, c := range cons {
			wg.Go(func() {
				select { // drop output that came before the key (a countdown redraw)
				case <-c.output:
				default:
				}
				start := time.Now()
				if _, err := c.in.Write([]byte("j")); err != nil {
					b.Error(err)
					return
				}
				select {
				case <-c.output:
					mu.Lock()
					lat = append(lat, time.Since(start))
					mu.Unlock()
				case <-time.After(wait):
					b.Error("no frame within 2 s of a key press")
				}
			})
		}
		wg.Wait()
	}
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms/frame-median")
		b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "ms/frame-p95")
	}
}

// routeByToken sends each request to the fake that issued its bearer token, in process, so one
// session reaches 20 fakes (20 orgs) at one base URL.
type routeByToken map[string]http.Handler

func (rt routeByToken) RoundTrip(r *http.Request) (*http.Response, error) {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	h := rt[tok]
	if h == nil {
		h = http.NotFoundHandler()
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// BenchmarkKeeperRun: one keeper run over 1,000 data sources in 20 orgs (50 each) with a 24h
// window, so most are due on every run: it lists 20 orgs, GETs and PUTs each due source, 4 at
// a time per org. Webex is the fake, in process, so this is the keeper's own cost.
func BenchmarkKeeperRun(b *testing.B) {
	dir := b.TempDir()
	rt := routeByToken{}
	var fakes []*webexfake.Server
	for i := range 20 {
		f := webexfake.New(webexfake.Options{Seed: int64(100 + i), ExtraDataSources: 42})
		fakes = append(fakes, f)
		rt[f.Creds().ServiceAppAccessToken] = f
	}
	sess, err := session.New(config.Settings{Profile: "default", BaseURL: "http://fake.invalid/v1", Source: map[string]string{}},
		config.NewStore(filepath.Join(dir, "tokens.json")), nil)
	if err != nil {
		b.Fatal(err)
	}
	sess.AuditPath = filepath.Join(dir, "audit.log")
	if err := sess.SetHTTPClient(&http.Client{Transport: rt}); err != nil {
		b.Fatal(err)
	}
	for _, f := range fakes {
		cr := f.Creds()
		if err := sess.SaveToken(config.KindServiceApp, cr.OrgID, cr.ServiceAppClientID, "",
			api.Token{AccessToken: cr.ServiceAppAccessToken, Expiry: time.Now().Add(24 * time.Hour)}); err != nil {
			b.Fatal(err)
		}
	}
	k, err := keeper.New(keeper.Options{Session: sess, Within: 24 * time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	listed, extended, runs := 0, 0, 0
	b.ResetTimer()
	for b.Loop() {
		rep := k.RunOnce(context.Background())
		if rep.Result != keeper.RunOK || len(rep.Orgs) != 20 {
			b.Fatalf("run %s over %d orgs: %+v", rep.Result, len(rep.Orgs), rep.Orgs)
		}
		for _, o := range rep.Orgs {
			listed += o.Listed
			extended += len(o.Extended)
		}
		runs++
	}
	if listed != 1000*runs {
		b.Fatalf("listed %d sources in %d runs, want 1000 a run", listed, runs)
	}
	b.ReportMetric(float64(extended)/float64(runs), "extends/run")
}

// BenchmarkServeMemory: the heap 10 SSH sessions (x/crypto/ssh clients on loopback) add to a
// running serve, each showing a list of 1k, 10k and 100k data sources (after GC; the fake's own
// state is in the baseline, and the benchmark's 10 terminal emulators at 80x24 are
// negligible). Also this process's resident memory before and after, which includes the fake's.
func BenchmarkServeMemory(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) { benchServeMemory(b, n) })
	}
}

func benchServeMemory(b *testing.B, n int) {
	r := newRigWith(b, webexfake.Options{Seed: 1, ExtraDataSources: n - 8, CheapSignatures: true}, tenPerKey)
	// The fake signs each token the first time it is shown; have that done before measuring,
	// so the baseline holds it and ten concurrent loads do not time out on a busy machine.
	if c, _, err := r.sess.CurrentOrgClient(); err != nil {
		b.Fatal(err)
	} else if _, err := c.ListDataSources(context.Background()); err != nil {
		b.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rss0 := selfRSS()
	cons := openLoadedBy(b, r, 10, 80, 24, fmt.Sprintf("Data sources %d", n), true)
	for _, c := range cons {
		c.mu.Lock()
		c.raw = bytesBufferZero()
		c.mu.Unlock()
	}
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&after)
	}
	rss1 := selfRSS()
	runtime.KeepAlive(cons)
	grown := float64(after.HeapInuse) - float64(before.HeapInuse)
	b.ReportMetric(grown/(1<<20), "MiB-heap-10-sessions")
	b.ReportMetric(grown/10/(1<<20), "MiB-heap/session")
	b.ReportMetric(float64(after.HeapInuse)/(1<<20), "MiB-heap-total")
	b.ReportMetric(float64(rss1)/(1<<20), "MiB-rss")
	b.ReportMetric(float64(rss1-rss0)/10/(1<<20), "MiB-rss/session")
}

// selfRSS is this process's resident memory (VmRSS), 0 where /proc is not there.
func selfRSS() int64 {
	st, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(st), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

func bytesBufferZero() bytes.Buffer { return bytes.Buffer{} }
