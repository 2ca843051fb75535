package gateway_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"

	"github.com/byova/byova/gateway"
	"github.com/byova/byova/gateway/gatewayfake"
	"github.com/byova/byova/gateway/vapb"
)

// tone is d of a 440 Hz tone as 8 kHz μ-law: audio the fake hears as voice.
func tone(d time.Duration) *gateway.Audio {
	n := int(d.Seconds() * 8000)
	pcm := make([]byte, 2*n)
	for i := range n {
		binary.LittleEndian.PutUint16(pcm[2*i:], uint16(int16(8000*math.Sin(2*math.Pi*440*float64(i)/8000))))
	}
	a, err := gateway.DecodeWAV(bytes.NewReader(gateway.WAVBytes(vapb.VoiceInput_LINEAR16_FORMAT, 8000, pcm)))
	if err != nil {
		panic(err)
	}
	return a
}

func dialFake(t testing.TB, s *gatewayfake.Server) *grpc.ClientConn {
	t.Helper()
	tg, err := gateway.ParseTarget(s.URL(), false)
	if err != nil {
		t.Fatal(err)
	}
	cc, err := gateway.Dial(tg, opts(s))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cc.Close() })
	return cc
}

type recorder struct {
	mu     sync.Mutex
	events []gateway.Event
}

func (r *recorder) add(e gateway.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *recorder) has(kind, typ, text string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.events {
		if e.Kind == kind && (typ == "" || e.Type == typ) && strings.Contains(e.Text, text) {
			return true
		}
	}
	return false
}

func callFake(t *testing.T, ctx context.Context, is *issuer, s *gatewayfake.Server, req gateway.CallRequest) (*gateway.CallResult, *recorder) {
	t.Helper()
	rec := &recorder{}
	req.URL, req.Token, req.OrgID, req.OnEvent = s.URL(), is.token(t, s.URL(), nil), "org-1", rec.add
	if req.TurnTimeout == 0 {
		req.TurnTimeout = 5 * time.Second
	}
	return gateway.PlaceCall(ctx, dialFake(t, s), req, opts(s)), rec
}

func TestCallTurnsAndDTMF(t *testing.T) {
	is := newIssuer(t)
	s := startFake(t, is, gatewayfake.Options{})
	r, rec := callFake(t, context.Background(), is, s, gateway.CallRequest{Audio: tone(300 * time.Millisecond), Turns: 2, DTMF: "12#"})
	if !r.OK || r.Turns != 2 || r.EndedBy != "SESSION_END" {
		t.Fatalf("%s: %+v", r.Summary(), r.Steps)
	}
	if !strings.HasPrefix(r.Summary(), "call ok: 2 turns, first prompt ") {
		t.Errorf("summary %q", r.Summary())
	}
	if r.Agent.ID != "byova-demo-bot" || !r.Agent.Default {
		t.Errorf("agent %+v", r.Agent)
	}
	for _, want := range []struct{ kind, typ, text string }{
		{"prompt", "FINAL", "Welcome"},
		{"audio", "FINAL", ""},
		{"event", "START_OF_INPUT", ""},
		{"event", "END_OF_INPUT", ""},
		{"prompt", "FINAL", "Turn 2: I heard"},
		{"prompt", "FINAL", "You pressed 12#."},
	} {
		if !rec.has(want.kind, want.typ, want.text) {
			t.Errorf("no %s %s %q in %+v", want.kind, want.typ, want.text, rec.events)
		}
	}
	// END_OF_INPUT stopped the audio: the fake heard about its utterance (100 ms), not all 300.
	var turn gateway.CallStep
	for _, st := range r.Steps {
		if st.Name == "turn 1" {
			turn = st
		}
	}
	if turn.Final == 0 || turn.FirstResponse == 0 || len(turn.Prompts) != 1 || strings.Contains(turn.Prompts[0], "0.3 s") {
		t.Errorf("turn 1: %+v", turn)
	}
	var inputs []string
	for _, q := range s.Requests() {
		if q.Input != "" {
			inputs = append(inputs, q.Input)
		}
	}
	if got := strings.Join(inputs, " "); got != "SESSION_START audio audio START_OF_DTMF dtmf SESSION_END" {
		t.Errorf("the gateway saw %s", got)
	}
}

