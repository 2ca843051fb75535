package gateway_test

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/byova/byova/gateway"
	"github.com/byova/byova/gateway/vapb"
)

// hostile is a gateway that misbehaves in one way after a normal welcome.
type hostile struct {
	vapb.UnimplementedVoiceVirtualAgentServer
	mode string
}

func (h *hostile) ListVirtualAgents(context.Context, *vapb.ListVARequest) (*vapb.ListVAResponse, error) {
	return &vapb.ListVAResponse{VirtualAgents: []*vapb.VirtualAgentInfo{{VirtualAgentId: "a", VirtualAgentName: "evil\x1b]0;pwned\a\u202eagent", IsDefault: true}}}, nil
}

func (h *hostile) ProcessCallerInput(st vapb.VoiceVirtualAgent_ProcessCallerInputServer) error {
	first, err := st.Recv()
	if err != nil {
		return err
	}
	if first.GetEventInput().GetEventType() != vapb.EventInput_SESSION_START {
		return st.Send(&vapb.VoiceVAResponse{Prompts: []*vapb.Prompt{{Text: "bye"}}})
	}
	switch h.mode {
	case "endless":
		for {
			if err := st.Send(&vapb.VoiceVAResponse{ResponseType: vapb.VoiceVAResponse_CHUNK, Prompts: []*vapb.Prompt{{AudioContent: make([]byte, 4000)}}}); err != nil {
				return err
			}
		}
	case "huge":
		return st.Send(&vapb.VoiceVAResponse{Prompts: []*vapb.Prompt{{Text: strings.Repeat("A", 100<<20)}}})
	case "escapes":
		return st.Send(&vapb.VoiceVAResponse{Prompts: []*vapb.Prompt{{Text: "hello\x1b[2J\x1b]52;c;ZXZpbA==\a\u202edlrow\r\nspoof " + strings.Repeat("x", 10000)}}})
	case "reset":
		return status.Error(codes.Internal, "stream reset by the gateway")
	}
	return nil
}

func startHostile(t testing.TB, mode string) string {
	return serveGateway(t, &hostile{mode: mode})
}

// serveGateway serves impl (and nothing else: no health) on 127.0.0.1 until the test ends
// and returns its url.
func serveGateway(t testing.TB, impl vapb.VoiceVirtualAgentServer) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	vapb.RegisterVoiceVirtualAgentServer(srv, impl)
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(srv.Stop)
	return "http://" + l.Addr().String() // plain text is allowed on loopback
}

func callHostile(t *testing.T, mode string, turnTimeout time.Duration) (*gateway.CallResult, *recorder) {
	t.Helper()
	url := startHostile(t, mode)
	tg, err := gateway.ParseTarget(url, false)
	if err != nil {
		t.Fatal(err)
	}
	cc, err := gateway.Dial(tg, gateway.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	rec := &recorder{}
	r := gateway.PlaceCall(context.Background(), cc, gateway.CallRequest{URL: url, Token: "x.y.z", TurnTimeout: turnTimeout, OnEvent: rec.add}, gateway.Options{Timeout: 5 * time.Second})
	return r, rec
}

func TestHostileGateways(t *testing.T) {
	// Each ends in a named failure within its timeout. The endless one ends by the response
	// cap or, on a loaded machine, by the turn timeout; the huge one gets time for the test
	// server to build its 100 MB message.
	for _, tc := range []struct {
		mode    string
		timeout time.Duration
		want    []string
	}{
		{"endless", 2 * time.Second, []string{"over 5000 responses", "no FINAL within 2s"}},
		{"huge", 30 * time.Second, []string{"RESOURCE_EXHAUSTED"}},
		{"reset", 2 * time.Second, []string{"INTERNAL (13): stream reset by the gateway"}},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			start := time.Now()
			r, _ := callHostile(t, tc.mode, tc.timeout)
			named := false
			for _, w := range tc.want {
				named = named || strings.Contains(r.Failure, w)
			}
			if r.OK || !strings.HasPrefix(r.Failure, "session-start: ") || !named {
				t.Fatalf("failure %q", r.Failure)
			}
			if d := time.Since(start); d > tc.timeout+5*time.Second {
				t.Fatalf("took %s", d)
			}
			if st := r.Steps[0]; st.AudioBytes > 0 && len(st.Audio) > gateway.MaxAudioKept {
				t.Fatalf("kept %d bytes of audio", len(st.Audio))
			}
		})
	}
}

func TestHostilePromptTextIsSanitised(t *testing.T) {
	r, rec := callHostile(t, "escapes", 5*time.Second)
	if len(r.Steps) < 2 || r.Agent.Name == "" {
		t.Fatalf("%+v", r)
	}
	texts := []string{r.Agent.Name}
	for _, e := range rec.events {
		texts = append(texts, e.Text)
	}
	for _, s := range r.Steps {
		texts = append(texts, s.Prompts...)
	}
	for _, s := range texts {
		if strings.ContainsAny(s, "\x1b\a\r\n\u202e") {
			t.Fatalf("raw control text reached the caller: %q", s)
		}
		if len(s) > gateway.MaxPromptText+200 {
			t.Fatalf("prompt text not capped: %d bytes", len(s))
		}
	}
	if !strings.Contains(r.Agent.Name, `\x1b`) || !rec.has("prompt", "", `\u202e`) {
		t.Fatalf("escapes not made visible: %q %+v", r.Agent.Name, rec.events)
	}
}

