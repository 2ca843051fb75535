package e2e

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"

	"github.com/byova/byova/api/webexfake"
)

// BenchmarkFirstFrame starts the real byova in a pseudo-terminal (100x30, xterm-256color, an
// emulator answering its terminal queries as a terminal would) against the fake Webex with N
// data sources in the signed-in org, and times start → the first frame whose header counts
// all N with the rows drawn. Beside it, in the same loop so both see the same load, `byova ds
// list --json` of the same data. Reported: medians of wall time and of the child's own CPU
// time (user+sys, from its rusage), for each, and the UI's ratio to the list. BYOVA_BIN runs
// another build (e.g. main's, for a before figure); unset, the benchmark builds this tree.
// BYOVA_CPUPROFILE=p (or BYOVA_TRACE=p) builds it with -tags pprof and writes the last run's
// CPU profile (execution trace) of the UI to p.ui and of the list to p.list.
func BenchmarkFirstFrame(b *testing.B) {
	bin := benchBinary(b)
	for _, n := range []int{1000, 10000, 50000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) { benchFirstFrame(b, bin, n) })
	}
}

func benchBinary(b *testing.B) string {
	if bin := os.Getenv("BYOVA_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(b.TempDir(), "byova")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if os.Getenv("BYOVA_CPUPROFILE") != "" || os.Getenv("BYOVA_TRACE") != "" {
		cmd = exec.Command("go", "build", "-tags", "pprof", "-o", bin, ".")
	}
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// sample is one run's wall time and the child's CPU time.
type sample struct {
	wall, cpu time.Duration
	faults    int64 // minor page faults: fresh memory touched, costly in a VM
	peakKB    int64 // the UI's peak resident memory when its first full frame showed (VmHWM)
}

func benchFirstFrame(b *testing.B, bin string, n int) {
	// The primary org has 8 seeded data sources; the rest are generated.
	fake := webexfake.New(webexfake.Options{Seed: 1, ExtraDataSources: n - 8})
	if err := fake.Start(); err != nil {
		b.Fatal(err)
	}
	defer fake.Close()
	// Sign every token now, in-process and without a deadline: the first list would have the
	// fake sign 50,000 with RSA, which on a loaded machine outlasts byova's 30 s wait.
	fake.Presign()
	cr := fake.Creds()
	dir := b.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "TERM=xterm-256color",
		"WEBEX_BASE_URL=" + fake.URL(), "WEBEX_SA_CLIENT_ID=" + cr.ServiceAppClientID,
		"WEBEX_SA_CLIENT_SECRET=" + cr.ServiceAppClientSecret,
		"WEBEX_SA_REFRESH_TOKEN=" + cr.ServiceAppRefreshToken, "WEBEX_ORG_ID=" + cr.OrgID}
	for _, k := range []string{"CONFIG", "DATA", "STATE", "CACHE"} {
		env = append(env, "XDG_"+k+"_HOME="+filepath.Join(dir, k))
	}
	want := fmt.Sprintf("Data sources %d", n)
	uiEnv, listEnv := env, env
	for _, k := range []string{"BYOVA_CPUPROFILE", "BYOVA_TRACE"} {
		if p := os.Getenv(k); p != "" {
			uiEnv = append(slices.Clip(uiEnv), k+"="+p+".ui")
			listEnv = append(slices.Clip(listEnv), k+"="+p+".list")
		}
	}
	list := func() sample {
		cmd := exec.Command(bin, "ds", "list", "--json")
		cmd.Env = listEnv
		var stderr bytes.Buffer
		cmd.Stderr = &stderr // stdout: /dev/null
		settle()
		t0 := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("ds list --json: %v\n%s", err, stderr.String())
		}
		return sample{time.Since(t0), cpuOf(cmd), faultsOf(cmd), 0}
	}
	ui := func() sample { return firstFrame(b, bin, uiEnv, want, n) }

	// Warm up: the first list signs in and stores the token (the fake signs tokens on first
	// showing), so neither timing below includes a sign-in; the first UI run warms the
	// schema cache and the page cache, as a second start of the day would have.
	list()
	ui()
	var lists, uis []sample
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		lists = append(lists, list())
		uis = append(uis, ui())
	}
	b.StopTimer()
	lw, lc := medians(lists)
	uw, uc := medians(uis)
	b.ReportMetric(float64(uw.Microseconds())/1000, "ui-ms")
	b.ReportMetric(float64(uc.Microseconds())/1000, "ui-cpu-ms")
	b.ReportMetric(float64(lw.Microseconds())/1000, "list-ms")
	b.ReportMetric(float64(lc.Microseconds())/1000, "list-cpu-ms")
	b.ReportMetric(float64(uw)/float64(lw), "ui/list")
	b.ReportMetric(float64(uc)/float64(lc), "ui/list-cpu")
	b.ReportMetric(float64(medFaults(uis)), "ui-faults")
	b.ReportMetric(float64(medFaults(lists)), "list-faults")
	b.ReportMetric(float64(medPeak(uis))/1024, "ui-peak-MB")
	b.Logf("%d data sources: UI first full frame %s (cpu %s, range %s), ds list --json %s (cpu %s, range %s): %.2f×",
		n, uw, uc, spread(uis), lw, lc, spread(lists), float64(uw)/float64(lw))
}

