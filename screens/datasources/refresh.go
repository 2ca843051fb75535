package datasources

import (
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/ui/styles"
)

// RefreshMsg is the live refresh's timer: the list reloads when the latest one arrives. Its
// type is the test's handle: tests drop it or feed it, and never wait for the interval.
type RefreshMsg struct{ Seq uint64 }

// bell rings the terminal bell (BEL): a person in another tmux window hears the alert.
const bell = "\a"

// crossCheckEvery spaces the clock-driven check for tokens crossing a band (a reload checks
// at once): it walks every row.
const crossCheckEvery = 10 * time.Second

// refreshEvery is the profile's interval (refresh); 0 is off.
func (s *Screen) refreshEvery() time.Duration {
	if s.c.Session == nil {
		return 0
	}
	return s.c.Session.Settings.Refresh
}

// scheduleRefresh arms the next reload, measured from the answer to the last one, so a slow
// Webex is never asked twice at once. An older timer still running is dropped when it fires.
func (s *Screen) scheduleRefresh() tea.Cmd {
	s.refreshSeq++
	d := s.refreshEvery()
	if d <= 0 {
		return nil
	}
	seq := s.refreshSeq
	return tea.Tick(d, func(time.Time) tea.Msg { return RefreshMsg{Seq: seq} })
}

func (s *Screen) onRefresh(msg RefreshMsg) tea.Cmd {
	if msg.Seq != s.refreshSeq {
		return nil // armed before a reload or an org switch that armed another
	}
	if s.Loading() {
		return nil // a load is under way; its answer arms the next timer
	}
	return s.load()
}

// refreshedText is the title's "refreshed 3m ago", in whole minutes.
func (s *Screen) refreshedText() string {
	if s.refreshedAt.IsZero() {
		return ""
	}
	m := int(s.c.Now().Sub(s.refreshedAt) / time.Minute)
	if m <= 0 {
		return " · refreshed just now"
	}
	return " · refreshed " + strconv.Itoa(m) + "m ago"
}

// refreshedShort is refreshedText in fewer words ("· now", "· 5m ago").
func (s *Screen) refreshedShort() string {
	if s.refreshedAt.IsZero() {
		return ""
	}
	m := int(s.c.Now().Sub(s.refreshedAt) / time.Minute)
	if m <= 0 {
		return " · now"
	}
	return " · " + strconv.Itoa(m) + "m ago"
}

// checkCrossings compares each token's expiry band with the one it was in at the last check and
// raises the alert (and the bell, unless the profile says bell = false) for every token that
// entered the warning band or expired since. A token seen for the first time raises nothing:
// opening byova on an org with an expired token is not news.
func (s *Screen) checkCrossings(now time.Time) tea.Cmd {
	s.lastCross = now
	seen := make(map[string]expiryState, len(s.tbl.Rows))
	var soonNames, expiredNames []string
	for i := range s.tbl.Rows {
		r := &s.tbl.Rows[i]
		state, _ := classify(r.expiry, lifetimeOf(r.ds), s.warnWindow(), now)
		seen[r.ds.ID] = state
		prev, had := s.bands[r.ds.ID]
		if !had || state <= prev || prev == expiryUnknown {
			continue
		}
		switch state {
		case expirySoon:
			soonNames = append(soonNames, name(r.ds))
		case expiryExpired:
			expiredNames = append(expiredNames, name(r.ds))
		}
	}
	s.bands = seen
	if len(soonNames)+len(expiredNames) == 0 {
		return nil
	}
	var parts []string
	if len(expiredNames) > 0 {
		parts = append(parts, styles.GlyphExpired+" expired: "+strings.Join(expiredNames, ", "))
	}
	if len(soonNames) > 0 {
		parts = append(parts, styles.GlyphSoon+" expiring soon: "+strings.Join(soonNames, ", "))
	}
	s.alert = now.Format("15:04") + " " + strings.Join(parts, "; ") + " (X extends, esc dismisses)"
	s.resizeList()
	if s.c.Session != nil && !s.c.Session.Settings.Bell {
		return nil
	}
	return tea.Raw(bell)
}

// alertLines is the alert at the top of the panel under the list.
func (s *Screen) alertLines() []string {
	if s.alert == "" {
		return nil
	}
	return []string{s.c.Styles.Error.Render(s.alert)}
}
