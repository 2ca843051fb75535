package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/ui/common"
	fixture "github.com/byova/byova/ui/uitest"
)

// TestQuietWhenIdle: nothing under ten minutes on screen, the next tick is on the minute;
// once a countdown shows seconds, on the second; a replaced tick arriving late does nothing.
func TestQuietWhenIdle(t *testing.T) {
	srv := fixture.NewServer()
	defer srv.Close()
	d := newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), NoColor: true}, 100, 30)
	now := d.m.c.Now()
	// Screen 4 reloads on the tick after a request ends (it needs seconds until then).
	if !d.m.needsSeconds(now) {
		t.Fatal("a reload is due on screen 4, yet no tick each second")
	}
	d.update(common.TickMsg{Time: now})
	d.settle()
	d.m.notice = ""
	d.m.c.TokenExpiry = now.Add(45 * time.Minute)
	d.m.tickDue = time.Time{}
	// The fixture has a data source 25 minutes from expiry and none under ten: minutes.
	if d.m.needsSeconds(now) {
		t.Fatal("nothing under ten minutes, yet seconds are asked for")
	}
	if d.m.schedule(now) == nil || !d.m.tickDue.Equal(now.Truncate(time.Minute).Add(time.Minute)) {
		t.Fatalf("idle: next tick at %s, want the next whole minute after %s", d.m.tickDue, now)
	}
	stale := d.m.tickSeq

	// The header's token drops under ten minutes: the next tick comes forward to the second.
	d.m.c.TokenExpiry = now.Add(9 * time.Minute)
	if d.m.schedule(now) == nil || !d.m.tickDue.Equal(now.Truncate(time.Second).Add(time.Second)) {
		t.Fatalf("seconds shown: next tick at %s", d.m.tickDue)
	}
	// The minute tick, replaced, arrives: dropped, nothing scheduled, nothing broadcast.
	if _, cmd := d.m.Update(common.TickMsg{Time: now.Add(time.Minute), Seq: stale}); cmd != nil {
		t.Error("a replaced tick was acted on")
	}
	// The live one arrives: the header shows seconds, and the next tick is a second later.
	_, cmd := d.m.Update(common.TickMsg{Time: now.Add(time.Second), Seq: d.m.tickSeq})
	if cmd == nil || d.m.tickDue.IsZero() {
		t.Error("the live tick did not schedule the next one")
	}
	if !strings.Contains(d.plain(), "token 9m00s") {
		t.Errorf("header:\n%s", d.plain())
	}
}
