package format

import (
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

func TestCutMiddle(t *testing.T) {
	tests := []struct {
		in   string
		w    int
		want string
	}{
		{"https://example.com/a", 40, "https://example.com/a"},
		{"https://example.com/service/one", 11, "https…e/one"},
		{"abcdef", 1, "…"},
		{"abcdef", 0, ""},
		{"héllo wörld", 5, "hé…ld"},
	}
	for _, tt := range tests {
		got := CutMiddle(tt.in, tt.w)
		if got != tt.want {
			t.Errorf("CutMiddle(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.want)
		}
		if w := ansi.StringWidth(got); w > tt.w {
			t.Errorf("CutMiddle(%q, %d) is %d wide", tt.in, tt.w, w)
		}
	}
}

func TestFit(t *testing.T) {
	for _, tt := range []struct {
		in   string
		w    int
		want string
	}{
		{"abc", 5, "abc  "},
		{"abcdef", 4, "abc…"},
		{"✓ active", 10, "✓ active  "},
		{"", 0, ""},
	} {
		if got := Fit(tt.in, tt.w); got != tt.want {
			t.Errorf("Fit(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.want)
		}
	}
}

func TestCountdown(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{-time.Second, "0s"},
		{500 * time.Millisecond, "1s"},
		{59 * time.Second, "59s"},
		{61 * time.Second, "1m01s"},
		{time.Hour, "1h00m00s"},
		{24*time.Hour - time.Second, "23h59m59s"},
	} {
		if got := Countdown(tt.d); got != tt.want {
			t.Errorf("Countdown(%s) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestWidthMatchesAnsi(t *testing.T) {
	for _, s := range []string{
		"", "plain ascii", "\x1b[1;31m✓ active\x1b[m  BYOVAGateway", "▸ ✗ disabled … • · ─│╭╮",
		"café naïve", "日本語のテキスト", "emoji 🎉 party", "flag 🇨🇭", "zwj 👩‍💻", "vs16 ☺️",
		"\x1b]8;;https://x\x07link\x1b]8;;\x07", "tab\there", "→ ←",
	} {
		if got, want := Width(s), ansi.StringWidth(s); got != want {
			t.Errorf("Width(%q) = %d, ansi says %d", s, got, want)
		}
	}
}
