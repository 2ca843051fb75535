package uitest

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

type ping struct{ n int }

func TestDrainRunsTheTreeAndLeavesTimers(t *testing.T) {
	msg := func(n int) tea.Cmd { return func() tea.Msg { return ping{n} } }
	timer := tea.Tick(time.Hour, func(time.Time) tea.Msg { return ping{99} })
	cmd := tea.Batch(msg(1), tea.Sequence(msg(2), msg(3)), timer)
	start := time.Now()
	out := Drain(func(tea.Msg) tea.Cmd { return nil }, cmd)
	if len(out) != 3 {
		t.Fatalf("messages %v, want pings 1, 2 and 3 and no timer", out)
	}
	if _, ok := Find[ping](out); !ok {
		t.Error("Find found no ping")
	}
	if time.Since(start) > time.Second {
		t.Error("Drain waited for the timer")
	}
	if got := Run(msg(7)); len(got) != 1 || got[0].(ping).n != 7 {
		t.Errorf("Run = %v", got)
	}
}

func TestTimersAndBundlesAreKnownByTheirFunction(t *testing.T) {
	msg := func() tea.Msg { return ping{1} }
	if !IsTimer(tea.Tick(time.Hour, func(time.Time) tea.Msg { return nil })) || !IsTimer(tea.Every(time.Hour, func(time.Time) tea.Msg { return nil })) {
		t.Error("tea.Tick and tea.Every make timers")
	}
	if IsTimer(msg) || IsTimer(tea.Batch(msg, msg)) {
		t.Error("a command that answers is no timer")
	}
	if !isBundle(tea.Batch(msg, msg)) || !isBundle(tea.Sequence(msg, msg)) || isBundle(msg) {
		t.Error("batches and sequences are bundles, nothing else")
	}
}
