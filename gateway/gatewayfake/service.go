package gatewayfake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/byova/byova/gateway"
	"github.com/byova/byova/gateway/vapb"
)

type service struct {
	vapb.UnimplementedVoiceVirtualAgentServer
	s *Server
}

func (v *service) ListVirtualAgents(_ context.Context, _ *vapb.ListVARequest) (*vapb.ListVAResponse, error) {
	return &vapb.ListVAResponse{VirtualAgents: v.s.opts.Agents}, nil
}

// welcomeAudio is a short WAV prompt (a quarter second of μ-law silence), as a WAV-mode
// gateway sends its welcome.
var welcomeAudio = gateway.WAVBytes(vapb.VoiceInput_MULAW_FORMAT, 8000, gateway.Silence(250*time.Millisecond).Data)

func final(text string, events ...vapb.OutputEvent_EventType) *vapb.VoiceVAResponse {
	r := &vapb.VoiceVAResponse{ResponseType: vapb.VoiceVAResponse_FINAL, InputMode: vapb.VoiceVAInputMode_INPUT_VOICE_DTMF}
	if text != "" {
		r.Prompts = []*vapb.Prompt{{Text: text}}
	}
	for _, e := range events {
		r.OutputEvents = append(r.OutputEvents, &vapb.OutputEvent{EventType: e})
	}
	return r
}

func event(e vapb.OutputEvent_EventType, typ vapb.VoiceVAResponse_ResponseType) *vapb.VoiceVAResponse {
	return &vapb.VoiceVAResponse{ResponseType: typ, OutputEvents: []*vapb.OutputEvent{{EventType: e}}}
}

// ProcessCallerInput answers one step of a call (spec §4): the stream's first message says
// which.
func (v *service) ProcessCallerInput(st vapb.VoiceVirtualAgent_ProcessCallerInputServer) error {
	first, err := st.Recv()
	if err != nil {
		return err
	}
	conv := first.GetConversationId()
	if conv == "" {
		return status.Error(codes.InvalidArgument, "conversation_id is mandatory")
	}
	c, err := v.s.callFor(conv, first.GetVirtualAgentId())
	if err != nil {
		return err
	}
	f := v.s.faultsNow()
	v.s.record(Request{Method: "ProcessCallerInput", Conversation: conv, Input: inputName(first), Result: "ok"})
	switch in := first.GetVoiceVaInputType().(type) {
	case *vapb.VoiceVARequest_EventInput:
		return v.event(st, conv, c, in.EventInput, f)
	case *vapb.VoiceVARequest_DtmfInput:
		if err := drain(st); err != nil {
			return err
		}
		digits := gateway.DigitString(in.DtmfInput.GetDtmfEvents())
		v.s.mu.Lock()
		c.digits += digits
		v.s.mu.Unlock()
		switch {
		case digits == "":
			return st.Send(final("I did not get any digits.", vapb.OutputEvent_NO_INPUT))
		case digits[0] == '0':
			return st.Send(final("Transferring you to an agent.", vapb.OutputEvent_TRANSFER_TO_AGENT))
		}
		return st.Send(final(fmt.Sprintf("You pressed %s.", digits)))
	case *vapb.VoiceVARequest_AudioInput:
		return v.turn(st, c, first, f)
	}
	return status.Error(codes.InvalidArgument, "voice_va_input_type must be set on every request")
}

func (v *service) event(st vapb.VoiceVirtualAgent_ProcessCallerInputServer, conv string, c *call, in *vapb.EventInput, f faults) error {
	if err := drain(st); err != nil {
		return err
	}
	switch in.GetEventType() {
	case vapb.EventInput_SESSION_START:
		if f.slow > 0 {
			t := time.NewTimer(f.slow)
			defer t.Stop()
			select {
			case <-t.C:
			case <-st.Context().Done():
				return st.Context().Err()
			}
		}
		r := final("Welcome to the byova fake agent. Say something, or press keys; 0 asks for an agent.")
		r.Prompts = append(r.Prompts, &vapb.Prompt{AudioContent: welcomeAudio})
		return st.Send(r)
	case vapb.EventInput_START_OF_DTMF:
		return nil // completed with no responses
	case vapb.EventInput_SESSION_END:
		v.s.endCall(conv)
		return st.Send(&vapb.VoiceVAResponse{})
	case vapb.EventInput_NO_INPUT:
		return st.Send(final("Are you still there?"))
	}
	return st.Send(final(""))
}

