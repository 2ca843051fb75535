package tui

import (
	"bytes"
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	fixture "github.com/byova/byova/ui/uitest"
)

// driver runs the root model with uitest.Driver: commands run, their messages go back through
// Update, timers are dropped, and each step returns once every command has answered.
type driver struct {
	*fixture.Driver
	t testing.TB
	m *Model
}

func newDriver(t testing.TB, o Options, w, h int) *driver {
	t.Helper()
	m := newWith(context.Background(), o, fixture.Clock)
	m.c.NewNonce = fixture.Nonces()
	d := &driver{t: t, m: m}
	d.Driver = fixture.NewDriver(t, func(msg tea.Msg) tea.Cmd { _, cmd := m.Update(msg); return cmd })
	d.update(tea.WindowSizeMsg{Width: w, Height: h})
	d.Launch(m.Init())
	d.settle()
	return d
}

func (d *driver) update(msg tea.Msg) { d.Send(msg) }

func (d *driver) settle() { d.t.Helper(); d.Settle() }

// press sends keys one by one, letting each one's commands finish.
func (d *driver) press(keys ...string) { d.t.Helper(); d.Press(keys...) }

func (d *driver) typeText(text string) { d.t.Helper(); d.TypeText(text) }

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
