package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/byova/byova/gateway/vapb"
	"github.com/byova/byova/safetext"
)

// Call step names.
const (
	CallSessionStart = "session-start"
	CallDTMF         = "dtmf"
	CallSessionEnd   = "session-end"
)

// DefaultTurnTimeout is how long a turn may go without its FINAL.
const DefaultTurnTimeout = 15 * time.Second

// DefaultSilence is what a turn sends without --wav: two seconds of nothing (expect NO_INPUT).
const DefaultSilence = 2 * time.Second

// CallRequest is one test call.
type CallRequest struct {
	URL, Token, OrgID string
	Agent             string // agent id or name; "" picks the default
	Audio             *Audio // each turn's audio; nil: DefaultSilence
	DTMF              string // digits sent after the voice turns
	Turns             int    // voice turns; 0 means 1
	Language          string // default en-US
	TurnTimeout       time.Duration
	// OnEvent is called as each thing happens, on the call's goroutine; nil ignores them.
	OnEvent func(Event)
}

// Event is one thing seen during a call, for printing as it happens. Text is sanitised.
type Event struct {
	Step  string        `json:"step"`
	Kind  string        `json:"kind"` // response, prompt, audio, event, step
	Type  string        `json:"type,omitempty"`
	Text  string        `json:"text,omitempty"`
	Bytes int           `json:"bytes,omitempty"`
	At    time.Duration `json:"-"`
	AtMs  int64         `json:"ms"`
}

// CallStep is one stream of the call and how it went.
type CallStep struct {
	Name          string   `json:"name"`
	Result        string   `json:"result"`
	Detail        string   `json:"detail,omitempty"`
	FirstResponse Millis   `json:"firstResponseMs,omitzero"`
	FirstPrompt   Millis   `json:"firstPromptMs,omitzero"`
	Final         Millis   `json:"finalMs,omitzero"`
	Ended         string   `json:"ended"` // "OK close", "no FINAL within 15s", a gRPC status
	Prompts       []string `json:"prompts,omitempty"`
	Events        []string `json:"events,omitempty"`
	Types         []string `json:"responseTypes,omitempty"`
	AudioBytes    int      `json:"audioBytes,omitempty"`
	Audio         []byte   `json:"-"` // kept prompt audio (capped per call)
	Responses     int      `json:"responses"`
}

// Millis is a duration that marshals as whole milliseconds.
type Millis time.Duration

func (m Millis) MarshalJSON() ([]byte, error) {
	return []byte(fmt.Sprint(time.Duration(m).Milliseconds())), nil
}

// CallResult is the whole call.
type CallResult struct {
	OK           bool       `json:"ok"`
	Agent        Agent      `json:"agent"`
	Conversation string     `json:"conversationId"`
	Steps        []CallStep `json:"steps"`
	Turns        int        `json:"turns"`
	FirstPrompt  Millis     `json:"firstPromptMs"`
	EndedBy      string     `json:"endedBy"`
	Failure      string     `json:"failure,omitempty"`
	// Network is set when the failure was reaching the gateway (exit 1), not a step (exit 4).
	Network bool `json:"network,omitempty"`
}

// Summary is the closing line: "call ok: 3 turns, first prompt 412 ms, ended by SESSION_END".
func (r *CallResult) Summary() string {
	if !r.OK {
		return "call failed: " + r.Failure
	}
	turns := "turns"
	if r.Turns == 1 {
		turns = "turn"
	}
	return fmt.Sprintf("call ok: %d %s, first prompt %d ms, ended by %s", r.Turns, turns, time.Duration(r.FirstPrompt).Milliseconds(), r.EndedBy)
}

type caller struct {
	req      CallRequest
	o        Options
	client   vapb.VoiceVirtualAgentClient
	conv     string
	agentID  string
	encoding vapb.VoiceInput_VoiceEncoding
	rate     int
	kept     int // prompt audio kept so far
	res      *CallResult
}

