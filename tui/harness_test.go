package tui

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
	"github.com/byova/byova/tui/common"
	fixture "github.com/byova/byova/tui/uitest"
)

// fixtureSession is a session against the fixture server with a stored Service App token that
// expires 45 minutes after the fixture clock.
func fixtureSession(t testing.TB, baseURL string, readOnly bool) *session.Session {
	t.Helper()
	dir := t.TempDir()
	store := config.NewStore(filepath.Join(dir, "tokens.json"))
	err := store.Update(func(tk *config.Tokens) error {
		ps := tk.Profile("default")
		ps.Orgs[fixture.Org] = &config.Token{Kind: config.KindServiceApp, Org: fixture.Org, AccessToken: "fixture-access-token",
			Expiry: fixture.Now.Add(45 * time.Minute)}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st := config.Settings{Profile: "default", BaseURL: baseURL, Org: fixture.Org, ReadOnly: readOnly, Source: map[string]string{}}
	s, err := session.New(st, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.AuditPath = filepath.Join(dir, "audit.log")
	return s
}

// driver runs a model the way the runtime does, synchronously enough for assertions: commands
// run in goroutines, their messages go back through Update, timers (ticks, spinner) are dropped,
// and drive returns once no request is in flight and nothing else arrives.
type driver struct {
	t  testing.TB
	m  *Model
	ch chan tea.Msg
}

func newDriver(t testing.TB, o Options, w, h int) *driver {
	t.Helper()
	m := newWith(context.Background(), o, fixture.Clock)
	m.c.NewNonce = fixture.Nonces()
	d := &driver{t: t, m: m, ch: make(chan tea.Msg, 256)}
	d.update(tea.WindowSizeMsg{Width: w, Height: h})
	d.launch(m.Init())
	d.settle()
	return d
}

func (d *driver) launch(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	ch := d.ch // not d: a pending timer must not keep the model alive (BenchmarkMemory10k)
	go func() { ch <- cmd() }()
}

var cmdType = reflect.TypeOf(tea.Cmd(nil))

func (d *driver) update(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range msg {
			d.launch(c)
		}
		return
	case common.TickMsg, spinner.TickMsg:
		return // timers: the tests move the clock themselves
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
		// tea.Sequence: run in order.
		for i := range v.Len() {
			if c := v.Index(i).Interface().(tea.Cmd); c != nil {
				d.update(c())
			}
		}
		return
	}
	_, cmd := d.m.Update(msg)
	d.launch(cmd)
}

func (d *driver) settle() {
	d.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case msg := <-d.ch:
			d.update(msg)
		case <-time.After(25 * time.Millisecond):
			if busy, _ := d.m.c.Busy(); !busy {
				return
			}
		case <-deadline:
			d.t.Fatalf("requests still in flight after 10s:\n%s", d.plain())
		}
	}
}

// press sends keys one by one, letting each one's commands finish.
func (d *driver) press(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		d.update(fixture.Key(k))
		d.settle()
	}
}

func (d *driver) typeText(text string) {
	d.t.Helper()
	for _, k := range fixture.Type(text) {
		d.update(k)
	}
	d.settle()
}

// frame is the view as an Ascii terminal receives it.
func (d *driver) frame() string {
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.Ascii}
	_, _ = w.WriteString(d.m.View().Content)
	return b.String()
}

func (d *driver) plain() string { return ansi.Strip(d.m.View().Content) }

func (d *driver) mustShow(want ...string) {
	d.t.Helper()
	p := d.plain()
	for _, w := range want {
		if !strings.Contains(p, w) {
			d.t.Fatalf("screen lacks %q:\n%s", w, p)
		}
	}
}

// checkFits fails when a line is wider than the terminal or there are too many lines.
func (d *driver) checkFits() {
	d.t.Helper()
	lines := strings.Split(d.m.View().Content, "\n")
	if len(lines) > d.m.c.Height {
		d.t.Errorf("%d lines for a %d-line terminal", len(lines), d.m.c.Height)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > d.m.c.Width {
			d.t.Errorf("line %d is %d wide (terminal %d): %q", i, w, d.m.c.Width, ansi.Strip(l))
		}
	}
}
