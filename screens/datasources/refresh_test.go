package datasources

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/session"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
	fixture "github.com/byova/byova/ui/uitest"
)

// liveScreen is the screen against the fake with the given profile settings and a clock the
// test moves; it returns the commands of the first load's answer too.
func liveScreen(t *testing.T, refresh time.Duration, bellOn bool) (*Screen, *webexfake.Server, *time.Time, *session.Session) {
	t.Helper()
	fixture.Isolate(t)
	fake, sess := fixture.FakeSession(t, webexfake.Options{Seed: 1})
	sess.Settings.Refresh, sess.Settings.Bell = refresh, bellOn
	now := time.Now()
	c := common.New(context.Background(), sess, styles.New(true), nil, func() time.Time { return now })
	s := New(c)
	s.SetSize(100, 30)
	reload(t, s, s.Init())
	return s, fake, &now, sess
}

// reload runs a load command and gives the screen its answer; it returns what the answer asked
// for, run (timers dropped).
func reload(t *testing.T, s *Screen, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	r, ok := fixture.FindReply[loadedMsg](fixture.Run(cmd))
	msg := r.Payload
	if !ok || r.Err != nil {
		t.Fatalf("load: %+v %v", msg, r.Err)
	}
	_, next := s.Update(r)
	return fixture.Run(next)
}

func TestRefreshReloadsOnItsTimer(t *testing.T) {
	s, fake, now, _ := liveScreen(t, time.Minute, true)
	if !strings.Contains(fixture.View(s), "refreshed just now") {
		t.Fatalf("the title says when the list was loaded:\n%s", fixture.View(s))
	}
	*now = now.Add(3*time.Minute + 59*time.Second)
	if !strings.Contains(fixture.View(s), "refreshed 3m ago") {
		t.Fatalf("whole minutes:\n%s", fixture.View(s))
	}
	armed := s.refreshSeq
	if _, cmd := s.Update(RefreshMsg{Seq: armed - 1}); cmd != nil {
		t.Fatal("a timer armed before the last load does nothing")
	}
	_, cmd := s.Update(RefreshMsg{Seq: armed})
	if cmd == nil {
		t.Fatal("the latest timer reloads")
	}
	reload(t, s, cmd)
	if n := fixture.Requests(fake, "GET", "/v1/dataSources"); n != 2 {
		t.Errorf("%d lists, want the first load and one refresh", n)
	}
	if s.refreshSeq == armed || !strings.Contains(fixture.View(s), "refreshed just now") {
		t.Errorf("the answer arms the next timer and resets the age:\n%s", fixture.View(s))
	}
}

func TestRefreshOff(t *testing.T) {
	s, _, _, _ := liveScreen(t, 0, true)
	_, cmd := s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{}, nil))
	for _, m := range fixture.Run(cmd) {
		if _, ok := m.(RefreshMsg); ok {
			t.Fatal("refresh = 0 arms no timer")
		}
	}
	if s.scheduleRefresh() != nil {
		t.Fatal("refresh = 0: no timer")
	}
}

func TestTokenEnteringTheWarningBandRaisesAnAlert(t *testing.T) {
	for _, bellOn := range []bool{true, false} {
		s, fake, _, _ := liveScreen(t, time.Minute, bellOn)
		// A token far from expiry is made to expire soon on the fake; the next refresh sees it.
		var target string
		for p := range s.tbl.View {
			if r := s.tbl.At(p); r.expiry > time.Now().Add(5*time.Hour).Unix() && r.active {
				target = r.ds.ID
				break
			}
		}
		if _, err := fake.ExpireDataSource(target, 20*time.Minute); err != nil {
			t.Fatal(err)
		}
		_, cmd := s.Update(RefreshMsg{Seq: s.refreshSeq})
		out := reload(t, s, cmd)
		raw, rang := fixture.Find[tea.RawMsg](out)
		if rang != bellOn || (rang && raw.Msg != bell) {
			t.Errorf("bell = %v: rang %v (%q)", bellOn, rang, raw.Msg)
		}
		v := fixture.View(s)
		if !strings.Contains(v, "expiring soon: ") || !strings.Contains(v, "X extends") {
			t.Fatalf("the alert line shows:\n%s", v)
		}
		// The same state at the next check is not news.
		_, cmd = s.Update(RefreshMsg{Seq: s.refreshSeq})
		if _, again := fixture.Find[tea.RawMsg](reload(t, s, cmd)); again {
			t.Error("the bell rings once per crossing")
		}
		fixture.Press(s, "esc")
		if strings.Contains(fixture.View(s), "expiring soon") {
			t.Error("esc dismisses the alert")
		}
	}
}

func TestAlertOnTheClockAlone(t *testing.T) {
	s := newScreen(t, 100, 30)
	loaded(s, fixture.DataSources())
	s.checkCrossings(fixture.Now) // the bands at load
	// MedDocVirtualAgent has 25 minutes left: past them, with no reload, it expires.
	s.c.Clock = func() time.Time { return fixture.Now.Add(26 * time.Minute) }
	_, cmd := s.Update(common.TickMsg{Time: s.c.Now()})
	if _, ok := fixture.Find[tea.RawMsg](fixture.Run(cmd)); !ok || !strings.Contains(fixture.View(s), "expired: MedDocVirtualAgent") {
		t.Fatalf("an expiry seen by the clock alerts too:\n%s", fixture.View(s))
	}
}