// PlaceCall makes a test call as Webex places one (spec §4): ListVirtualAgents, SESSION_START,
// one stream per turn with real-time paced audio, DTMF, SESSION_END (also when ctx is cancelled:
// a hung-up caller still says goodbye).
func PlaceCall(ctx context.Context, cc grpc.ClientConnInterface, req CallRequest, o Options) *CallResult {
	if req.Turns <= 0 {
		req.Turns = 1
	}
	if req.Language == "" {
		req.Language = "en-US"
	}
	if req.TurnTimeout <= 0 {
		req.TurnTimeout = DefaultTurnTimeout
	}
	if req.Audio == nil {
		req.Audio = Silence(DefaultSilence)
	}
	c := &caller{req: req, o: o, client: vapb.NewVoiceVirtualAgentClient(cc), conv: uuid.NewString(),
		encoding: req.Audio.Encoding, rate: req.Audio.SampleRate, res: &CallResult{}}
	c.res.Conversation = c.conv
	r := c.res

	if !c.pickAgent(ctx) {
		return r
	}
	ended := ""
	step := c.stream(ctx, CallSessionStart, true, func(send func(*vapb.VoiceVARequest) error, _ <-chan struct{}) error {
		return send(c.event(vapb.EventInput_SESSION_START, "call_start"))
	})
	if !c.record(step) {
		c.hangUp(ctx)
		return r
	}
	r.FirstPrompt = step.FirstPrompt
	ended = terminal(step)
	for turn := 1; turn <= req.Turns && ended == ""; turn++ {
		step = c.stream(ctx, fmt.Sprintf("turn %d", turn), true, c.voiceTurn)
		if !c.record(step) {
			c.hangUp(ctx)
			return r
		}
		r.Turns++
		ended = terminal(step)
	}
	if req.DTMF != "" && ended == "" {
		var ok bool
		if ended, ok = c.dtmf(ctx); !ok {
			c.hangUp(ctx)
			return r
		}
	}
	if ended != "" {
		r.OK, r.EndedBy = true, ended+" from the gateway"
		return r
	}
	step = c.sessionEnd(ctx)
	if !c.record(step) {
		return r
	}
	r.OK, r.EndedBy = true, "SESSION_END"
	return r
}

// pickAgent lists the agents and picks the one asked for, else the default, else the first;
// false when none fits (the call has failed).
func (c *caller) pickAgent(ctx context.Context) bool {
	want := c.req.Agent
	// The call asks for the default agent to be used when it names none, as a flow would.
	agents, raw, err := listAgents(ctx, c.client, c.req.Token, c.req.OrgID, true, c.o)
	if err != nil {
		c.fail(CallStep{Name: StepAgents, Result: Fail, Detail: "ListVirtualAgents failed: " + StatusText(err), Ended: StatusText(err)}, err)
		return false
	}
	pick := -1
	for i, a := range raw {
		if want == "" && a.GetIsDefault() || want != "" && (a.GetVirtualAgentId() == want || a.GetVirtualAgentName() == want) {
			pick = i
			break
		}
	}
	if pick < 0 && want == "" && len(raw) > 0 {
		pick = 0 // no default marked: the first, as gateways treat an empty agent id
	}
	if pick < 0 {
		detail := "the gateway lists no virtual agents"
		if want != "" {
			detail = fmt.Sprintf("no agent %q among the %d the gateway lists", safetext.Line(want), len(raw))
		}
		c.fail(CallStep{Name: StepAgents, Result: Fail, Detail: detail, Ended: "OK close"}, nil)
		return false
	}
	c.res.Agent, c.agentID = agents[pick], raw[pick].GetVirtualAgentId()
	return true
}

// dtmf sends START_OF_DTMF, then the digits; ended is how the gateway ended the call, if it
// did, and ok false when a step failed (the call hangs up).
func (c *caller) dtmf(ctx context.Context) (ended string, ok bool) {
	digits, err := ParseDTMF(c.req.DTMF)
	if err != nil {
		c.fail(CallStep{Name: CallDTMF, Result: Fail, Detail: err.Error()}, nil)
		return "", false
	}
	step := c.stream(ctx, CallDTMF+" start", false, func(send func(*vapb.VoiceVARequest) error, _ <-chan struct{}) error {
		return send(c.event(vapb.EventInput_START_OF_DTMF, ""))
	})
	if !c.record(step) {
		return "", false
	}
	step = c.stream(ctx, CallDTMF, true, func(send func(*vapb.VoiceVARequest) error, _ <-chan struct{}) error {
		m := c.base()
		m.VoiceVaInputType = &vapb.VoiceVARequest_DtmfInput{DtmfInput: &vapb.DTMFInputs{DtmfEvents: digits}}
		return send(m)
	})
	if !c.record(step) {
		return "", false
	}
	return terminal(step), true
}

