package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"google.golang.org/grpc"

	"github.com/byova/byova/api"
	"github.com/byova/byova/gateway"
	"github.com/byova/byova/gateway/vapb"
	"github.com/byova/byova/safetext"
)

// callOutput is --json: the result and every event in order.
type callOutput struct {
	ID     string              `json:"id"`
	URL    string              `json:"url"`
	Result *gateway.CallResult `json:"result"`
	Events []gateway.Event     `json:"events"`
}

// maxEventsKept caps the events --json keeps (a gateway may send thousands of CHUNKs).
const maxEventsKept = 2000

// callFlags are callCmd's flags.
type callFlags struct {
	agent, wav, dtmf, language, saveDir string
	turns                               int
	turnTimeout                         time.Duration
	asJSON                              bool
	ef                                  endpointFlags
}

func (a *app) callCmd() *cobra.Command {
	var f callFlags
	cmd := &cobra.Command{
		Use:   "call ID [--agent A] [--wav FILE] [--dtmf DIGITS] [--turns N] [--language L] [--turn-timeout D] [--save-audio DIR] [--json]",
		Short: "Place a test call to the data source's Voice Virtual Agent gateway, as Webex places one",
		Long: `Play Webex's side of a call against the data source's gateway: ListVirtualAgents (the default
agent unless --agent), a SESSION_START stream, then one stream per caller turn with the audio
paced in real time (20 ms chunks), stopping at the gateway's END_OF_INPUT; --dtmf as its own
request; SESSION_END at the end (also on ctrl+c).

Audio: --wav FILE, mono 16-bit PCM or μ-law at 8 or 16 kHz, at most 10 minutes (8 kHz PCM goes
as μ-law, as Webex sends it); without it each turn is two seconds of silence (expect NO_INPUT).

Prompts (sanitised), audio, output events and response types print as they arrive, then each
turn's time to first response and to FINAL, and a summary line. Exit 0 when the call holds,
1 when the gateway cannot be reached (network, TLS), 2 for bad usage or audio, 4 when a step
fails (a gRPC status, no FINAL within --turn-timeout, a reset stream).`,
		Example: `  byova call 0b7f6a0e-… --turns 3
  byova call 0b7f6a0e-… --wav caller.wav --dtmf 12# --save-audio ./prompts`,
		Args: exactArgs(1, "a data source ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkIDs("data source", args...); err != nil {
				return err
			}
			audio, err := f.check()
			if err != nil {
				return err
			}
			return a.runCall(cmd.Context(), args[0], &f, audio)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.agent, "agent", "", "virtual agent id or name (default: the gateway's default agent)")
	fl.StringVar(&f.wav, "wav", "", "caller audio: mono 16-bit PCM or μ-law WAV, 8 or 16 kHz")
	fl.StringVar(&f.dtmf, "dtmf", "", "DTMF digits to send after the voice turns, e.g. 12#")
	fl.IntVar(&f.turns, "turns", 1, "caller turns")
	fl.StringVar(&f.language, "language", "en-US", "caller language")
	fl.DurationVar(&f.turnTimeout, "turn-timeout", gateway.DefaultTurnTimeout, "how long a turn may go without FINAL")
	fl.StringVar(&f.saveDir, "save-audio", "", "save the prompt audio received, one WAV per step, in DIR")
	fl.BoolVar(&f.asJSON, "json", false, "print the call and every event as one JSON object")
	f.ef.add(cmd)
	return cmd
}

// check refuses bad flags before anything is sent, and reads --wav (nil: silence).
func (f *callFlags) check() (*gateway.Audio, error) {
	if f.turns < 1 || f.turns > 100 {
		return nil, usagef("--turns %d: give 1 to 100", f.turns)
	}
	if f.turnTimeout <= 0 || f.turnTimeout > 10*time.Minute {
		return nil, usagef("--turn-timeout %s: give a duration from 1ms to 10m", f.turnTimeout)
	}
	if f.dtmf != "" {
		if _, err := gateway.ParseDTMF(f.dtmf); err != nil {
			return nil, usagef("--dtmf: %v", err)
		}
	}
	var audio *gateway.Audio
	if f.wav != "" {
		var err error
		if audio, err = gateway.ReadWAV(f.wav); err != nil {
			return nil, usagef("--wav %v", err)
		}
	}
	if f.saveDir != "" {
		if err := os.MkdirAll(f.saveDir, 0o700); err != nil {
			return nil, usagef("--save-audio: %v", err)
		}
	}
	return audio, nil
}

// runCall reads the data source, dials its gateway and plays the call.
func (a *app) runCall(ctx context.Context, id string, f *callFlags, audio *gateway.Audio) error {
	o, err := a.endpointOptions(&f.ef)
	if err != nil {
		return err
	}
	c, _, err := a.orgClient()
	if err != nil {
		return err
	}
	d, err := c.GetDataSource(ctx, id)
	if err != nil {
		return err
	}
	tg, err := gateway.ParseTarget(d.URL, f.ef.plaintext)
	if err != nil {
		return usagef("%v", err)
	}
	if d.JWSToken == "" {
		return fmt.Errorf("data source %s has no jwsToken: Webex would have nothing to present; extend it (byova ds extend %s)", safetext.Line(d.ID), safetext.Line(d.ID))
	}
	// As Webex's simulator does before it dials: warn on exp and the url claim.
	for _, ch := range gateway.ClaimChecks(d.JWSToken, d.URL, nil, time.Now()) {
		if ch.Result == gateway.Fail {
			fmt.Fprintf(a.stderr, "byova: warning: token %s: %s\n", ch.Name, ch.Detail)
		}
	}
	cc, err := gateway.Dial(tg, o)
	if err != nil {
		return err
	}
	defer cc.Close()
	return a.playCall(ctx, cc, d, f, audio, o)
}

