package safetext

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

var hostileSeeds = []string{
	"",
	"plain audience",
	"\x1b]52;c;ZXZpbA==\x07",
	"\x1b]0;title\x1b\\",
	"\x1b[2J\x1b[H",
	"\x1b]8;;https://evil.example\x1b\\https://real.example\x1b]8;;\x1b\\",
	"https://real.example\rhttps://fake.example",
	"abc\b\b\b",
	"\u009b31mred",
	"\u202egnp.exe",
	"audience\x1b",
	"\xff\xfe\x9b",
	"東京\u0301e\u0301",
	"a\r\nb\tc\u2028d",
}

// FuzzSanitise: whatever comes in, what is shown holds no control, escape or bidi rune, is
// valid UTF-8, and sanitising it again changes nothing.
func FuzzSanitise(f *testing.F) {
	for _, s := range hostileSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		line := Line(s)
		checkShown(t, s, line, false)
		if again := Line(line); again != line {
			t.Fatalf("Line is not idempotent on %q: %q then %q", s, line, again)
		}
		if Safe(s) != (line == s) {
			t.Fatalf("Safe(%q) = %v but Line changed it to %q", s, Safe(s), line)
		}
		text := Text(s)
		checkShown(t, s, text, true)
		if again := Text(text); again != text {
			t.Fatalf("Text is not idempotent on %q: %q then %q", s, text, again)
		}
		if strings.Count(text, "\n") != strings.Count(s, "\n") {
			t.Fatalf("Text(%q) changed the number of lines: %q", s, text)
		}
		if utf8.ValidString(s) && !strings.ContainsAny(s, "\x7f") {
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			esc := JSON(b)
			var back string
			if err := json.Unmarshal(esc, &back); err != nil || back != s {
				t.Fatalf("JSON(%s) = %s reads back as %q (%v)", b, esc, back, err)
			}
			for _, r := range string(esc) {
				if r < 0x20 || r == 0x7f || unsafeRune(r) {
					t.Fatalf("JSON(%s) holds %U", b, r)
				}
			}
		}
	})
}

// FuzzWidth: the width of what is shown is what a terminal draws: ansi.StringWidth of the
// sanitised text, which no escape sequence can hide, and which Fit never exceeds.
func FuzzWidth(f *testing.F) {
	for _, s := range hostileSeeds {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, w int) {
		line := Line(s)
		got := Width(s)
		if got != ansi.StringWidth(line) {
			t.Fatalf("Width(%q) = %d, ansi.StringWidth(%q) = %d", s, got, line, ansi.StringWidth(line))
		}
		if ansi.Strip(line) != line {
			t.Fatalf("sanitised %q still holds something ansi treats as a sequence: %q", s, line)
		}
		w = w % 200
		fit := Fit(s, w)
		if fw := ansi.StringWidth(fit); fw > max(w, 0) {
			t.Fatalf("Fit(%q, %d) = %q is %d cells", s, w, fit, fw)
		}
		checkShown(t, s, fit, false)
	})
}
