package datasources

import (
	"context"

	tea "charm.land/bubbletea/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/fleet"
	"github.com/byova/byova/session"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
	fixture "github.com/byova/byova/ui/uitest"
)

// fakeScreen is the screen against the fake Webex, loaded.
func fakeScreen(t *testing.T) (*Screen, *webexfake.Server) {
	t.Helper()
	fixture.Isolate(t)
	fake, sess := fixture.FakeSession(t, webexfake.Options{Seed: 1})
	c := common.New(context.Background(), sess, styles.New(true), nil, time.Now)
	s := New(c)
	s.SetSize(100, 30)
	r, ok := fixture.FindReply[loadedMsg](fixture.Run(s.Init()))
	msg := r.Payload
	if !ok || r.Err != nil {
		t.Fatalf("load: %+v %v", msg, r.Err)
	}
	s.Update(r)
	if s.tbl.Len() < 5 {
		t.Fatalf("the fake lists %d data sources, want 5 or more", s.tbl.Len())
	}
	fake.ResetRequests()
	return s, fake
}

// settle runs cmd and feeds the screen its own results until nothing more comes, as the
// runtime would; it returns the rest (notices, errors) for the test.
func settle(s *Screen, cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	for cmd != nil {
		var next []tea.Cmd
		for _, m := range fixture.DrainScreen(s, cmd) {
			switch m.(type) {
			case common.Answer, bulkResultMsg:
				_, c := s.Update(m)
				next = append(next, c)
			default:
				out = append(out, m)
			}
		}
		cmd = tea.Batch(next...)
	}
	return out
}

// gutterMarks counts the rows whose mark column holds glyph.
func gutterMarks(v, glyph string) int {
	n := 0
	for _, l := range strings.Split(v, "\n") {
		if r := []rune(l); len(r) > 1 && string(r[1]) == glyph {
			n++
		}
	}
	return n
}

// puts lists the data source ids the fake got a PUT for.
func puts(fake *webexfake.Server) []string {
	var ids []string
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPut && strings.HasPrefix(r.Path, "/v1/dataSources/") {
			ids = append(ids, strings.TrimPrefix(r.Path, "/v1/dataSources/"))
		}
	}
	slices.Sort(ids)
	return ids
}

func TestMarkThreeAndExtendExactlyThose(t *testing.T) {
	s, fake := fakeScreen(t)
	fixture.Press(s, "j")
	var want []string
	for p := 1; p <= 3; p++ {
		want = append(want, s.tbl.At(p).ds.ID)
	}
	slices.Sort(want)
	fixture.Press(s, "space", "space", "space")
	v := fixture.View(s)
	if !strings.Contains(v, "3 marked") || gutterMarks(v, glyphMarked) != 3 {
		t.Fatalf("three marks and the count show:\n%s", v)
	}
	fixture.Press(s, "x")
	if s.mode != modeConfirm || !strings.Contains(fixture.View(s), "Extend 3 tokens (marked)?") || strings.Count(fixture.View(s), "→") != 3 {
		t.Fatalf("x asks once, listing the three with old → new expiry:\n%s", fixture.View(s))
	}
	if got := puts(fake); len(got) != 0 {
		t.Fatalf("nothing is sent before the answer: %v", got)
	}
	out := settle(s, fixture.Press(s, "y"))
	if got := puts(fake); !slices.Equal(got, want) {
		t.Fatalf("PUTs for %v, want exactly the marked %v", got, want)
	}
	if n, ok := fixture.Find[common.NoticeMsg](out); !ok || n.Text != "extended 3 of 3" {
		t.Errorf("the run ends with a tally: %+v", n)
	}
	if s.markCount() != 0 || s.bulk != nil {
		t.Errorf("extended rows are unmarked: %d marked, run %+v", s.markCount(), s.bulk)
	}
	if v := fixture.View(s); gutterMarks(v, styles.GlyphOK) != 3 || strings.Contains(v, "marked ·") {
		t.Errorf("done rows show ✓, the count is gone:\n%s", v)
	}
}

