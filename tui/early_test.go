package tui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	fixture "github.com/byova/byova/ui/uitest"
)

// startEarly runs a batch's commands before the program asks for them, and hands each answer
// over when asked; a panic comes out where the program runs the command.
func TestStartEarlyRunsTheBatchNow(t *testing.T) {
	ran := make(chan string, 2)
	cmd := func(name string) tea.Cmd {
		return func() tea.Msg { ran <- name; return name }
	}
	early := startEarly(tea.Batch(cmd("list"), cmd("org name")))
	got := map[string]bool{}
	for range 2 {
		select {
		case n := <-ran:
			got[n] = true
		case <-time.After(10 * time.Second):
			t.Fatalf("only %v ran before the program asked", got)
		}
	}
	b, ok := early().(tea.BatchMsg)
	if !ok || len(b) != 2 {
		t.Fatalf("answer %#v, want a batch of 2", b)
	}
	answers := map[tea.Msg]bool{}
	for _, c := range b {
		answers[c()] = true
	}
	if !answers["list"] || !answers["org name"] {
		t.Errorf("answers %v, want list and org name", answers)
	}
	if startEarly(nil) != nil {
		t.Error("startEarly(nil) is not nil")
	}

	boom := startEarly(func() tea.Msg { panic("boom") })
	defer func() {
		if r := recover(); r != "boom" {
			t.Errorf("recovered %v, want boom", r)
		}
	}()
	boom()
	t.Error("the panic did not come out of the command")
}

// The program's call of Init takes the commands Run started; a model built without Run
// starts its own.
func TestInitTakesStartedCommands(t *testing.T) {
	m := newWith(t.Context(), Options{Demo: true}, nil)
	marker := func() tea.Msg { return "started" }
	m.started = marker
	if c := m.Init(); c == nil || c() != "started" {
		t.Fatal("Init did not hand over the started commands")
	}
	if m.started != nil {
		t.Error("the started commands are kept after Init took them")
	}
}

// The other screens' first loads wait for the first screen's first answer, or for the person
// to move to another screen first, whichever key moved them there (o opens the picker on
// screen 4 through a path that once dropped the loads).
func TestOtherScreensLoadOnceTheFirstIsLeft(t *testing.T) {
	for _, k := range []string{"3", "o", "tab"} {
		m := newWith(t.Context(), Options{Demo: true}, nil)
		m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		if m.Init() == nil || !m.waiting {
			t.Fatalf("%s: the other screens' loads do not wait for the first screen's answer", k)
		}
		if _, cmd := m.Update(fixture.Key(k)); cmd == nil || m.waiting {
			t.Errorf("%s moved to screen %d and the other screens' loads did not start", k, m.active+1)
		}
	}
}

// Run's firstShown (it gives back the collector's setting) waits for the first screen's first
// answer, then for a frame delay after it, and runs once.
func TestFirstShownRunsOnceAfterTheFirstAnswer(t *testing.T) {
	srv := fixture.NewServer()
	t.Cleanup(srv.Close)
	srv.SetSpecs(fixture.ManySpecs(3))
	sess := fixture.ServerSession(t, srv.URL+"/v1", false)
	m := newWith(t.Context(), Options{Session: sess}, fixture.Clock)
	calls := 0
	m.firstShown = func() { calls++ }
	d := fixture.NewDriver(t, func(msg tea.Msg) tea.Cmd { _, cmd := m.Update(msg); return cmd })
	d.Send(tea.WindowSizeMsg{Width: 100, Height: 30})
	d.Launch(m.Init())
	if m.firstShownDue || calls != 0 {
		t.Fatalf("before any answer: due %v, %d calls", m.firstShownDue, calls)
	}
	d.Settle()
	if !m.firstShownDue {
		t.Fatal("the first answer did not schedule firstShown")
	}
	if calls != 0 {
		t.Fatal("firstShown ran with the answer, before its frame could be on the terminal")
	}
	m.Update(firstShownMsg{})
	m.Update(firstShownMsg{})
	if calls != 1 {
		t.Errorf("firstShown ran %d times, want once", calls)
	}
}