// hangUp ends the call with SESSION_END after a failed step or a cancel, on a context of its
// own: the caller's may be the one ^C cancelled.
func (c *caller) hangUp(ctx context.Context) {
	st := c.sessionEnd(ctx)
	st.Name += " (hang-up)"
	c.res.Steps = append(c.res.Steps, st)
}

func (c *caller) sessionEnd(ctx context.Context) CallStep {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), min(c.req.TurnTimeout, 5*time.Second))
	defer cancel()
	return c.stream(ctx, CallSessionEnd, false, func(send func(*vapb.VoiceVARequest) error, _ <-chan struct{}) error {
		return send(c.event(vapb.EventInput_SESSION_END, "call_end"))
	})
}

// record adds a step; false when it failed (the call stops).
func (c *caller) record(s CallStep) bool {
	if s.Result == Fail {
		c.fail(s, nil)
		return false
	}
	c.res.Steps = append(c.res.Steps, s)
	return true
}

func (c *caller) fail(s CallStep, err error) {
	c.res.Steps = append(c.res.Steps, s)
	c.res.OK = false
	c.res.Failure = s.Name + ": " + s.Detail
	if err != nil && status.Code(err) == codes.Unavailable {
		c.res.Network = true
	}
	if strings.HasPrefix(s.Ended, "UNAVAILABLE") {
		c.res.Network = true
	}
}

func terminal(s CallStep) string {
	for _, e := range s.Events {
		if e == vapb.OutputEvent_SESSION_END.String() || e == vapb.OutputEvent_TRANSFER_TO_AGENT.String() {
			return e
		}
	}
	return ""
}

func (c *caller) base() *vapb.VoiceVARequest {
	return &vapb.VoiceVARequest{ConversationId: c.conv, CustomerOrgId: c.req.OrgID, VirtualAgentId: c.agentID}
}

func (c *caller) event(t vapb.EventInput_EventType, name string) *vapb.VoiceVARequest {
	m := c.base()
	m.VoiceVaInputType = &vapb.VoiceVARequest_EventInput{EventInput: &vapb.EventInput{EventType: t, Name: name}}
	return m
}

// voiceTurn streams the turn's audio in real time, 20 ms a chunk, until the audio ends or
// the gateway says END_OF_INPUT (stop closes).
func (c *caller) voiceTurn(send func(*vapb.VoiceVARequest) error, stop <-chan struct{}) error {
	chunks := c.req.Audio.Chunks()
	start := time.Now()
	_, err := Pace(context.Background(), len(chunks), ChunkInterval, func(i int) (bool, error) {
		select {
		case <-stop:
			return true, nil
		default:
		}
		m := c.base()
		m.VoiceVaInputType = &vapb.VoiceVARequest_AudioInput{AudioInput: &vapb.VoiceInput{
			CallerAudio: chunks[i], Encoding: c.encoding, SampleRateHertz: int32(c.rate), LanguageCode: c.req.Language,
			AudioTimestamp: timestamppb.New(start.Add(time.Duration(i) * ChunkInterval)),
		}}
		return false, send(m)
	}, nil)
	return err
}

var errTooMany = errors.New("too many responses")

