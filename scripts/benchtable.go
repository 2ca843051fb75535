//go:build ignore

// benchtable reads `go test -bench` output (files named on the command line, or stdin) and
// prints issue 21's table: every path at 1k, 10k and 100k data sources, from the benchmarks'
// custom metrics (b.ReportMetric), with how each grows from size to size. A path whose cost
// grows more than 1.3× faster than its size (over 13× for 10× the sources) is marked
// "worse than linear". A benchmark that did not run leaves its cells "–".
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// row is one line of the table: a metric of one or more benchmarks (the first that has a size
// gives it), each sized by its sub-benchmark name ("1k", "10k/…").
type row struct {
	what    string
	benches []string // "BenchmarkName" or "BenchmarkName/variant" (the size comes before the variant)
	metric  string   // a b.ReportMetric unit, or ns/op
	scale   float64  // the value is multiplied by this (ns/op → ms: 1e-6)
	unit    string
	ratio   bool // a ratio to a baseline: its growth says nothing about linearity
}

var rows = []row{
	{"ds list --json, 1 org: as a process", []string{"BenchmarkListJSONScale", "BenchmarkListJSON"}, "proc-ms", 1, "ms", false},
	{"  ÷ a bare fetch of the same body", []string{"BenchmarkListJSONScale", "BenchmarkListJSON"}, "proc-ratio", 1, "×", true},
	{"  peak RSS", []string{"BenchmarkListJSONScale", "BenchmarkListJSON"}, "peak-MB", 1, "MB", false},
	{"ds list --json, 500 orgs: a list per org, in-process", []string{"BenchmarkListJSONFleet"}, "inproc-ms", 1, "ms", false},
	{"  ÷ 500 bare fetches", []string{"BenchmarkListJSONFleet"}, "inproc-ratio", 1, "×", true},
	{"  one org's list, peak RSS", []string{"BenchmarkListJSONFleet"}, "peak-MB", 1, "MB", false},
	{"TUI first full frame (pty, real binary)", []string{"BenchmarkFirstFrame"}, "ui-ms", 1, "ms", false},
	{"  ÷ the CLI's list --json", []string{"BenchmarkFirstFrame"}, "ui/list", 1, "×", true},
	{"TUI first frame, in-process", []string{"BenchmarkScaleFirstFrame"}, "ns/op", 1e-6, "ms", false},
	{"TUI filter keystroke + frame", []string{"BenchmarkScaleFilterKeystroke"}, "ns/op", 1e-6, "ms", false},
	{"TUI cursor step + frame", []string{"BenchmarkScaleCursorStep"}, "ns/op", 1e-6, "ms", false},
	{"TUI sort + frame", []string{"BenchmarkScaleSort"}, "ns/op", 1e-6, "ms", false},
	{"TUI heap with the list loaded", []string{"BenchmarkScaleHeap"}, "heap-MB", 1, "MB", false},
	{"extend --all --within 3h --dry-run, 1 org", []string{"BenchmarkExtendDryRun"}, "run-ms", 1, "ms", false},
	{"extend --dry-run --all-orgs, 500 orgs", []string{"BenchmarkExtendDryRunFleet"}, "ns/op", 1e-6, "ms", false},
	{"  heap allocated", []string{"BenchmarkExtendDryRunFleet"}, "alloc-MB/op", 1, "MB", false},
	{"extend --all --within 3h, 1,000 due: rate limit off", []string{"BenchmarkExtendReal/rate-off"}, "run-ms", 1, "ms", false},
	{"  at 200 requests/s", []string{"BenchmarkExtendReal/rate-200"}, "run-ms", 1, "ms", false},
	{"  ÷ the rate limit's floor", []string{"BenchmarkExtendReal/rate-200"}, "run/floor", 1, "×", true},
	{"keeper round, 500 orgs", []string{"BenchmarkKeeperRoundFleet"}, "round-ms", 1, "ms", false},
	{"  heap allocated", []string{"BenchmarkKeeperRoundFleet"}, "alloc-MB/op", 1, "MB", false},
	{"metrics: a round's lists observed, 500 orgs", []string{"BenchmarkObserveFleet"}, "observe-ms", 1, "ms", false},
	{"/metrics scrape, a series per source (per_source = true)", []string{"BenchmarkScrapeFleet/true"}, "scrape-ms", 1, "ms", false},
	{"  bytes", []string{"BenchmarkScrapeFleet/true"}, "scrape-MB", 1, "MB", false},
	{"/metrics scrape, per_source = auto (summaries over 10k)", []string{"BenchmarkScrapeFleet/auto"}, "scrape-ms", 1, "ms", false},
	{"  bytes", []string{"BenchmarkScrapeFleet/auto"}, "scrape-MB", 1, "MB", false},
	{"serve, 10 SSH sessions with the list: heap", []string{"BenchmarkServeMemory"}, "MiB-heap-10-sessions", 1, "MiB", false},
	{"  per session", []string{"BenchmarkServeMemory"}, "MiB-heap/session", 1, "MiB", false},
	{"  process RSS", []string{"BenchmarkServeMemory"}, "MiB-rss", 1, "MiB", false},
}

