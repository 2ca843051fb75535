package uitest

import (
	"bytes"
	"reflect"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// Patience bounds every wait of a journey: a condition that has not come true by then is a
// failure, not a reason to wait longer. Waits end as soon as the condition holds. A variable
// only so benchmarks at fleet sizes (100k rows built by the fixture server) can allow more.
var Patience = 10 * time.Second

// Program runs a model in a teatest program (the real runtime: commands on their own
// goroutines, keys in order) and lets a test look inside it from the program's loop. Waits are
// woken by the model's updates, never by a clock: the test checks its condition after each
// message the model takes, so nothing sleeps and nothing polls.
type Program[M tea.Model] struct {
	t  testing.TB
	TM *teatest.TestModel
	w  *watched

	// Seen, when set, gets every screen the test looked at (a secrets check reads them all).
	Seen func(screen string)
}

// watched is the model the program runs: the test's model, plus the probe, the wake-up and
// the count of the model's commands still running (timers left out), so a test can wait until
// every command has answered without guessing how long that takes.
type watched struct {
	m       tea.Model
	changed chan struct{}
	running atomic.Int64
	// executing counts the commands whose function has not returned yet: after the program
	// quits their messages are never taken, but they may still be writing the test's files.
	executing atomic.Int64
}

// drain waits, at most for patience, until no command of the model is still executing, so a
// test's temporary folders are removed after the last write into them, not during it.
func (w *watched) drain(patience time.Duration) {
	deadline := time.NewTimer(patience)
	defer deadline.Stop()
	for w.executing.Load() > 0 {
		select {
		case <-w.changed:
		case <-deadline.C:
			return
		}
	}
}

func (w *watched) wake() {
	select {
	case w.changed <- struct{}{}:
	default: // a wake-up is already pending; the waiter looks at the newest state anyway
	}
}

// track counts cmd until the model has taken its message. The commands of a batch or
// sequence it returns are counted before it stops counting, so the count never drops to 0 on
// the way; any other message is followed, in order, by answeredMsg, which Update counts down.
func (w *watched) track(cmd tea.Cmd) tea.Cmd {
	if cmd == nil || IsTimer(cmd) || isFramework(cmd) {
		return cmd
	}
	w.running.Add(1)
	return func() tea.Msg {
		w.executing.Add(1)
		defer func() { w.executing.Add(-1); w.wake() }()
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for i := range b {
				b[i] = w.track(b[i])
			}
		} else if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
			for i := range v.Len() { // tea.Sequence's unexported message
				if c, _ := v.Index(i).Interface().(tea.Cmd); c != nil {
					v.Index(i).Set(reflect.ValueOf(w.track(c)))
				}
			}
		} else if msg != nil {
			return tea.Sequence(func() tea.Msg { return msg }, func() tea.Msg { return answeredMsg{} })()
		}
		w.running.Add(-1)
		w.wake()
		return msg
	}
}

// frameworkFunc matches the commands of the TUI libraries themselves (huh's group and field
// set-up, a window size request): no request of the app's, and a real runtime may run them
// late, behind a cursor's blink in a sequence (huh's Init is one), so they are not waited for.
var frameworkFunc = regexp.MustCompile(`^charm\.land/(huh|bubbletea|bubbles)/v2[./]`)

func isFramework(cmd tea.Cmd) bool { return frameworkFunc.MatchString(funcName(cmd)) }

// answeredMsg follows a tracked command's message: the model has taken it.
type answeredMsg struct{}

type probeMsg struct {
	fn   func(tea.Model)
	done chan struct{}
}

func (w *watched) Init() tea.Cmd  { return w.track(w.m.Init()) }
func (w *watched) View() tea.View { return w.m.View() }
func (w *watched) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case probeMsg:
		msg.fn(w.m)
		close(msg.done)
		return w, nil
	case answeredMsg:
		w.running.Add(-1)
		w.wake()
		return w, nil
	}
	m, cmd := w.m.Update(msg)
	w.m = m
	w.wake()
	return w, w.track(cmd)
}

