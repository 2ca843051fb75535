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
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/adrg/xdg"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/cli"
)

// Targets for `byova datasources list --json` (issue 10 §5): peak memory under 30 MB and
// flat (10k and 50k within 5 MB of each other); time within 1.3× a bare net/http fetch that
// reads the same pages. They are checked here, in benchmarks, not in timed tests.
const (
	peakMemTarget  = 30 << 20
	flatMemTarget  = 5 << 20
	timeRatioLimit = 1.3
)

// peaks records each size's peak RSS, for the flatness check of the larger size.
var peaks = map[int]int64{}

// BenchmarkListJSON runs `byova datasources list --json` against the fake Webex with 10,000
// and 50,000 data sources. Reported per size: the bare fetch's time, byova's time and their
// ratio (in-process, same fake), and byova's peak RSS as a separate process (what a person
// measures with /usr/bin/time: the fake's memory is not in it).
func BenchmarkListJSON(b *testing.B) {
	for _, n := range []int{10000, 50000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) { benchListJSON(b, n) })
	}
}

func benchListJSON(b *testing.B, n int) {
	s := webexfake.New(webexfake.Options{Seed: 1, ExtraDataSources: n})
	if err := s.Start(); err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	cr := s.Creds()
	dir := b.TempDir()
	env := map[string]string{"WEBEX_BASE_URL": s.URL(), "WEBEX_SA_CLIENT_ID": cr.ServiceAppClientID,
		"WEBEX_SA_CLIENT_SECRET": cr.ServiceAppClientSecret, "WEBEX_SA_REFRESH_TOKEN": cr.ServiceAppRefreshToken, "WEBEX_ORG_ID": cr.OrgID}
	for _, k := range []string{"CONFIG", "DATA", "STATE", "CACHE"} {
		env["XDG_"+k+"_HOME"] = filepath.Join(dir, k)
		b.Setenv("XDG_"+k+"_HOME", env["XDG_"+k+"_HOME"])
	}
	xdg.Reload()
	getenv := func(k string) string { return env[k] }
	ctx := context.Background()
	byova := func() {
		if code := cli.Run(ctx, []string{"datasources", "list", "--json"}, os.Stdin, io.Discard, os.Stderr, getenv); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	byova() // signs in, stores the token and warms the fake's token signatures

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

	// Alternate the two so both see the same machine load; compare medians.
	var bareT, byovaT []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		bare()
		bareT = append(bareT, time.Since(t0))
		t1 := time.Now()
		byova()
		byovaT = append(byovaT, time.Since(t1))
	}
	b.StopTimer()
	bareMed, byovaMed := median(bareT), median(byovaT)
	ratio := float64(byovaMed) / float64(bareMed)
	peak := childPeakRSS(b, env)
	peaks[n] = peak
	b.ReportMetric(float64(bareMed.Milliseconds()), "bare-ms")
	b.ReportMetric(float64(byovaMed.Milliseconds()), "byova-ms")
	b.ReportMetric(ratio, "ratio")
	b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
	if peak > peakMemTarget {
		b.Errorf("peak RSS %.1f MB for %d data sources, want under %d MB", float64(peak)/(1<<20), n, peakMemTarget>>20)
	}
	if small, ok := peaks[10000]; ok && n > 10000 {
		if d := peak - small; d > flatMemTarget || -d > flatMemTarget {
			b.Errorf("peak RSS %.1f MB at %d vs %.1f MB at 10000: memory grows with the list", float64(peak)/(1<<20), n, float64(small)/(1<<20))
		}
	}
	if ratio > timeRatioLimit {
		b.Errorf("byova took %s, %.2f× the bare fetch's %s: want within %.1f×", byovaMed, ratio, bareMed, timeRatioLimit)
	}
}

// childPeakRSS runs `byova datasources list --json > /dev/null` as its own process (this test
// binary, which testscript.Main turns into byova-peak when run under that name) and returns
// its peak resident memory (VmHWM), which it prints on stderr as it exits.
func childPeakRSS(b *testing.B, env map[string]string) int64 {
	self, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(b.TempDir(), "byova-peak")
	if err := os.Symlink(self, bin); err != nil {
		b.Fatal(err)
	}
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