// stream runs one ProcessCallerInput stream: produce sends the step's messages (and returns
// when done or when stop closes), the gateway's answers are read here until it closes.
func (c *caller) stream(ctx context.Context, name string, needFinal bool, produce func(send func(*vapb.VoiceVARequest) error, stop <-chan struct{}) error) CallStep {
	st := CallStep{Name: name}
	emit := c.emitter(name)
	sctx, cancel := context.WithTimeout(WithToken(ctx, c.req.Token, c.o.Bearer), c.req.TurnTimeout)
	defer cancel()
	start := time.Now()
	s, err := c.client.ProcessCallerInput(sctx)
	if err != nil {
		st.Result, st.Ended, st.Detail = Fail, StatusText(err), "could not open the stream: "+StatusText(err)
		return st
	}
	stop := make(chan struct{})
	var stopOnce sync.Once
	stopSending := func() { stopOnce.Do(func() { close(stop) }) }
	sent := make(chan error, 1)
	go func() {
		err := produce(func(m *vapb.VoiceVARequest) error {
			select {
			case <-sctx.Done():
				return sctx.Err()
			default:
			}
			return s.Send(m)
		}, stop)
		if err == nil || errors.Is(err, io.EOF) {
			err = s.CloseSend()
		}
		sent <- err
	}()
	sawFinal := false
	var recvErr error
	for {
		res, err := s.Recv()
		if err != nil {
			recvErr = err
			break
		}
		at := time.Since(start)
		st.Responses++
		if st.Responses == 1 {
			st.FirstResponse = Millis(at)
		}
		if st.Responses > MaxResponsesPerTurn {
			recvErr = errTooMany
			break
		}
		if c.take(&st, res, at, emit, stopSending) && !sawFinal {
			sawFinal = true
			st.Final = Millis(at)
		}
	}
	stopSending()
	cancel() // ends the sender if it is still pacing audio
	<-sent
	elapsed := time.Since(start)
	c.judge(ctx, &st, recvErr, needFinal, sawFinal)
	line := st.Ended
	if st.Responses > 0 {
		line += fmt.Sprintf("; first response %d ms", time.Duration(st.FirstResponse).Milliseconds())
	}
	if st.Final > 0 {
		line += fmt.Sprintf(", FINAL %d ms", time.Duration(st.Final).Milliseconds())
	}
	emit("step", st.Result, line, 0, elapsed)
	st.Detail, st.Ended = redact(st.Detail, c.req.Token), redact(st.Ended, c.req.Token)
	return st
}

// emitFunc tells the caller's OnEvent of one thing seen on a stream.
type emitFunc func(kind, typ, text string, n int, at time.Duration)

func (c *caller) emitter(step string) emitFunc {
	return func(kind, typ, text string, n int, at time.Duration) {
		if c.req.OnEvent != nil {
			c.req.OnEvent(Event{Step: step, Kind: kind, Type: typ, Text: redact(text, c.req.Token), Bytes: n, At: at, AtMs: at.Milliseconds()})
		}
	}
}

// take records one response in st (prompts, audio, events, each capped) and says whether it
// is a FINAL that carries something: a prompt, or an event other than the input markers. An
// END_OF_INPUT stops the caller's audio, as Webex does.
func (c *caller) take(st *CallStep, res *vapb.VoiceVAResponse, at time.Duration, emit emitFunc, stopSending func()) bool {
	typ := res.GetResponseType().String()
	if len(st.Types) < 50 {
		st.Types = append(st.Types, typ)
	}
	emit("response", typ, "", 0, at)
	substantive := len(res.GetPrompts()) > 0
	for _, p := range res.GetPrompts() {
		if st.FirstPrompt == 0 {
			st.FirstPrompt = Millis(at)
		}
		if t := p.GetText(); t != "" {
			text := redact(safetext.Line(cut(t, MaxPromptText)), c.req.Token)
			if len(st.Prompts) < 50 {
				st.Prompts = append(st.Prompts, text)
			}
			emit("prompt", typ, text, 0, at)
		}
		if a := p.GetAudioContent(); len(a) > 0 {
			st.AudioBytes += len(a)
			if keep := min(len(a), MaxAudioKept-c.kept); keep > 0 {
				st.Audio = append(st.Audio, a[:keep]...)
				c.kept += keep
			}
			emit("audio", typ, "", len(a), at)
		}
		if u := p.GetAudioUri(); u != "" {
			emit("audio", typ, "uri "+safetext.Line(cut(u, 300)), 0, at)
		}
	}
	for _, e := range res.GetOutputEvents() {
		ev := e.GetEventType().String()
		if len(st.Events) < 50 {
			st.Events = append(st.Events, ev)
		}
		emit("event", ev, safetext.Line(cut(e.GetName(), 200)), 0, at)
		switch e.GetEventType() {
		case vapb.OutputEvent_END_OF_INPUT:
			stopSending() // Webex stops streaming caller audio at once
		case vapb.OutputEvent_START_OF_INPUT:
		default:
			substantive = true
		}
	}
	return res.GetResponseType() == vapb.VoiceVAResponse_FINAL && substantive
}