// settle collects this process's garbage before a timed start: the fake Webex runs here, and
// the collection of the body it built for one run ran into the start of the next, whichever
// it was (the UI ran after a list; the list after a UI).
func settle() { runtime.GC() }

// firstFrame runs the UI once and returns the time to the frame that shows want with the
// list's last visible row drawn, then quits it with q.
func firstFrame(b *testing.B, bin string, env []string, want string, n int) sample {
	b.Helper()
	// BYOVA_BENCH_ARGS adds flags to the UI's start (e.g. --debug, to see where time goes).
	cmd := exec.Command(bin, strings.Fields(os.Getenv("BYOVA_BENCH_ARGS"))...)
	cmd.Env = env
	// The terminal is there before the program starts, as a person's is: the pty, the
	// emulator (2–13 ms to make, on the 2 cores the program starts on) and its reader are
	// set up before t0, so the time is the program's alone.
	tty, term, err := pty.Open()
	if err != nil {
		b.Fatal(err)
	}
	defer tty.Close()
	if err := pty.Setsize(tty, &pty.Winsize{Rows: 30, Cols: 100}); err != nil {
		term.Close()
		b.Fatal(err)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = term, term, term
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	emu := vt.NewEmulator(100, 30)
	var mu sync.Mutex
	var t0 time.Time
	shown := make(chan time.Duration, 1)
	// A terminal answers the program's queries (colours, modes): the emulator writes the
	// answers on its reader; they go back to the program as a real terminal's would.
	go func() { _, _ = io.Copy(tty, emu) }()
	go func() {
		buf := make([]byte, 64<<10)
		done := false
		for {
			k, err := tty.Read(buf)
			if k > 0 {
				mu.Lock()
				_, _ = emu.Write(buf[:k])
				if !done && complete(emu.String(), want) {
					done = true
					shown <- time.Since(t0)
				}
				mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	settle()
	mu.Lock() // t0 is set before the reader can see output
	t0 = time.Now()
	err = cmd.Start()
	mu.Unlock()
	term.Close() // the program holds its own end now
	if err != nil {
		b.Fatal(err)
	}
	var took time.Duration
	var peak int64
	select {
	case took = <-shown:
		peak = peakKB(cmd.Process.Pid)
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		mu.Lock()
		defer mu.Unlock()
		b.Fatalf("no frame with %q after 60s:\n%s", want, emu.String())
	}
	if _, err := tty.Write([]byte("q")); err != nil {
		b.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-exited:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
		b.Fatal("byova did not quit on q")
	}
	_ = emu.Close()
	return sample{took, cpuOf(cmd), faultsOf(cmd), peak}
}

// complete says whether the screen shows the header count and a full list: the line after the
// last data row is the footer, so the list is drawn when a row sits above it.
func complete(screen, want string) bool {
	if !strings.Contains(screen, want) {
		return false
	}
	lines := strings.Split(screen, "\n")
	rows := 0
	for _, l := range lines {
		if strings.Contains(l, "active") || strings.Contains(l, "disabled") || strings.Contains(l, "expired") {
			rows++
		}
	}
	return rows >= 10
}

// usageOf is the exited child's rusage (zero when there is none).
func usageOf(cmd *exec.Cmd) syscall.Rusage {
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			return *ru
		}
	}
	return syscall.Rusage{}
}

func faultsOf(cmd *exec.Cmd) int64 { return usageOf(cmd).Minflt }

func cpuOf(cmd *exec.Cmd) time.Duration {
	ru := usageOf(cmd)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func medians(s []sample) (wall, cpu time.Duration) {
	w := make([]time.Duration, len(s))
	c := make([]time.Duration, len(s))
	for i, x := range s {
		w[i], c[i] = x.wall, x.cpu
	}
	return med(w), med(c)
}

func medFaults(s []sample) int64 { return medOf(s, func(x sample) int64 { return x.faults }) }

func medPeak(s []sample) int64 { return medOf(s, func(x sample) int64 { return x.peakKB }) }

func medOf(s []sample, of func(sample) int64) int64 {
	f := make([]int64, len(s))
	for i, x := range s {
		f[i] = of(x)
	}
	slices.Sort(f)
	return f[len(f)/2]
}

// peakKB is a running process's peak resident memory in KB, from /proc (0 when unreadable).
// The rusage of an exited child will not do: its maxrss starts from the parent's (this test's,
// which holds the fake's data) when the child is forked.
func peakKB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for l := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb
		}
	}
	return 0
}

func med(d []time.Duration) time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2]
}

func spread(s []sample) string {
	lo, hi := s[0].wall, s[0].wall
	for _, x := range s {
		lo, hi = min(lo, x.wall), max(hi, x.wall)
	}
	return fmt.Sprintf("%s–%s", lo.Round(time.Millisecond), hi.Round(time.Millisecond))
}