var sizes = []string{"1k", "10k", "100k"}

// target is a figure an issue holds a benchmark to. They are checked here, on the figures the
// table shows, rather than by b.Errorf in the benchmark: a benchmark that fails prints no
// figures, and the table would show "–" where the miss is.
type target struct {
	what   string
	bench  string // as in row.benches
	size   string
	metric string
	scale  float64
	limit  float64 // the figure must be at most this
	unit   string
}

var targets = []target{
	{"TUI first full frame ÷ the CLI's list --json, 10k (issue 21)", "BenchmarkFirstFrame", "10k", "ui/list", 1, 1.1, "×"},
	{"  the same at 1k", "BenchmarkFirstFrame", "1k", "ui/list", 1, 1.1, "×"},
	{"  the same at 50k", "BenchmarkFirstFrame", "50k", "ui/list", 1, 1.1, "×"},
	{"TUI filter keystroke + frame, 100k (issue 21)", "BenchmarkScaleFilterKeystroke", "100k", "ns/op", 1e-6, 16, "ms"},
	{"TUI cursor step + frame, 100k (issue 21)", "BenchmarkScaleCursorStep", "100k", "ns/op", 1e-6, 16, "ms"},
	{"TUI sort + frame, 100k (issue 21)", "BenchmarkScaleSort", "100k", "ns/op", 1e-6, 16, "ms"},
	{"ds list --json peak RSS, 100k (issue 21)", "BenchmarkListJSONScale", "100k", "peak-MB", 1, 30, "MB"},
	{"ds list --json as a process ÷ a bare fetch, 10k (issue 10)", "BenchmarkListJSON", "10k", "proc-ratio", 1, 1.3, "×"},
	{"  the same at 50k", "BenchmarkListJSON", "50k", "proc-ratio", 1, 1.3, "×"},
}

// result line: BenchmarkName/sub/parts-GOMAXPROCS  N  v unit  v unit …
var lineRe = regexp.MustCompile(`^(Benchmark[^\s/]+)((?:/\S+?)?)(?:-\d+)?\s+\d+\s+(.*)$`)

// parse maps "BenchmarkName", size, variant → unit → value; a later line for the same key wins.
func parse(r io.Reader, got map[string]map[string]float64) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		m := lineRe.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		size, variant := "", ""
		parts := strings.Split(strings.TrimPrefix(m[2], "/"), "/")
		for i, p := range parts {
			if isSize(p) {
				size, variant = p, strings.Join(parts[i+1:], "/")
				break
			}
		}
		if size == "" {
			continue
		}
		key := m[1] + "|" + size + "|" + variant
		vals := map[string]float64{}
		f := strings.Fields(m[3])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err == nil {
				vals[f[i+1]] = v
			}
		}
		got[key] = vals
	}
	return sc.Err()
}