func TestDecodeWAV(t *testing.T) {
	pcm := make([]byte, 16000*2) // 1 s at 16 kHz
	a, err := gateway.DecodeWAV(bytes.NewReader(gateway.WAVBytes(vapb.VoiceInput_LINEAR16_FORMAT, 16000, pcm)))
	if err != nil || a.Encoding != vapb.VoiceInput_LINEAR16_FORMAT || a.ChunkSize() != 640 || a.Duration() != time.Second {
		t.Fatalf("16 kHz PCM: %+v %v", a, err)
	}
	a, err = gateway.DecodeWAV(bytes.NewReader(gateway.WAVBytes(vapb.VoiceInput_MULAW_FORMAT, 8000, make([]byte, 8000))))
	if err != nil || a.Encoding != vapb.VoiceInput_MULAW_FORMAT || a.ChunkSize() != 160 || len(a.Chunks()) != 50 {
		t.Fatalf("8 kHz μ-law: %+v %v", a, err)
	}
	a, err = gateway.DecodeWAV(bytes.NewReader(gateway.WAVBytes(vapb.VoiceInput_LINEAR16_FORMAT, 8000, make([]byte, 16000))))
	if err != nil || a.Encoding != vapb.VoiceInput_MULAW_FORMAT || len(a.Data) != 8000 {
		t.Fatalf("8 kHz PCM goes as μ-law: %+v %v", a, err)
	}
	stereo := gateway.WAVBytes(vapb.VoiceInput_LINEAR16_FORMAT, 8000, make([]byte, 64))
	stereo[22] = 2
	cd := gateway.WAVBytes(vapb.VoiceInput_LINEAR16_FORMAT, 44100, make([]byte, 64))
	long := gateway.WAVBytes(vapb.VoiceInput_MULAW_FORMAT, 8000, make([]byte, 16))
	long[40], long[41], long[42], long[43] = 0xff, 0xff, 0xff, 0x7f // a data chunk of 2 GiB
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"stereo", stereo, "2 channels"},
		{"44.1 kHz", cd, "44100 Hz"},
		{"over ten minutes", long, "longer than 10m0s"},
		{"not wav", []byte("hello world, not a wav"), "not a WAV"},
		{"cut", stereo[:30], "fmt chunk"},
	} {
		_, err := gateway.DecodeWAV(bytes.NewReader(tc.b))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	path := t.TempDir() + "/cd.wav"
	if err := writeFile(path, cd); err != nil {
		t.Fatal(err)
	}
	if _, err := gateway.ReadWAV(path); err == nil || !strings.Contains(err.Error(), "sox "+path) || !strings.Contains(err.Error(), "ffmpeg -i "+path) {
		t.Errorf("no conversion command: %v", err)
	}
}

func FuzzDecodeWAV(f *testing.F) {
	f.Add(gateway.WAVBytes(vapb.VoiceInput_MULAW_FORMAT, 8000, make([]byte, 320)))
	f.Add([]byte("RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := gateway.DecodeWAV(bytes.NewReader(b))
		if err == nil && (len(a.Data) == 0 || a.ChunkSize() == 0) {
			t.Fatalf("accepted empty audio: %+v", a)
		}
	})
}

// A gateway that echoes the token (in an error, in a prompt) never gets it printed in full.
func TestEchoedTokenIsRedacted(t *testing.T) {
	tok := "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	vapb.RegisterVoiceVirtualAgentServer(srv, &echo{tok: tok})
	go func() { _ = srv.Serve(l) }()
	defer srv.Stop()
	url := "http://" + l.Addr().String()
	tg, _ := gateway.ParseTarget(url, false)
	cc, err := gateway.Dial(tg, gateway.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	rec := &recorder{}
	r := gateway.PlaceCall(context.Background(), cc, gateway.CallRequest{URL: url, Token: tok, TurnTimeout: 2 * time.Second, OnEvent: rec.add}, gateway.Options{})
	all := r.Failure
	for _, e := range rec.events {
		all += e.Text
	}
	for _, s := range r.Steps {
		all += s.Detail + s.Ended + strings.Join(s.Prompts, "")
	}
	if strings.Contains(all, tok) || !strings.Contains(all, "…(token)") {
		t.Fatalf("token not redacted: %s", all)
	}
}

type echo struct {
	vapb.UnimplementedVoiceVirtualAgentServer
	tok string
}

func (e *echo) ListVirtualAgents(context.Context, *vapb.ListVARequest) (*vapb.ListVAResponse, error) {
	return &vapb.ListVAResponse{VirtualAgents: []*vapb.VirtualAgentInfo{{VirtualAgentId: "a", IsDefault: true}}}, nil
}

func (e *echo) ProcessCallerInput(st vapb.VoiceVirtualAgent_ProcessCallerInputServer) error {
	if _, err := st.Recv(); err != nil {
		return err
	}
	if err := st.Send(&vapb.VoiceVAResponse{Prompts: []*vapb.Prompt{{Text: "your token is " + e.tok}}}); err != nil {
		return err
	}
	return status.Error(codes.PermissionDenied, "bad token "+e.tok)
}
