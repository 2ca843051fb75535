package uitest

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
)

// Host runs one screen the way the root does, for journeys that must not depend on which
// screens the root registers: request bookkeeping, the error banner and the notice line, global
// keys only while the screen is not capturing. (The root itself is exercised by its own tests.)
type Host struct {
	C      *common.Common
	Screen common.Screen
	Banner string
	Notice string
}

type probeMsg struct {
	fn   func(*Host)
	done chan struct{}
}

func (h *Host) Init() tea.Cmd { return h.Screen.Init() }

func (h *Host) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if r, ok := msg.(common.Result); ok {
		h.C.Finish(r.RequestID())
	}
	switch msg := msg.(type) {
	case probeMsg:
		msg.fn(h)
		close(msg.done)
		return h, nil
	case tea.WindowSizeMsg:
		h.C.Width, h.C.Height = msg.Width, msg.Height
		h.Screen.SetSize(msg.Width, msg.Height-3)
		return h, nil
	case common.ErrorMsg:
		head, hint := common.Describe(msg.Err)
		h.Banner = "✗ " + msg.Op + " failed: " + head
		if hint != "" {
			h.Banner += " — " + hint
		}
		if tid := api.TrackingIDOf(msg.Err); tid != "" {
			h.Banner += " (trackingId " + tid + ")"
		}
		return h, nil
	case common.NoticeMsg:
		h.Notice = msg.Text
		return h, nil
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+c" || (msg.String() == "q" && !h.Screen.Capturing()) {
			return h, tea.Quit
		}
		if msg.String() == "esc" && h.Banner != "" && !h.Screen.Capturing() {
			h.Banner = ""
			return h, nil
		}
	}
	s, cmd := h.Screen.Update(msg)
	h.Screen = s
	return h, cmd
}

func (h *Host) View() tea.View {
	w := h.C.Width
	var b strings.Builder
	b.WriteString(format.Cut(h.Banner, w) + "\n")
	lines := strings.Split(h.Screen.View(), "\n")
	for i := range max(h.C.Height-3, 0) {
		if i < len(lines) {
			b.WriteString(format.Cut(lines[i], w))
		}
		b.WriteByte('\n')
	}
	if h.Notice != "" {
		b.WriteString(format.Cut("• "+h.Notice, w) + "\n")
	} else {
		hm := help.New()
		hm.SetWidth(w)
		b.WriteString(hm.ShortHelpView(h.Screen.KeyMap()) + "\n")
	}
	return tea.NewView(b.String())
}

// Journey drives a Host in a teatest program and reads its screen.
type Journey struct {
	t  *testing.T
	tm *teatest.TestModel
}

// StartJourney runs a new screen on sess in a teatest program (no colour, w×h).
func StartJourney(t *testing.T, sess *session.Session, newScreen func(*common.Common) common.Screen, w, h int) *Journey {
	t.Helper()
	c := common.New(t.Context(), sess, styles.New(true), nil, nil)
	hm := &Host{C: c, Screen: newScreen(c)}
	tm := teatest.NewTestModel(t, hm, teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	t.Cleanup(func() { _ = tm.Quit() })
	return &Journey{t: t, tm: tm}
}

// Inspect runs fn on the host inside the program's loop.
func (j *Journey) Inspect(fn func(*Host)) {
	j.t.Helper()
	done := make(chan struct{})
	j.tm.Send(probeMsg{fn: fn, done: done})
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		j.t.Fatal("the program did not answer the probe")
	}
}

// Screen is what the host shows now, without styling.
func (j *Journey) Screen() string {
	var s string
	j.Inspect(func(h *Host) { s = ansi.Strip(h.View().Content) })
	return s
}

// WaitFor waits until cond holds for the screen and returns it.
func (j *Journey) WaitFor(what string, cond func(string) bool) string {
	j.t.Helper()
	return WaitFor(j.t, what, j.Screen, cond)
}

// WaitText waits until the screen shows every string.
func (j *Journey) WaitText(want ...string) string {
	j.t.Helper()
	return WaitText(j.t, j.Screen, want...)
}

// Idle waits until no request is in flight.
func (j *Journey) Idle() {
	j.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var busy bool
		j.Inspect(func(h *Host) { busy, _ = h.C.Busy() })
		if !busy {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	j.t.Fatal("requests still in flight")
}

// Press sends keys, letting each settle (huh moves between fields with a command).
func (j *Journey) Press(keys ...string) {
	for _, k := range keys {
		j.tm.Send(Key(k))
		time.Sleep(15 * time.Millisecond)
	}
}

// TypeText sends the key presses of typing s.
func (j *Journey) TypeText(s string) {
	for _, k := range Type(s) {
		j.tm.Send(k)
	}
	time.Sleep(15 * time.Millisecond)
}

// Quit presses ctrl+c and waits for the program to end.
func (j *Journey) Quit() {
	j.t.Helper()
	j.tm.Send(Key("ctrl+c"))
	j.tm.WaitFinished(j.t, teatest.WithFinalTimeout(5*time.Second))
}

// WaitBanner waits until the error banner holds every string (the banner line on screen is
// cut to the width; this reads it whole).
func (j *Journey) WaitBanner(want ...string) {
	j.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var b string
	for time.Now().Before(deadline) {
		j.Inspect(func(h *Host) { b = h.Banner })
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