// playCall places the call, printing its events as they come (or keeping them for --json),
// and maps how it went to the exit code.
func (a *app) playCall(ctx context.Context, cc grpc.ClientConnInterface, d *api.DataSource, f *callFlags, audio *gateway.Audio, o gateway.Options) error {
	var mu sync.Mutex
	var events []gateway.Event
	pr := &callPrinter{a: a}
	onEvent := func(e gateway.Event) {
		mu.Lock()
		defer mu.Unlock()
		if len(events) < maxEventsKept {
			events = append(events, e)
		}
		if !f.asJSON {
			pr.print(e)
		}
	}
	if !f.asJSON {
		fmt.Fprintf(a.stdout, "calling %s at %s\n", safetext.Line(d.ID), safetext.Line(d.URL))
	}
	r := gateway.PlaceCall(ctx, cc, gateway.CallRequest{
		URL: d.URL, Token: d.JWSToken, OrgID: d.OrgID, Agent: f.agent, Audio: audio, DTMF: f.dtmf,
		Turns: f.turns, Language: f.language, TurnTimeout: f.turnTimeout, OnEvent: onEvent,
	}, o)
	mu.Lock()
	pr.flush()
	mu.Unlock()
	if f.saveDir != "" {
		if err := saveAudio(f.saveDir, r); err != nil {
			fmt.Fprintln(a.stderr, "byova: warning: --save-audio:", err)
		}
	}
	if f.asJSON {
		mu.Lock()
		out := callOutput{ID: d.ID, URL: d.URL, Result: r, Events: events}
		mu.Unlock()
		if err := printJSON(a.stdout, out); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(a.stdout, r.Summary())
	}
	switch {
	case r.OK:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case r.Network:
		return errors.New("cannot reach the gateway: " + r.Failure)
	}
	if f.asJSON {
		fmt.Fprintln(a.stderr, "byova: call failed: "+r.Failure)
	}
	return &silentError{code: ExitPartial}
}

// callPrinter prints a call's events as they happen, with a run of streamed CHUNKs of one
// step as its first line and one summary when the run ends: a gateway streams a prompt in
// hundreds of 100 ms chunks, and a line for each buried the events that matter.
type callPrinter struct {
	a           *app
	step        string // the step of the run of CHUNKs being held, "" when none
	more, bytes int    // CHUNKs of that run after its first line, and their bytes
	last        time.Duration
}

func isChunk(e gateway.Event) bool {
	return e.Kind == "audio" && e.Bytes > 0 && e.Type == vapb.VoiceVAResponse_CHUNK.String()
}

func (p *callPrinter) print(e gateway.Event) {
	if isChunk(e) && p.step == e.Step {
		p.more, p.bytes, p.last = p.more+1, p.bytes+e.Bytes, e.At
		return
	}
	p.flush()
	if isChunk(e) {
		p.step = e.Step
	}
	p.a.printCallEvent(e)
}

// flush prints the summary of the held run, if it had more than its first CHUNK.
func (p *callPrinter) flush() {
	if p.more > 0 {
		fmt.Fprintf(p.a.stdout, "  %-14s %5d ms  audio   %d more CHUNKs, %d B (%s at 8 kHz)\n", p.step, p.last.Milliseconds(),
			p.more, p.bytes, (time.Duration(p.bytes) * time.Second / 8000).Round(time.Millisecond))
	}
	p.step, p.more, p.bytes = "", 0, 0
}

// printCallEvent prints one thing the gateway did as it happens. Text is already sanitised.
func (a *app) printCallEvent(e gateway.Event) {
	at := fmt.Sprintf("%5d ms", e.At.Milliseconds())
	switch e.Kind {
	case "prompt":
		fmt.Fprintf(a.stdout, "  %-14s %s  prompt  %q\n", e.Step, at, e.Text)
	case "audio":
		if e.Bytes > 0 {
			fmt.Fprintf(a.stdout, "  %-14s %s  audio   %d B (%s at 8 kHz) %s\n", e.Step, at, e.Bytes, (time.Duration(e.Bytes) * time.Second / 8000).Round(time.Millisecond), e.Type)
		} else {
			fmt.Fprintf(a.stdout, "  %-14s %s  audio   %s\n", e.Step, at, e.Text)
		}
	case "event":
		fmt.Fprintf(a.stdout, "  %-14s %s  event   %s %s\n", e.Step, at, e.Type, e.Text)
	case "response":
		if e.Type != vapb.VoiceVAResponse_FINAL.String() && e.Type != vapb.VoiceVAResponse_CHUNK.String() {
			fmt.Fprintf(a.stdout, "  %-14s %s  %s\n", e.Step, at, e.Type)
		}
	case "step":
		word := a.glyphs("✓")
		if e.Type != gateway.OK {
			word = a.glyphs("✗")
		}
		fmt.Fprintf(a.stdout, "%s %-14s %s  %s\n", word, e.Step, at, e.Text)
	}
}

// saveAudio writes each step's kept prompt audio as DIR/<step>.wav.
func saveAudio(dir string, r *gateway.CallResult) error {
	var errs []error
	for _, s := range r.Steps {
		if len(s.Audio) == 0 {
			continue
		}
		name := strings.ReplaceAll(strings.ReplaceAll(s.Name, " ", "-"), "/", "-") + ".wav"
		b := gateway.WAVBytes(vapb.VoiceInput_MULAW_FORMAT, 8000, s.Audio)
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
