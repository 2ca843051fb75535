package cli

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/gateway"
)

// A gateway streams a prompt in many CHUNKs: the call prints the run's first one and one summary
// line when the run ends, not a line per chunk, and every other event as it comes.
func TestCallPrintsARunOfChunksOnce(t *testing.T) {
	var out strings.Builder
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: io.Discard, getenv: func(string) string { return "" }}
	p := &callPrinter{a: a}
	p.print(gateway.Event{Step: "turn 1", Kind: "event", Type: "END_OF_INPUT", At: 1500 * time.Millisecond})
	for i := range 5 {
		p.print(gateway.Event{Step: "turn 1", Kind: "audio", Type: "CHUNK", Bytes: 800, At: time.Duration(1600+200*i) * time.Millisecond})
	}
	p.print(gateway.Event{Step: "turn 1", Kind: "step", Type: "failed", Text: "no FINAL within 15s", At: 15 * time.Second})
	p.flush()
	got := out.String()
	if n := strings.Count(got, "800 B"); n != 1 {
		t.Errorf("%d lines of a single CHUNK, want the run's first only:\n%s", n, got)
	}
	if !strings.Contains(got, "4 more CHUNKs, 3200 B (400ms at 8 kHz)") {
		t.Errorf("no summary of the run's other 4 CHUNKs:\n%s", got)
	}
	lines := strings.Split(strings.TrimSpace(got), "\n")
	if len(lines) != 4 || !strings.Contains(lines[3], "no FINAL within 15s") || !strings.Contains(lines[0], "END_OF_INPUT") {
		t.Errorf("want the event, the first CHUNK, the summary and the step, in order:\n%s", got)
	}
}
