package schemas

import (
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/session"
	"github.com/byova/byova/tui/common"
	"github.com/byova/byova/tui/format"
	"github.com/byova/byova/tui/styles"
	fixture "github.com/byova/byova/tui/uitest"
)

// host runs one screen the way the root does, for journeys that must not depend on which
// screens the root registers: request bookkeeping, the error banner and the notice line, global
// keys only while the screen is not capturing. (The root itself is exercised by its own tests
// and by screens/webhooks/root_test.go.)
type host struct {
	c      *common.Common
	scr    common.Screen
	banner string
	notice string
}

type probeMsg struct {
	fn   func(*host)
	done chan struct{}
}

func (h *host) Init() tea.Cmd { return h.scr.Init() }

func (h *host) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if r, ok := msg.(common.Result); ok {
		h.c.Finish(r.RequestID())
	}
	switch msg := msg.(type) {
	case probeMsg:
		msg.fn(h)
		close(msg.done)
		return h, nil
	case tea.WindowSizeMsg:
		h.c.Width, h.c.Height = msg.Width, msg.Height
		h.scr.SetSize(msg.Width, msg.Height-3)
		return h, nil
	case common.ErrorMsg:
		head, hint := common.Describe(msg.Err)
		h.banner = "✗ " + msg.Op + " failed: " + head
		if hint != "" {
			h.banner += " — " + hint
		}
		if tid := api.TrackingIDOf(msg.Err); tid != "" {
			h.banner += " (trackingId " + tid + ")"
		}
		return h, nil
	case common.NoticeMsg:
		h.notice = msg.Text
		return h, nil
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+c" || (msg.String() == "q" && !h.scr.Capturing()) {
			return h, tea.Quit
		}
		if msg.String() == "esc" && h.banner != "" && !h.scr.Capturing() {
			h.banner = ""
			return h, nil
		}
	}
	s, cmd := h.scr.Update(msg)
	h.scr = s
	return h, cmd
}

func (h *host) View() tea.View {
	w := h.c.Width
	var b strings.Builder
	b.WriteString(format.Cut(h.banner, w) + "\n")
	lines := strings.Split(h.scr.View(), "\n")
	for i := range max(h.c.Height-3, 0) {
		if i < len(lines) {
			b.WriteString(format.Cut(lines[i], w))
		}
		b.WriteByte('\n')
	}
	if h.notice != "" {
		b.WriteString(format.Cut("• "+h.notice, w) + "\n")
	} else {
		hm := help.New()
		hm.SetWidth(w)
		b.WriteString(hm.ShortHelpView(h.scr.KeyMap()) + "\n")
	}
	return tea.NewView(b.String())
}

type journey struct {
	t  *testing.T
	tm *teatest.TestModel
}

// startJourney runs a new screen on sess in a teatest program (no colour, w×h).
func startJourney(t *testing.T, sess *session.Session, newScreen func(*common.Common) common.Screen, w, h int) *journey {
	t.Helper()
	c := common.New(t.Context(), sess, styles.New(true), nil, nil)
	hm := &host{c: c, scr: newScreen(c)}
	tm := teatest.NewTestModel(t, hm, teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	t.Cleanup(func() { _ = tm.Quit() })
	return &journey{t: t, tm: tm}
}

func (j *journey) inspect(fn func(*host)) {
	j.t.Helper()
	done := make(chan struct{})
	j.tm.Send(probeMsg{fn: fn, done: done})
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		j.t.Fatal("the program did not answer the probe")
	}
}

func (j *journey) screen() string {
	var s string
	j.inspect(func(h *host) { s = ansi.Strip(h.View().Content) })
	return s
}

func (j *journey) waitFor(what string, cond func(string) bool) string {
	j.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		last = j.screen()
		if cond(last) {
			return last
		}
		time.Sleep(20 * time.Millisecond)
	}
	j.t.Fatalf("waiting for %s; the screen is:\n%s", what, last)
	return ""
}

func (j *journey) waitText(want ...string) string {
	j.t.Helper()
	return j.waitFor(strings.Join(want, ", "), func(s string) bool {
		for _, w := range want {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	})
}

// idle waits until no request is in flight.
func (j *journey) idle() {
	j.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var busy bool
		j.inspect(func(h *host) { busy, _ = h.c.Busy() })
		if !busy {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	j.t.Fatal("requests still in flight")
}

// press sends keys, letting each settle (huh moves between fields with a command).
func (j *journey) press(keys ...string) {
	for _, k := range keys {
		j.tm.Send(keyPress(k))
		time.Sleep(15 * time.Millisecond)
	}
}

func (j *journey) typeText(s string) {
	for _, k := range fixture.Type(s) {
		j.tm.Send(k)
	}
	time.Sleep(15 * time.Millisecond)
}

func (j *journey) quit() {
	j.t.Helper()
	j.tm.Send(keyPress("ctrl+c"))
	j.tm.WaitFinished(j.t, teatest.WithFinalTimeout(5*time.Second))
}

// waitBanner waits until the error banner holds every string (the banner line on screen is
// cut to the width; this reads it whole).
func (j *journey) waitBanner(want ...string) {
	j.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var b string
	for time.Now().Before(deadline) {
		j.inspect(func(h *host) { b = h.banner })
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(b, w)
		}
		if ok {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	j.t.Fatalf("banner %q lacks %q", b, want)
}