func isSize(s string) bool {
	n, err := strconv.Atoi(strings.TrimSuffix(s, "k"))
	return err == nil && strings.HasSuffix(s, "k") && n > 0
}

// value finds the row's metric at size: the first of its benchmarks that has it. A benchmark
// without 100k but with 50k (the pty first frame) stands in, and says so.
func value(got map[string]map[string]float64, r row, size string) (float64, string, bool) {
	try := []string{size}
	if size == "100k" {
		try = append(try, "50k")
	}
	for _, s := range try {
		for _, b := range r.benches {
			name, variant, _ := strings.Cut(b, "/")
			if vals, ok := got[name+"|"+s+"|"+variant]; ok {
				if v, ok := vals[r.metric]; ok {
					return v * r.scale, s, true
				}
			}
		}
	}
	return 0, "", false
}

func format(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case v >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

func sizeOf(s string) float64 {
	n, _ := strconv.Atoi(strings.TrimSuffix(s, "k"))
	return float64(n)
}

func main() {
	got := map[string]map[string]float64{}
	if len(os.Args) < 2 {
		if err := parse(os.Stdin, got); err != nil {
			fmt.Fprintln(os.Stderr, "benchtable:", err)
			os.Exit(1)
		}
	}
	for _, path := range os.Args[1:] {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchtable:", err)
			os.Exit(1)
		}
		err = parse(f, got)
		f.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchtable:", err)
			os.Exit(1)
		}
	}
	fmt.Println("| work | 1k | 10k | 100k | growth 10k/1k | growth 100k/10k | |")
	fmt.Println("|---|---|---|---|---|---|---|")
	worse := 0
	for _, r := range rows {
		cells := make([]string, len(sizes))
		vals := make([]float64, len(sizes))
		at := make([]string, len(sizes))
		for i, s := range sizes {
			v, where, ok := value(got, r, s)
			if !ok {
				cells[i] = "–"
				continue
			}
			vals[i], at[i] = v, where
			cells[i] = format(v) + " " + r.unit
			if where != s {
				cells[i] += " (" + where + ")"
			}
		}
		var growth [2]string
		note := ""
		for i := range 2 {
			growth[i] = "–"
			if at[i] == "" || at[i+1] == "" || vals[i] <= 0 {
				continue
			}
			g := vals[i+1] / vals[i]
			growth[i] = format(g) + "×"
			if r.ratio {
				continue
			}
			if size := sizeOf(at[i+1]) / sizeOf(at[i]); g > 1.3*size {
				growth[i] += " ✗"
				note = "worse than linear"
			}
		}
		if note != "" {
			worse++
		}
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %s |\n", r.what, cells[0], cells[1], cells[2], growth[0], growth[1], note)
	}
	fmt.Printf("\n%d of %d rows grow worse than linearly (✗: more than 1.3× the growth in sources).\n", worse, len(rows))

	fmt.Println("\n| target | limit | measured | |")
	fmt.Println("|---|---|---|---|")
	missed := 0
	for _, t := range targets {
		name, variant, _ := strings.Cut(t.bench, "/")
		v, ok := got[name+"|"+t.size+"|"+variant][t.metric]
		figure, mark := "did not run", "✗ missing"
		if ok {
			figure, mark = format(v*t.scale)+" "+t.unit, "✓ met"
			if v*t.scale > t.limit {
				mark = "✗ missed"
			}
		}
		if mark != "✓ met" {
			missed++
		}
		fmt.Printf("| %s | ≤ %s %s | %s | %s |\n", t.what, format(t.limit), t.unit, figure, mark)
	}
	fmt.Printf("\n%d of %d targets missed or not measured.\n", missed, len(targets))
	if missed > 0 {
		os.Exit(3) // make bench fails: a target is a result, not a remark
	}
}