func TestBulkRunsAFewAtATime(t *testing.T) {
	s := newScreen(t, 100, 30)
	s.c.NewNonce = fixture.Nonces()
	loaded(s, fixture.DataSources())
	fixture.Press(s, "space", "space", "space", "space", "space", "x")
	_, cmd := s.Update(fixture.Key("y"))
	if cmd == nil || s.bulk == nil || s.bulk.total != 5 {
		t.Fatalf("after y: %+v, want one run of 5", s.bulk)
	}
	if busy, what := s.c.Busy(); !busy || what != "extending tokens" {
		t.Fatalf("one request for the run: %v %q", busy, what)
	}
	if !strings.Contains(fixture.View(s), "extending 0/5") || gutterMarks(fixture.View(s), glyphWaiting) != 5 {
		t.Fatalf("progress shows per row and in the title:\n%s", fixture.View(s))
	}
	// No session: each extend fails at once with a reason, one row each, as fleet's Run
	// reports them; each result shows on its row as it lands.
	first, ok := cmd().(bulkResultMsg)
	if !ok {
		t.Fatal("the run's first message is its first result")
	}
	_, cmd = s.Update(first)
	if !strings.Contains(fixture.View(s), "extending 1/5") || s.marks[first.r.ID].state != failed || gutterMarks(fixture.View(s), glyphWaiting) != 4 {
		t.Fatalf("one result, one row:\n%s", fixture.View(s))
	}
	out := settle(s, cmd)
	if e, ok := fixture.Find[common.ErrorMsg](out); !ok || !strings.Contains(e.Err.Error(), "5 failed") {
		t.Fatalf("the run ends with the failures counted: %+v", e)
	}
	if s.markCount() != 5 || len(s.failures()) != 5 {
		t.Fatalf("failures stay marked: %d marked, %d failures", s.markCount(), len(s.failures()))
	}
	v := fixture.View(s)
	if strings.Count(v, styles.GlyphError+" ") < maxFailLines || !strings.Contains(v, "2 more failed") {
		t.Errorf("the reasons show under the list:\n%s", v)
	}
	if lines := strings.Count(v, "\n") + 1; lines > 30 {
		t.Errorf("the panel fits the body: %d lines", lines)
	}
}

func TestBulkFailureStaysMarkedWithReason(t *testing.T) {
	s, fake := fakeScreen(t)
	bad := s.tbl.At(1).ds.ID
	fake.InjectFault(webexfake.Fault{Method: http.MethodPut, Path: "/v1/dataSources/" + bad, Status: 400, Message: "url is not reachable"})
	fixture.Press(s, "space", "space", "x")
	out := settle(s, fixture.Press(s, "y"))
	if _, ok := fixture.Find[common.ErrorMsg](out); !ok {
		t.Fatal("a run with a failure ends in an error")
	}
	m := s.marks[bad]
	if m == nil || m.state != failed || !strings.Contains(m.reason, "url is not reachable") {
		t.Fatalf("the failed row stays marked with Webex's reason: %+v", m)
	}
	if s.markCount() != 1 || !strings.Contains(fixture.View(s), "url is not reachable") {
		t.Fatalf("one stays marked and its reason shows:\n%s", fixture.View(s))
	}
	fake.ResetRequests()
	fixture.Press(s, "x")
	settle(s, fixture.Press(s, "y"))
	if got := puts(fake); !slices.Equal(got, []string{bad}) {
		t.Fatalf("x again retries only the failure: %v", got)
	}
}

// Issue 19: cancelling X left its rows marked, so the next x extended them, not the selected
// row. Cancel puts the marks back as they were, a mark made before X included.
func TestCancelledXRestoresTheMarks(t *testing.T) {
	s := newScreen(t, 100, 30)
	loaded(s, fixture.DataSources())
	last := s.tbl.At(s.tbl.Len() - 1).ds.ID // expires last: X does not pick it
	fixture.Press(s, "G", "space")          // marked by hand, before X
	fixture.Press(s, "g")
	fixture.Press(s, "X")
	if s.markCount() != 3 {
		t.Fatalf("X adds its 2 to the 1 marked: %d", s.markCount())
	}
	fixture.Press(s, "esc")
	if s.mode == modeConfirm || s.markCount() != 1 || s.marks[last] == nil || s.marks[last].state != marked {
		t.Fatalf("cancelled X: marks %v, want only the one made by hand", s.marks)
	}
	fixture.Press(s, "space") // unmark nothing: mark the selected row, then clear them all
	fixture.Press(s, "esc")
	if s.markCount() != 0 {
		t.Fatalf("esc clears the marks: %d", s.markCount())
	}
	fixture.Press(s, "X", "n", "x")
	if !strings.Contains(fixture.View(s), "Extend the token of ") {
		t.Fatalf("after a cancelled X, x extends the selected row:\n%s", fixture.View(s))
	}
}