// turn hears the caller: START_OF_INPUT after 300 ms of voice, END_OF_INPUT after the
// utterance (or at the half-close), then a FINAL saying what it heard.
func (v *service) turn(st vapb.VoiceVirtualAgent_ProcessCallerInputServer, c *call, first *vapb.VoiceVARequest, f faults) error {
	enc := first.GetAudioInput().GetEncoding()
	rate := int(first.GetAudioInput().GetSampleRateHertz())
	if rate == 0 {
		rate = 8000 // as Cisco's Python sample assumes
	}
	bps := rate
	if enc == vapb.VoiceInput_LINEAR16_FORMAT {
		bps = rate * 2
	}
	heard, voiced := 0, 0
	started, ended := false, false
	msg := first
	for {
		audio := msg.GetAudioInput().GetCallerAudio()
		heard += len(audio)
		if gateway.Level(enc, audio) > 200 {
			voiced += len(audio)
		}
		if heard > maxAudioHeld {
			return status.Error(codes.ResourceExhausted, "over 10 minutes of audio in one turn")
		}
		if !started && time.Duration(voiced)*time.Second/time.Duration(bps) >= min(300*time.Millisecond, v.s.opts.Utterance/2) {
			started = true
			if err := st.Send(event(vapb.OutputEvent_START_OF_INPUT, vapb.VoiceVAResponse_PARTIAL)); err != nil {
				return err
			}
		}
		if !ended && time.Duration(heard)*time.Second/time.Duration(bps) >= v.s.opts.Utterance {
			ended = true
			if err := st.Send(event(vapb.OutputEvent_END_OF_INPUT, vapb.VoiceVAResponse_PARTIAL)); err != nil {
				return err
			}
		}
		var err error
		msg, err = st.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
	}
	if !ended {
		if err := st.Send(event(vapb.OutputEvent_END_OF_INPUT, vapb.VoiceVAResponse_PARTIAL)); err != nil {
			return err
		}
	}
	v.s.mu.Lock()
	c.turns++
	n := c.turns
	v.s.mu.Unlock()
	if f.noFinal {
		// Events and CHUNKs, never a FINAL, and the stream held open until the caller gives up.
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			chunk := &vapb.VoiceVAResponse{ResponseType: vapb.VoiceVAResponse_CHUNK,
				Prompts: []*vapb.Prompt{{AudioContent: gateway.Silence(100 * time.Millisecond).Data}}}
			if err := st.Send(chunk); err != nil {
				return err
			}
			select {
			case <-st.Context().Done():
				return st.Context().Err()
			case <-tick.C:
			}
		}
	}
	secs := float64(heard) / float64(bps)
	if voiced == 0 {
		return st.Send(final(fmt.Sprintf("Turn %d: I heard %.1f s of silence.", n, secs), vapb.OutputEvent_NO_INPUT))
	}
	return st.Send(final(fmt.Sprintf("Turn %d: I heard %.1f s of audio, %.1f s of it voiced.", n, secs, float64(voiced)/float64(bps))))
}

// drain reads to the half-close (one message steps carry nothing more), bounded by the
// stream's context.
func drain(st vapb.VoiceVirtualAgent_ProcessCallerInputServer) error {
	for n := 0; ; n++ {
		_, err := st.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if n > 100 {
			return status.Error(codes.InvalidArgument, "an event or DTMF step carries one message")
		}
	}
}

func inputName(m *vapb.VoiceVARequest) string {
	switch in := m.GetVoiceVaInputType().(type) {
	case *vapb.VoiceVARequest_EventInput:
		return in.EventInput.GetEventType().String()
	case *vapb.VoiceVARequest_DtmfInput:
		return "dtmf"
	case *vapb.VoiceVARequest_AudioInput:
		return "audio"
	}
	return "none"
}
