// Package e2e drives the real byova binary in tmux, the way a person uses it.
package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// tmux runs one tmux command on the test's own server socket.
type tmux struct {
	t      *testing.T
	socket string
	target string // the session screen and waitFor read; "" is "demo"
}

// newTmux is a tmux server of the test's own, on a socket file in a fresh folder: a run of
// -count=N never reaches the previous run's server while it is still shutting down.
func newTmux(t *testing.T) tmux {
	t.Helper()
	dir, err := os.MkdirTemp("", "byova-tmux-") // short: a socket path is limited to ~100 bytes
	if err != nil {
		t.Fatal(err)
	}
	x := tmux{t: t, socket: filepath.Join(dir, "s")}
	t.Cleanup(func() {
		_, _ = x.run("kill-server")
		_ = os.RemoveAll(dir)
	})
	return x
}

// on is x reading session name.
func (x tmux) on(name string) tmux { x.target = name; return x }

func (x tmux) run(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-S", x.socket}, args...)...).CombinedOutput()
	return string(out), err
}

func (x tmux) must(args ...string) string {
	x.t.Helper()
	out, err := x.run(args...)
	if err != nil {
		x.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func (x tmux) screen() string {
	target := x.target
	if target == "" {
		target = "demo"
	}
	out, _ := x.run("capture-pane", "-p", "-t", target)
	return out
}

func (x tmux) waitFor(want string) string {
	x.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var s string
	for time.Now().Before(deadline) {
		if s = x.screen(); strings.Contains(s, want) {
			return s
		}
		time.Sleep(100 * time.Millisecond)
	}
	x.t.Fatalf("waiting for %q; the screen is:\n%s", want, s)
	return s
}

// build compiles byova into a temporary folder.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "byova")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestDemoInTmux runs `byova --demo` at 100x30 without colour: the list shows every seeded data
// source with readable status words, / filters, nothing overflows, and q exits 0.
func TestDemoInTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (apt-get install tmux): the end-to-end run needs it")
	}
	bin := build(t)
	dir := t.TempDir()
	exitFile := filepath.Join(dir, "exit")
	x := newTmux(t)
	script := fmt.Sprintf("env NO_COLOR=1 TERM=xterm-256color HOME=%q %q --demo; echo $? > %q", dir, bin, exitFile)
	x.must("new-session", "-d", "-s", "demo", "-x", "100", "-y", "30", "sh", "-c", script)

	s := x.waitFor("Data sources 8")
	for _, want := range []string{"DEMO", "✗ expired", "! 24m", "✗ disabled", "✓ active", "VoiceVirtualAgent", "? help"} {
		if !strings.Contains(s, want) {
			t.Errorf("list lacks %q:\n%s", want, s)
		}
	}
	for i, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if n := len([]rune(l)); n > 100 {
			t.Errorf("line %d overflows (%d cells): %q", i, n, l)
		}
	}

	x.must("send-keys", "-t", "demo", "/")
	x.waitFor("filter by status")
	x.must("send-keys", "-t", "demo", "-l", "disabled")
	s = x.waitFor("1 of 8")
	if strings.Count(s, "✓ active") != 0 || !strings.Contains(s, "✗ disabled") {
		t.Errorf("the filter must leave the disabled one only:\n%s", s)
	}
	x.must("send-keys", "-t", "demo", "Enter")
	x.waitFor(`filter "disabled"`)

	x.must("send-keys", "-t", "demo", "q")
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(exitFile); err == nil {
			if code := strings.TrimSpace(string(b)); code != "0" {
				t.Fatalf("byova --demo exited %s after q, want 0", code)
			}
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("byova did not exit after q; the screen is:\n%s", x.screen())
}

// TestDemoHangUpCleansUp: closing the terminal (tmux kill-session sends SIGHUP, as a dropped SSH
// session does) ends `byova --demo` through its clean-up: the fake Webex stops and the demo's
// temporary folder, with its tokens, is removed.
func TestDemoHangUpCleansUp(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (apt-get install tmux): the end-to-end run needs it")
	}
	bin := build(t)
	dir := t.TempDir()
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	x := newTmux(t)
	script := fmt.Sprintf("exec env NO_COLOR=1 TERM=xterm-256color HOME=%q TMPDIR=%q %q --demo", dir, tmp, bin)
	x.must("new-session", "-d", "-s", "demo", "-x", "80", "-y", "24", "sh", "-c", script)
	x.waitFor("Data sources 8")
	left := func() []string { m, _ := filepath.Glob(filepath.Join(tmp, "byova-demo-*")); return m }
	if len(left()) != 1 {
		t.Fatalf("the running demo has %v in TMPDIR, want one byova-demo- folder", left())
	}
	x.must("kill-session", "-t", "demo")
	deadline := time.Now().Add(10 * time.Second)
	for len(left()) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("10 s after the hang-up the demo folder is still there: %v", left())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
