package datasources

import (
	"math"
	"testing"
	"time"

	"github.com/byova/byova/ui/common"
	fixture "github.com/byova/byova/ui/uitest"
)

// TestExpiryWarnsByLifetime is bug 7: "! <1h 24m58s" read as "less than 1h24m", and a
// 60-minute token was flagged right after it was extended.
func TestExpiryWarnsByLifetime(t *testing.T) {
	now := time.Date(2026, 3, 14, 15, 0, 0, 0, time.UTC)
	at := func(d time.Duration) int64 { return now.Add(d).Unix() }
	for _, tc := range []struct {
		name     string
		exp      int64
		lifetime time.Duration
		want     string
	}{
		{"60-minute token just extended", at(60 * time.Minute), time.Hour, "  1h00m"},
		{"60-minute token with 24m58s left", at(24*time.Minute + 58*time.Second), time.Hour, "! 24m"},
		{"24h token with 24m58s left", at(24*time.Minute + 58*time.Second), 24 * time.Hour, "! 24m"},
		{"24h token with 1h24m58s left", at(time.Hour + 24*time.Minute + 58*time.Second), 24 * time.Hour, "  1h24m"},
		{"under ten minutes: seconds", at(9*time.Minute + 5*time.Second), 24 * time.Hour, "! 9m05s"},
		{"unknown lifetime: the window", at(50 * time.Minute), 0, "! 50m"},
		{"expired", at(-time.Second), time.Hour, "✗ expired"},
		{"unknown expiry", math.MaxInt64, time.Hour, "? unknown"},
	} {
		state, left := classify(tc.exp, tc.lifetime, time.Hour, now)
		if got := expiryText(state, left); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	// A wider window (warn_within = "2h") flags a 24h token earlier.
	if state, _ := classify(at(90*time.Minute), 24*time.Hour, 2*time.Hour, now); state != expirySoon {
		t.Error("warn_within 2h does not flag a token with 90m left")
	}
}

// A token that expires while /expired is on joins the rows shown at the next tick, not only
// when the filter is typed again.
func TestExpiringRowJoinsTheExpiredFilterOnTick(t *testing.T) {
	s := newScreen(t, 100, 20)
	now := fixture.Now
	s.c.Clock = func() time.Time { return now }
	loaded(s, fixture.DataSources())
	fixture.Press(s, "/")
	for _, r := range "expired" {
		fixture.Press(s, string(r))
	}
	fixture.Press(s, "enter")
	before := s.tbl.Len()
	now = now.Add(26 * time.Minute) // the 25-minute token has expired
	s.Update(common.TickMsg{Time: now})
	if got := s.tbl.Len(); got != before+1 {
		t.Fatalf("/expired shows %d rows after the tick, want %d:\n%s", got, before+1, fixture.View(s))
	}
}
