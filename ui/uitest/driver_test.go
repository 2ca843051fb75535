package uitest

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// TestDriverWaitsForEveryCommandAndNoTimer: Settle returns once every command launched (and
// the ones their answers start) has answered, SettleBut leaves the held ones, and a timer is
// never run.
func TestDriverWaitsForEveryCommandAndNoTimer(t *testing.T) {
	var got []int
	held := make(chan struct{})
	d := NewDriver(t, func(msg tea.Msg) tea.Cmd {
		p := msg.(ping)
		got = append(got, p.n)
		if p.n == 1 { // the answer to the first starts another request
			return func() tea.Msg { return ping{2} }
		}
		return nil
	})
	d.Launch(tea.Batch(
		func() tea.Msg { return ping{1} },
		func() tea.Msg { <-held; return ping{3} },
		tea.Tick(time.Hour, func(time.Time) tea.Msg { return ping{99} }),
	))
	d.SettleBut(1)
	if len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Fatalf("got %v before the held one, want [1 2]", got)
	}
	close(held)
	start := time.Now()
	d.Settle()
	if len(got) != 3 || got[2] != 3 || time.Since(start) > time.Second {
		t.Fatalf("got %v, want the held answer too and no timer", got)
	}
}
