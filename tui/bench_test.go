package tui

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
	fixture "github.com/byova/byova/ui/uitest"
)

// loadedDriver is a model at w×h with n fixture data sources loaded through the session.
func loadedDriver(b *testing.B, n, w, h int) *driver {
	b.Helper()
	srv := fixture.NewServer()
	b.Cleanup(srv.Close)
	srv.SetSpecs(fixture.ManySpecs(n))
	d := newDriver(b, Options{Session: fixture.ServerSession(b, srv.URL+"/v1", false), Demo: true}, w, h)
	if rows := countRows(d); rows != n {
		b.Fatalf("loaded %d rows, want %d", rows, n)
	}
	return d
}

func countRows(d *driver) int {
	type counter interface{ Len() int }
	if c, ok := d.m.screens[0].(counter); ok {
		return c.Len()
	}
	return -1
}

// BenchmarkListView10k is one full frame (header, 10,000-row list, footer) at 100x30.
func BenchmarkListView10k(b *testing.B) {
	d := loadedDriver(b, 10000, 100, 30)
	d.press("j", "j") // somewhere in the list
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = d.m.View()
	}
}

// countingWriter counts what the renderer writes to the terminal and keeps it; each write
// also rings wrote, so a benchmark waits for output instead of for quiet.
type countingWriter struct {
	mu    sync.Mutex
	n     int
	buf   bytes.Buffer
	wrote chan struct{}
}

func newCountingWriter() *countingWriter { return &countingWriter{wrote: make(chan struct{}, 1)} }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.n += len(p)
	c.buf.Write(p)
	c.mu.Unlock()
	select {
	case c.wrote <- struct{}{}:
	default: // already rung: the reader takes everything written so far
	}
	return len(p), nil
}

func (c *countingWriter) take() (int, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, s := c.n, c.buf.String()
	c.n = 0
	c.buf.Reset()
	return n, s
}

// waitFor takes what is written until the screen so far shows text, failing after limit.
func (c *countingWriter) waitFor(b *testing.B, text string, limit time.Duration) {
	b.Helper()
	timeout := time.NewTimer(limit)
	defer timeout.Stop()
	var seen bytes.Buffer
	for !strings.Contains(ansi.Strip(seen.String()), text) {
		select {
		case <-c.wrote:
			_, s := c.take()
			seen.WriteString(s)
		case <-timeout.C:
			b.Fatalf("%q not shown after %s:\n%s", text, limit, ansi.Strip(seen.String()))
		}
	}
}

// frame waits for the renderer's next write and returns its bytes with any already pending.
func (c *countingWriter) frame(b *testing.B) int {
	b.Helper()
	select {
	case <-c.wrote:
	case <-time.After(10 * time.Second):
		b.Fatal("no frame after 10s")
	}
	n, _ := c.take()
	return n
}

// BenchmarkCursorStepBytes measures the bytes a real tea.Program writes to a 100x30 terminal
// (colour on, TrueColor) for one cursor step in the list: the renderer only sends the cells
// that changed, so it is the two rows whose cursor mark moved.
func BenchmarkCursorStepBytes(b *testing.B) {
	srv := fixture.NewServer()
	defer srv.Close()
	srv.SetSpecs(fixture.ManySpecs(1000))
	o := Options{Session: fixture.ServerSession(b, srv.URL+"/v1", false), Demo: true}
	m := newWith(context.Background(), o, fixture.Clock)
	out := newCountingWriter()
	in, inW := io.Pipe()
	defer inW.Close()
	p := tea.NewProgram(m, tea.WithInput(in), tea.WithOutput(out), tea.WithWindowSize(100, 30),
		tea.WithColorProfile(colorprofile.TrueColor), tea.WithoutSignals())
	done := make(chan struct{})
	go func() { _, _ = p.Run(); close(done) }()
	defer func() { p.Quit(); <-done }()
	out.waitFor(b, "1/1000", 10*time.Second)
	total, steps := 0, 0
	for b.Loop() {
		k := fixture.Key("j")
		if steps%2 == 1 {
			k = fixture.Key("k")
		}
		// The list is drawn and idle (the clock ticks once a minute): the next write is this
		// key's frame, which the renderer sends in one write.
		out.take()
		select {
		case <-out.wrote:
		default:
		}
		p.Send(k)
		total += out.frame(b)
		steps++
	}
	b.ReportMetric(float64(total)/float64(steps), "bytes/step")
}

// BenchmarkStartToFirstFrame1k is the time from starting the UI to the first frame that shows
// rows, with 1,000 data sources served by webexfake on loopback (the Service App token already
// stored, as after the first run).
func BenchmarkStartToFirstFrame1k(b *testing.B) {
	fake := webexfake.New(webexfake.Options{Seed: 1, ExtraDataSources: 1000 - 8})
	if err := fake.Start(); err != nil {
		b.Fatal(err)
	}
	defer fake.Close()
	cr := fake.Creds()
	dir := b.TempDir()
	st := config.Settings{Profile: "default", BaseURL: fake.URL(), Org: cr.OrgID,
		ServiceAppClientID: cr.ServiceAppClientID, ServiceAppClientSecret: cr.ServiceAppClientSecret,
		ServiceAppRefreshToken: cr.ServiceAppRefreshToken, Source: map[string]string{}}
	store := config.NewStore(filepath.Join(dir, "tokens.json"))
	first := func() time.Duration {
		sess, err := session.New(st, store, nil)
		if err != nil {
			b.Fatal(err)
		}
		sess.AuditPath = filepath.Join(dir, "audit.log")
		out := newCountingWriter()
		in, inW := io.Pipe()
		defer inW.Close()
		start := time.Now()
		o := Options{Session: sess}
		p := tea.NewProgram(New(o), tea.WithInput(in), tea.WithOutput(out), tea.WithWindowSize(100, 30), tea.WithoutSignals())
		done := make(chan struct{})
		go func() { _, _ = p.Run(); close(done) }()
		out.waitFor(b, "1/1000", 10*time.Second)
		took := time.Since(start)
		p.Quit()
		<-done
		return took
	}
	first() // sign in once: the token is then stored
	var total time.Duration
	n := 0
	for b.Loop() {
		total += first()
		n++
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(n), "ms/first-frame")
}