// StartProgram runs m in a teatest program of w×h with opts.
func StartProgram[M tea.Model](t testing.TB, m M, w, h int, opts ...tea.ProgramOption) *Program[M] {
	t.Helper()
	wm := &watched{m: m, changed: make(chan struct{}, 1)}
	tm := teatest.NewTestModel(t, wm, teatest.WithInitialTermSize(w, h), teatest.WithProgramOptions(opts...))
	// Cleanups run last-registered first: this one runs before the removal of any temporary
	// folder the test made before starting the program, and waits for the commands still
	// writing into it (a cache, a token, the audit log) after the program has quit.
	t.Cleanup(func() { _ = tm.Quit(); wm.drain(Patience) })
	return &Program[M]{t: t, TM: tm, w: wm}
}

// Inspect runs fn on the model inside the program's loop, so it sees a consistent state.
func (p *Program[M]) Inspect(fn func(M)) {
	p.t.Helper()
	done := make(chan struct{})
	p.TM.Send(probeMsg{fn: func(m tea.Model) { fn(m.(M)) }, done: done})
	select {
	case <-done:
	case <-time.After(Patience):
		p.t.Fatal("the program did not answer the probe")
	}
}

// Screen is what the model shows now, without styling.
func (p *Program[M]) Screen() string {
	var s string
	p.Inspect(func(m M) { s = ansi.Strip(m.View().Content) })
	if p.Seen != nil {
		p.Seen(s)
	}
	return s
}

// Until waits until cond holds, checking it now and after every message the model takes.
// what names the condition in the failure, with detail's answer then.
func (p *Program[M]) Until(what string, cond func() bool, detail func() string) {
	p.t.Helper()
	deadline := time.NewTimer(Patience)
	defer deadline.Stop()
	for !cond() {
		select {
		case <-p.w.changed:
		case <-deadline.C:
			msg := "waiting for " + what
			if detail != nil {
				msg += "; the screen is:\n" + detail()
			}
			p.t.Fatal(msg)
		}
	}
}

// Settle waits until every command the model started has answered (timers are not
// counted), and the model has taken the answers.
func (p *Program[M]) Settle() {
	p.t.Helper()
	p.Until("the commands to answer", func() bool { return p.w.running.Load() == 0 }, p.Screen)
}

// WaitFor waits until cond holds for the screen and returns that screen.
func (p *Program[M]) WaitFor(what string, cond func(string) bool) string {
	p.t.Helper()
	var last string
	p.Until(what, func() bool { last = p.Screen(); return cond(last) }, func() string { return last })
	return last
}

// WaitText waits until the screen shows every string of want.
func (p *Program[M]) WaitText(want ...string) string {
	p.t.Helper()
	return p.WaitFor(strings.Join(want, ", "), func(s string) bool {
		for _, w := range want {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	})
}

// Press sends keys; the program takes them in order. A form holds the keys typed while it
// moves between fields (ui/formhost), so nothing needs to wait between them.
func (p *Program[M]) Press(keys ...string) {
	for _, k := range keys {
		p.TM.Send(Key(k))
	}
}

// TypeText sends the key presses of typing s.
func (p *Program[M]) TypeText(s string) {
	for _, k := range Type(s) {
		p.TM.Send(k)
	}
}

// Quit presses ctrl+c, waits for the program to end and returns everything it drew.
func (p *Program[M]) Quit() []byte {
	p.t.Helper()
	p.Press("ctrl+c")
	p.TM.WaitFinished(p.t, teatest.WithFinalTimeout(Patience))
	var b bytes.Buffer
	_, _ = b.ReadFrom(p.TM.FinalOutput(p.t, teatest.WithFinalTimeout(time.Second)))
	return b.Bytes()
}
