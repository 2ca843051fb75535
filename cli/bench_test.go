package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/adrg/xdg"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/cli"
)

// Targets for `byova datasources list --json` (issue 10 §5): peak memory under 30 MB and
// flat (10k and 50k within 5 MB of each other), checked here, in benchmarks, not in timed
// tests; time within 1.3× a bare net/http fetch that reads the same pages, checked in make
// bench's table (proc-ratio).
const (
	peakMemTarget = 30 << 20
	flatMemTarget = 5 << 20
)

// peaks records each size's peak RSS, for the flatness check of the larger size.
var peaks = map[int]int64{}

// BenchmarkListJSON runs `byova datasources list --json` against the fake Webex (one unpaged
// body, as Webex sends) with 10,000 and 50,000 data sources. Reported per size: a bare
// net/http fetch that reads the body, byova's time in-process and as its own process and
// their ratios to the bare fetch, and byova's peak RSS as its own process (the fake's memory
// is not in it). The time target is checked on the process, the way a person runs byova.
func BenchmarkListJSON(b *testing.B) {
	for _, n := range []int{10000, 50000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) { benchListJSON(b, n) })
	}
}

// benchFake starts the fake Webex with extra data sources beside its seed (cheap signatures),
// and returns it with the environment a signed-in byova runs in: its own XDG folders, also
// set for this process.
func benchFake(b *testing.B, extra int) (*webexfake.Server, map[string]string) {
	s := webexfake.New(webexfake.Options{Seed: 1, ExtraDataSources: extra, CheapSignatures: true})
	if err := s.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	cr := s.Creds()
	dir := b.TempDir()
	env := map[string]string{"WEBEX_BASE_URL": s.URL(), "WEBEX_SA_CLIENT_ID": cr.ServiceAppClientID,
		"WEBEX_SA_CLIENT_SECRET": cr.ServiceAppClientSecret, "WEBEX_SA_REFRESH_TOKEN": cr.ServiceAppRefreshToken, "WEBEX_ORG_ID": cr.OrgID}
	for _, k := range []string{"CONFIG", "DATA", "STATE", "CACHE"} {
		env["XDG_"+k+"_HOME"] = filepath.Join(dir, k)
		b.Setenv("XDG_"+k+"_HOME", env["XDG_"+k+"_HOME"])
	}
	xdg.Reload()
	return s, env
}

func benchListJSON(b *testing.B, n int) {
	// Cheap signatures: the same bytes on the wire as RS256's, without the minutes of RSA the
	// fake would spend at 100k before the first list (the timings below never include it).
	s, env := benchFake(b, n)
	cr := s.Creds()
	getenv := func(k string) string { return env[k] }
	ctx := context.Background()
	byova := func() {
		if code := cli.Run(ctx, []string{"datasources", "list", "--json"}, os.Stdin, io.Discard, os.Stderr, getenv); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	base, _ := api.New(api.Options{BaseURL: s.URL()})
	tok, err := base.RefreshGrant(ctx, api.OAuthClient{ClientID: cr.ServiceAppClientID, ClientSecret: cr.ServiceAppClientSecret}, cr.ServiceAppRefreshToken)
	if err != nil {
		b.Fatal(err)
	}
	hc := &http.Client{}
	bare := func() {
		next := s.URL() + "/dataSources"
		for next != "" {
			req, _ := http.NewRequest(http.MethodGet, next, nil)
			req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
			res, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.ReadAll(res.Body); err != nil {
				b.Fatal(err)
			}
			res.Body.Close()
			next = linkNext(res.Header.Get("Link"))
		}
	}

	// The fake signs its tokens on first showing them: the bare fetch warms that (no time cap),
	// then byova signs in and stores its token, so neither timing includes either.
	bare()
	byova()

	// Alternate so all see the same machine load; compare medians. byova runs both in this
	// process (its garbage then makes the GC scan the fake's heap too) and as its own process,
	// the way a person runs it (process start and sign-in from the token store included).
	bin := childBinary(b)
	var bareT, byovaT, procT []time.Duration
	var peak int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		bare()
		bareT = append(bareT, time.Since(t0))
		t1 := time.Now()
		byova()
		byovaT = append(byovaT, time.Since(t1))
		t2 := time.Now()
		peak = max(peak, childPeakRSS(b, bin, env))
		procT = append(procT, time.Since(t2))
	}
	b.StopTimer()
	bareMed, byovaMed, procMed := median(bareT), median(byovaT), median(procT)
	ratio, procRatio := float64(byovaMed)/float64(bareMed), float64(procMed)/float64(bareMed)
	peaks[n] = peak
	b.ReportMetric(float64(bareMed.Milliseconds()), "bare-ms")
	b.ReportMetric(float64(byovaMed.Milliseconds()), "inproc-ms")
	b.ReportMetric(ratio, "inproc-ratio")
	b.ReportMetric(float64(procMed.Milliseconds()), "proc-ms")
	b.ReportMetric(procRatio, "proc-ratio")
	b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
	b.Logf("%d data sources: bare fetch %s; byova in-process %s (%.2f×), as a process %s (%.2f×); peak RSS %.1f MB",
		n, bareMed, byovaMed, ratio, procMed, procRatio, float64(peak)/(1<<20))
	if b.N < 5 {
		return // the first probe run (b.N = 1): one sample, no median to hold to the targets
	}
	if peak > peakMemTarget {
		b.Errorf("peak RSS %.1f MB for %d data sources, want under %d MB", float64(peak)/(1<<20), n, peakMemTarget>>20)
	}
	if small, ok := peaks[10000]; ok && n > 10000 {
		if d := peak - small; d > flatMemTarget || -d > flatMemTarget {
			b.Errorf("peak RSS %.1f MB at %d vs %.1f MB at 10000: memory grows with the list", float64(peak)/(1<<20), n, float64(small)/(1<<20))
		}
	}
	// The time target (issue 10: as a process, within 1.3× a bare fetch) is checked by make
	// bench's table (scripts/benchtable.go), which shows the figure either way: a b.Errorf here
	// would hide it. The memory targets above hold on every run; a miss fails here.
}

