package tui

import (
	"context"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/screens/webhooks"
	"github.com/byova/byova/ui/common"
	fixture "github.com/byova/byova/ui/uitest"
)

// recorder is a screen that keeps the messages it is given.
type recorder struct {
	common.Screen
	got []tea.Msg
}

func (r *recorder) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	r.got = append(r.got, msg)
	return r, nil
}

// TestResultGoesToTheScreenThatAsked: the answer to a request screen 3 (webhooks) owns reaches
// screen 3 alone, while screen 1 is the active one; the others hear only that a request ended.
func TestResultGoesToTheScreenThatAsked(t *testing.T) {
	m := newWith(context.Background(), Options{}, fixture.Clock)
	recs := make([]*recorder, len(m.screens))
	for i, s := range m.screens {
		recs[i] = &recorder{Screen: s}
		m.screens[i] = recs[i]
	}
	if m.Active() != ScreenDataSources {
		t.Fatalf("screen %d is active, want the first", m.Active()+1)
	}
	env := m.c.BeginFor(webhooks.Owner, common.KindLoad, "asking")
	id := env.ID
	ans := common.Reply[string]{Envelope: env, Payload: "the answer"}
	m.Update(ans)
	for i, r := range recs {
		want := tea.Msg(common.RequestEndedMsg{ID: id})
		if i == ScreenWebhooks {
			want = ans
		}
		if len(r.got) != 1 || r.got[0] != want {
			t.Errorf("screen %d got %v, want only %v", i+1, r.got, want)
		}
	}
	if busy, _ := m.c.Busy(); busy {
		t.Error("the request is still in flight")
	}
	// An answer nobody registered (or already finished) still reaches every screen.
	m.Update(ans)
	for i, r := range recs {
		if len(r.got) != 2 || r.got[1] != tea.Msg(ans) {
			t.Errorf("screen %d: an unknown answer is broadcast, got %v", i+1, r.got)
		}
	}
}