// judge sets st's result and how it ended from the error that ended its stream.
func (c *caller) judge(ctx context.Context, st *CallStep, recvErr error, needFinal, sawFinal bool) {
	switch {
	case errors.Is(recvErr, errTooMany):
		st.Result, st.Ended = Fail, "cancelled"
		st.Detail = fmt.Sprintf("the gateway sent over %d responses without closing the stream", MaxResponsesPerTurn)
	case errors.Is(recvErr, io.EOF):
		st.Ended = "OK close"
		if needFinal && !sawFinal {
			st.Result, st.Detail = Fail, "the gateway closed the stream without a FINAL response"
		} else {
			st.Result = OK
		}
	case ctx.Err() != nil:
		st.Result, st.Ended, st.Detail = Fail, "hung up", "hung up by the caller"
	case status.Code(recvErr) == codes.DeadlineExceeded:
		st.Result = Fail
		st.Ended = fmt.Sprintf("no close within %s", c.req.TurnTimeout)
		if needFinal && !sawFinal {
			st.Ended = fmt.Sprintf("no FINAL within %s", c.req.TurnTimeout)
		}
		st.Detail = fmt.Sprintf("%s after %d responses (--turn-timeout %s)", st.Ended, st.Responses, c.req.TurnTimeout)
	default:
		st.Result, st.Ended = Fail, StatusText(recvErr)
		st.Detail = "the stream ended with " + StatusText(recvErr)
		if code := status.Code(recvErr); code == codes.Canceled || code == codes.Internal && strings.Contains(recvErr.Error(), "RST_STREAM") {
			st.Detail = "the gateway reset the stream: " + StatusText(recvErr)
		}
	}
}

// ParseDTMF turns "12#" into DTMF digits.
func ParseDTMF(s string) ([]vapb.DTMFDigits, error) {
	var out []vapb.DTMFDigits
	for _, r := range s {
		var d vapb.DTMFDigits
		switch {
		case r >= '1' && r <= '9':
			d = vapb.DTMFDigits(r - '0')
		case r == '0':
			d = vapb.DTMFDigits_DTMF_DIGIT_ZERO
		case r >= 'A' && r <= 'D':
			d = vapb.DTMFDigits(int(vapb.DTMFDigits_DTMF_DIGIT_A) + int(r-'A'))
		case r >= 'a' && r <= 'd':
			d = vapb.DTMFDigits(int(vapb.DTMFDigits_DTMF_DIGIT_A) + int(r-'a'))
		case r == '*':
			d = vapb.DTMFDigits_DTMF_DIGIT_STAR
		case r == '#':
			d = vapb.DTMFDigits_DTMF_DIGIT_POUND
		default:
			return nil, fmt.Errorf("DTMF %q: digits are 0-9, A-D, * and #", s)
		}
		out = append(out, d)
	}
	if len(out) == 0 || len(out) > 64 {
		return nil, fmt.Errorf("DTMF %q: give 1 to 64 digits", s)
	}
	return out, nil
}

// DigitString is the inverse of ParseDTMF, for the fake agent's answer.
func DigitString(ds []vapb.DTMFDigits) string {
	var b strings.Builder
	for _, d := range ds {
		switch {
		case d >= 1 && d <= 9:
			b.WriteByte(byte('0' + d))
		case d == vapb.DTMFDigits_DTMF_DIGIT_ZERO:
			b.WriteByte('0')
		case d >= vapb.DTMFDigits_DTMF_DIGIT_A && d <= vapb.DTMFDigits_DTMF_DIGIT_D:
			b.WriteByte(byte('A' + d - vapb.DTMFDigits_DTMF_DIGIT_A))
		case d == vapb.DTMFDigits_DTMF_DIGIT_STAR:
			b.WriteByte('*')
		case d == vapb.DTMFDigits_DTMF_DIGIT_POUND:
			b.WriteByte('#')
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}