// Webex's 429 stops the rest of the run (fleet's backoff rule): the rows still waiting are
// not sent, and stay marked saying why. How many of the first fleet.Parallel had started when
// the first 429 landed is the scheduler's business; the fifth waits for a slot, so it never is.
func TestBulkStopsOnThrottling(t *testing.T) {
	s, fake := fakeScreen(t)
	fake.InjectFault(webexfake.Fault{Method: http.MethodPut, Path: "/v1/dataSources/", Status: http.StatusTooManyRequests, RetryAfter: "0", Times: 1000})
	fixture.Press(s, "space", "space", "space", "space", "space", "x")
	settle(s, fixture.Press(s, "y"))
	sent := map[string]bool{}
	for _, id := range puts(fake) {
		sent[id] = true
	}
	if len(sent) == 0 || len(sent) > fleet.Parallel {
		t.Fatalf("PUTs to %d sources, want 1 to %d (those in flight when the 429 came)", len(sent), fleet.Parallel)
	}
	notTried, throttled := 0, 0
	for id, m := range s.marks {
		switch {
		case m.state == failed && strings.Contains(m.reason, "not tried"):
			notTried++
			if sent[id] {
				t.Errorf("%s was sent, and its row says not tried", id)
			}
		case m.state == failed && strings.Contains(m.reason, "rate limited"):
			throttled++
		}
	}
	if s.markCount() != 5 || notTried != 5-len(sent) || throttled != len(sent) {
		t.Fatalf("%d marked, %d not tried, %d throttled; want 5 marked, %d not tried, %d throttled: %v",
			s.markCount(), notTried, throttled, 5-len(sent), len(sent), s.failures())
	}
}

func TestExtendDueUsesTheWindow(t *testing.T) {
	s := newScreen(t, 100, 30)
	loaded(s, fixture.DataSources())
	// The fixture has one expired token and one expiring in 25 minutes.
	fixture.Press(s, "X")
	if s.mode != modeConfirm || !strings.Contains(fixture.View(s), "Extend 2 tokens (expiring within 3h00m)?") {
		t.Fatalf("X asks for every token within the default %v:\n%s", config.DefaultExtendWithin, fixture.View(s))
	}
	if s.markCount() != 2 {
		t.Errorf("X marks what it picked: %d", s.markCount())
	}
	fixture.Press(s, "n")
	if s.markCount() != 0 {
		t.Errorf("cancelled, X's marks go: %d", s.markCount())
	}
	s.c.Session = &session.Session{Settings: config.Settings{ExtendWithin: 10 * time.Minute}}
	fixture.Press(s, "X")
	if !strings.Contains(fixture.View(s), "Extend 1 token (expiring within 10m)?") {
		t.Fatalf("X takes the profile's extend_within:\n%s", fixture.View(s))
	}
	fixture.Press(s, "n", "esc")
	s.c.Session.Settings.ReadOnly = true
	fixture.Press(s, "X")
	if s.mode == modeConfirm {
		t.Error("read-only: X sends nothing")
	}
}

// A run answered after an org switch changes nothing shown, and is not dropped in silence:
// the notice says what it did in the previous org.
func TestBulkAfterASwitchIsReported(t *testing.T) {
	s, fake := fakeScreen(t)
	fixture.Press(s, "space", "space", "x")
	_, run := s.Update(fixture.Key("y"))
	for _, m := range fixture.Run(s.c.SwitchOrg("11111111-2222-4333-8444-555555555555")) {
		s.Update(m)
	}
	s.tbl.set(nil, nil) // whatever the new org's load brings, the old run must not touch it
	out := settle(s, run)
	if got := len(puts(fake)); got != 2 {
		t.Fatalf("the run went on in its own org: %d PUTs", got)
	}
	if n, ok := fixture.Find[common.NoticeMsg](out); !ok || n.Text != "extended 2 of 2 in the previous org" {
		t.Fatalf("the run is reported as the previous org's: %+v (%v)", n, out)
	}
	if s.tbl.Len() != 0 || len(s.marks) != 0 {
		t.Fatalf("nothing of the old run shows: %d rows, marks %v", s.tbl.Len(), s.marks)
	}
}

// A run that stops before every job (its time ran out, or the program is stopping) says how
// many were not tried, as an error: it never reads as "extended 0 of 5" and done.
func TestBulkStoppedSaysWhatWasNotTried(t *testing.T) {
	fixture.Isolate(t)
	_, sess := fixture.FakeSession(t, webexfake.Options{Seed: 1})
	ctx, cancel := context.WithCancel(context.Background())
	c := common.New(ctx, sess, styles.New(true), nil, time.Now)
	s := New(c)
	s.SetSize(100, 30)
	r, ok := fixture.FindReply[loadedMsg](fixture.Run(s.Init()))
	if !ok || r.Err != nil {
		t.Fatalf("load: %v", r.Err)
	}
	s.Update(r)
	fixture.Press(s, "space", "space", "space", "space", "space", "x")
	cancel() // the run's context ends before it starts anything
	var banner string
	for _, m := range settle(s, fixture.Press(s, "y")) {
		if e, ok := m.(common.ErrorMsg); ok {
			banner = e.Err.Error()
		}
	}
	if !strings.Contains(banner, "5 not tried") {
		t.Fatalf("the stopped run's banner is %q, want it to say 5 not tried", banner)
	}
	if s.markCount() != 5 {
		t.Errorf("%d rows stay marked, want the 5 not tried, for the next x", s.markCount())
	}
}
