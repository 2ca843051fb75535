package datasources

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/gateway"
	"github.com/byova/byova/gateway/gatewayfake"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
	fixture "github.com/byova/byova/ui/uitest"
)

// endpointScreen is the screen on the fake Webex with a fake gateway beside it, its Voice
// Virtual Agent sources pointed at it, and the cursor on a probeable one.
func endpointScreen(t *testing.T, readOnly bool) (*Screen, *gatewayfake.Server, func(tea.Cmd)) {
	t.Helper()
	fixture.Isolate(t)
	fake, sess := fixture.FakeSession(t, webexfake.Options{Seed: 1})
	sess.Settings.ReadOnly = readOnly
	ag, err := gatewayfake.Start("127.0.0.1:0", gatewayfake.Options{JWKSURL: fake.Creds().JWKSURL, Utterance: 100 * time.Millisecond, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ag.Close)
	fake.PointVoiceAgentsAt(ag.URL())
	c := common.New(context.Background(), sess, styles.New(true), nil, nil) // the real clock: tokens are current
	c.EndpointRoots = ag.Roots()
	s := New(c)
	s.SetSize(120, 60)
	// settle runs cmd and feeds every answer back, and their commands too, until none is left.
	settle := func(cmd tea.Cmd) {
		for msgs := fixture.DrainScreen(s, cmd); len(msgs) > 0; {
			var next []tea.Msg
			for _, m := range msgs {
				_, c := s.Update(m)
				next = append(next, fixture.DrainScreen(s, c)...)
			}
			msgs = next
		}
	}
	settle(s.Init())
	for i := range s.tbl.Order {
		if ok, _ := gateway.Probeable(s.tbl.At(i).ds, time.Now()); ok {
			s.List.Cursor = i
			break
		}
	}
	if ok, _ := gateway.Probeable(s.Selected(), time.Now()); !ok {
		t.Fatalf("no probeable data source:\n%s", fixture.View(s))
	}
	return s, ag, settle
}

// The journey: p probes the selected source (every step ✓ in the detail), c places a call whose
// welcome and FINALs appear in the pane, esc closes it; a read-only session may do both.
func TestProbeAndCallJourney(t *testing.T) {
	s, ag, settle := endpointScreen(t, true)
	id := s.Selected().ID
	settle(fixture.Press(s, "p"))
	p := s.endpoints[id]
	if p == nil || !p.OK {
		t.Fatalf("probe: %+v\n%s", p, fixture.View(s))
	}
	v := fixture.View(s)
	if !strings.Contains(v, "ENDPOINT") || !strings.Contains(v, "✓ up") || !strings.Contains(v, "endpoint holds every step") {
		t.Fatalf("the list has no endpoint column or panel:\n%s", v)
	}
	for _, line := range strings.Split(v, "\n") {
		if w := ansi.StringWidth(line); w > 120 {
			t.Fatalf("a line is %d wide, over 120:\n%s", w, line)
		}
	}
	if !regexp.MustCompile(`(?m)^\s+✓ .* \?\s*$`).MatchString(v) {
		t.Errorf("rows not probed show ?:\n%s", v)
	}
	settle(fixture.Press(s, "enter"))
	v = fixture.View(s)
	for _, want := range []string{"Endpoint", "dial +✓", "tls +✓", "auth +✓", "health +✓", "agents +✓", "claims +✓ 9 checks hold", "virtual agents +byova demo bot \\(default\\)"} {
		if !regexp.MustCompile(want).MatchString(v) {
			t.Errorf("detail lacks %q:\n%s", want, v)
		}
	}
	settle(fixture.Press(s, "c"))
	if s.mode != modeCall || s.call == nil || !s.call.done {
		t.Fatalf("call pane: mode %v\n%s", s.mode, fixture.View(s))
	}
	v = fixture.View(s)
	for _, want := range []string{"Test call to", "Welcome to the byova fake agent", "Turn 1: I heard", "call ok: 1 turn,"} {
		if !strings.Contains(v, want) {
			t.Errorf("call pane lacks %q:\n%s", want, v)
		}
	}
	fixture.Press(s, "esc")
	if s.mode != modeDetail || s.call != nil {
		t.Fatalf("esc after the call: mode %v", s.mode)
	}
	var inputs []string
	for _, r := range ag.Requests() {
		if r.Input != "" {
			inputs = append(inputs, r.Input)
		}
	}
	if got := strings.Join(inputs, " "); got != "SESSION_START audio SESSION_END" {
		t.Errorf("the gateway saw %s", got)
	}
}

// A failing gateway shows the failed step's word in the panel and the detail.
func TestProbeNamesTheFailedStep(t *testing.T) {
	s, ag, settle := endpointScreen(t, false)
	if _, err := ag.Fail(gatewayfake.FaultAuth, 0); err != nil {
		t.Fatal(err)
	}
	_, cmd := s.Update(ProbeMsg{})
	settle(cmd)
	id := s.Selected().ID
	if p := s.endpoints[id]; p == nil || p.OK || EndpointWord(p) != "✗ auth" {
		t.Fatalf("probe: %+v", p)
	}
	if v := fixture.View(s); !strings.Contains(v, "✗ auth") || !strings.Contains(v, "rejects Webex's current token") {
		t.Fatalf("panel:\n%s", v)
	}
	fixture.Press(s, "esc")
	if strings.Contains(fixture.View(s), "rejects Webex") {
		t.Fatal("esc keeps the probe panel")
	}
}

// esc during a call hangs up: the call ends with SESSION_END and the pane says so. The call
// runs on its own goroutine; the test waits on its events (no sleeping).
func TestEscHangsUp(t *testing.T) {
	s, ag, _ := endpointScreen(t, false)
	if _, err := ag.Fail(gatewayfake.FaultNoFinal, 0); err != nil { // the turn would run to its timeout
		t.Fatal(err)
	}
	batch, ok := s.startCall(s.Selected())().(tea.BatchMsg)
	if !ok || len(batch) != 2 {
		t.Fatalf("startCall: %T", batch)
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- batch[0]() }()
	next := batch[1]
	for next != nil {
		msg := next().(callEventMsg)
		if msg.end {
			t.Fatal("the call ended before its first turn")
		}
		_, next = s.Update(msg)
		if msg.ev.Step == "turn 1" && msg.ev.Kind == "event" {
			break // the gateway is in the turn: hang up now
		}
	}
	fixture.Press(s, "esc")
	s.Update(<-done)
	got := ag.Requests()
	if got[len(got)-1].Input != "SESSION_END" {
		t.Fatalf("the gateway's last request: %+v", got[len(got)-1])
	}
	v := fixture.View(s)
	if !strings.Contains(v, "hanging up") || !strings.Contains(v, "call failed: turn 1: hung up") {
		t.Fatalf("pane:\n%s", v)
	}
	fixture.Press(s, "esc")
	if s.mode != modeList {
		t.Fatalf("esc after the hang-up: mode %v", s.mode)
	}
}

// A list item lacks the token: the probe reads it from Webex first, and when that read fails
// the probe is that failure, never a probe of the list's copy (which has no token to send).
func TestProbeOfAnUnreadableSourceIsThatFailure(t *testing.T) {
	s, fake := fakeScreen(t)
	d := *s.tbl.At(0).ds
	d.JWSToken = ""
	fake.InjectFault(webexfake.Fault{Method: http.MethodGet, Path: "/v1/dataSources/" + d.ID, Status: http.StatusNotFound, Times: 10})
	r, ok := fixture.FindReply[probedMsg](fixture.Run(s.startProbe([]*api.DataSource{&d})))
	if !ok || r.Err != nil || len(r.Payload.probes) != 1 {
		t.Fatalf("probe answer: %+v", r)
	}
	p := r.Payload.probes[0]
	if p.OK || p.ID != d.ID || EndpointWord(p) != "✗ webex" || p.Failed() == nil || p.Failed().Name != "fetch" ||
		!strings.Contains(p.Failed().Verdict, "could not read it from Webex") {
		t.Fatalf("probe of a source Webex would not hand back: %+v", p)
	}
	s.Update(r)
	if v := fixture.View(s); !strings.Contains(v, "fetch: could not read it from Webex") {
		t.Fatalf("the panel says why:\n%s", v)
	}
}

// The probe checks the token's claims at the request's time (the UI's clock, as every other
// request), not at a second clock read in the command.
func TestProbeUsesTheRequestsClock(t *testing.T) {
	s, _, settle := endpointScreen(t, true)
	id := s.Selected().ID
	later := time.Now().Add(30 * 24 * time.Hour) // every token has expired by then
	s.c.Clock = func() time.Time { return later }
	settle(fixture.Press(s, "p"))
	p := s.endpoints[id]
	if p == nil {
		t.Fatal("no probe")
	}
	for _, st := range p.Steps {
		if st.Name == gateway.StepClaims && st.Result == gateway.OK {
			t.Fatalf("claims hold a month on: the probe did not use the request's clock: %+v", st)
		}
	}
}
