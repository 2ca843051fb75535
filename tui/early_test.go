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