func TestCallSilenceIsNoInput(t *testing.T) {
	is := newIssuer(t)
	s := startFake(t, is, gatewayfake.Options{})
	r, rec := callFake(t, context.Background(), is, s, gateway.CallRequest{Audio: gateway.Silence(200 * time.Millisecond)})
	if !r.OK || !rec.has("event", "NO_INPUT", "") {
		t.Fatalf("%s %+v", r.Summary(), rec.events)
	}
}

func TestCallTransferEndsTheCall(t *testing.T) {
	is := newIssuer(t)
	s := startFake(t, is, gatewayfake.Options{})
	r, _ := callFake(t, context.Background(), is, s, gateway.CallRequest{Audio: gateway.Silence(100 * time.Millisecond), DTMF: "0"})
	if !r.OK || r.EndedBy != "TRANSFER_TO_AGENT from the gateway" {
		t.Fatalf("%s", r.Summary())
	}
}

func TestCallFaults(t *testing.T) {
	is := newIssuer(t)
	for _, tc := range []struct {
		fault string
		d     time.Duration
		step  string
		want  string
	}{
		{gatewayfake.FaultNoFinal, 0, "turn 1", "no FINAL within 700ms"},
		{gatewayfake.FaultSlowFirstPrompt, 5 * time.Second, gateway.CallSessionStart, "no FINAL within 700ms"},
		{gatewayfake.FaultAuth, 0, gateway.StepAgents, "UNAUTHENTICATED (16)"},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			s := startFake(t, is, gatewayfake.Options{})
			if _, err := s.Fail(tc.fault, tc.d); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			r, _ := callFake(t, context.Background(), is, s, gateway.CallRequest{Audio: gateway.Silence(100 * time.Millisecond), TurnTimeout: 700 * time.Millisecond})
			if r.OK || !strings.HasPrefix(r.Failure, tc.step+": ") || !strings.Contains(r.Failure, tc.want) {
				t.Fatalf("failure %q", r.Failure)
			}
			if r.Network {
				t.Error("a step failure is not a network failure")
			}
			if d := time.Since(start); d > 8*time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
}

func TestCallHangsUpWithSessionEndOnCancel(t *testing.T) {
	is := newIssuer(t)
	s := startFake(t, is, gatewayfake.Options{Utterance: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	rec := &recorder{}
	var once sync.Once
	req := gateway.CallRequest{URL: s.URL(), Token: is.token(t, s.URL(), nil), OrgID: "org-1", Audio: gateway.Silence(30 * time.Second),
		OnEvent: func(e gateway.Event) {
			rec.add(e)
			if e.Kind == "step" && e.Step == gateway.CallSessionStart {
				once.Do(cancel) // ^C while the first turn streams
			}
		}}
	r := gateway.PlaceCall(ctx, dialFake(t, s), req, opts(s))
	if r.OK {
		t.Fatal("a cancelled call is not ok")
	}
	last := r.Steps[len(r.Steps)-1]
	if last.Name != "session-end (hang-up)" || last.Result != gateway.OK {
		t.Fatalf("steps %+v", r.Steps)
	}
	got := s.Requests()
	if got[len(got)-1].Input != "SESSION_END" {
		t.Fatalf("the gateway's last request: %+v", got[len(got)-1])
	}
}

func TestParseDTMF(t *testing.T) {
	ds, err := gateway.ParseDTMF("1234567890ABCD*#")
	if err != nil || gateway.DigitString(ds) != "1234567890ABCD*#" || ds[9] != vapb.DTMFDigits_DTMF_DIGIT_ZERO {
		t.Fatalf("%v %v", ds, err)
	}
	for _, bad := range []string{"", "12x", strings.Repeat("1", 65)} {
		if _, err := gateway.ParseDTMF(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