// childBinary is byova built as `make build` builds it (static, trimmed, stripped), with
// -tags peakrss so it reports its peak RSS as it exits (main_peak.go): the figure is the
// release binary's, not this test binary's (testing, testscript and cgo add about 2 MB).
// It is built once per test process.
func childBinary(b *testing.B) string {
	peakBin.once.Do(func() {
		dir, err := os.MkdirTemp("", "byova-bench-")
		if err != nil {
			peakBin.err = err
			return
		}
		peakBin.dir = dir
		bin := filepath.Join(dir, "byova")
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-tags", "peakrss", "-o", bin, ".")
		cmd.Dir = ".."
		cmd.Env = append(slices.Clip(startEnv), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			peakBin.err = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		peakBin.path = bin
	})
	if peakBin.err != nil {
		b.Fatal(peakBin.err)
	}
	return peakBin.path
}

// startEnv is the environment this process started with: the benchmarks set XDG_CACHE_HOME
// for byova, which would give go build an empty cache (minutes of compiling).
var startEnv = os.Environ()

// peakBin is the byova childBinary built; TestMain removes its folder.
var peakBin struct {
	once      sync.Once
	path, dir string
	err       error
}

// childPeakRSS runs `byova datasources list --json > /dev/null` as its own process (bin) and
// returns its peak resident memory (VmHWM), which it prints on stderr as it exits: the
// child's rusage would count this process's memory, as Go starts it by vfork.
func childPeakRSS(b *testing.B, bin string, env map[string]string) int64 {
	cmd := exec.Command(bin, "datasources", "list", "--json")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr // stdout: /dev/null
	if err := cmd.Run(); err != nil {
		b.Fatalf("byova as a process: %v\n%s", err, stderr.String())
	}
	m := regexp.MustCompile(`VmHWM:\s*(\d+) kB`).FindStringSubmatch(stderr.String())
	if m == nil {
		b.Skipf("no VmHWM from the child (not Linux?): %s", stderr.String())
	}
	kb, _ := strconv.ParseInt(m[1], 10, 64)
	return kb << 10
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

var nextRe = regexp.MustCompile(`<([^>]+)>;\s*rel="?next"?`)

// linkNext is a minimal rel="next" reader for the bare baseline.
func linkNext(h string) string {
	if m := nextRe.FindStringSubmatch(h); m != nil {
		return m[1]
	}
	return ""
}
