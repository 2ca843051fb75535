package safetext

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "https://example.com/a?b=c", "https://example.com/a?b=c"},
		{"backslash kept", `C:\path\x1b`, `C:\path\x1b`},
		{"unicode kept", "Zürich 東京 ✓", "Zürich 東京 ✓"},
		{"osc 52", "a\x1b]52;c;ZXZpbA==\x07b", `a\x1b]52;c;ZXZpbA==\ab`},
		{"osc 0 title", "\x1b]0;pwned\x1b\\", `\x1b]0;pwned\x1b\`},
		{"csi clear", "\x1b[2Jx", `\x1b[2Jx`},
		{"sgr colour", "\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"osc 8 link", "\x1b]8;;https://evil\x1b\\click\x1b]8;;\x1b\\", `\x1b]8;;https://evil\x1b\click\x1b]8;;\x1b\`},
		{"dcs", "\x1bP1$r\x1b\\", `\x1bP1$r\x1b\`},
		{"lone trailing esc", "audience\x1b", `audience\x1b`},
		{"cr", "https://real\rhttps://fake", `https://real\rhttps://fake`},
		{"bs", "abc\b\b\bxyz", `abc\b\b\bxyz`},
		{"newline", "one\ntwo", "one⏎two"},
		{"crlf", "one\r\ntwo", `one\r⏎two`},
		{"tab", "a\tb", `a\tb`},
		{"bel and nul", "\x07\x00", `\a\x00`},
		{"del", "a\x7fb", `a\x7fb`},
		{"c1 csi", "a\u009b2Jb", `a\u009b2Jb`},
		{"c1 osc", "\u009d0;t\u009c", `\u009d0;t\u009c`},
		{"raw c1 byte", "a\x9b2J", `a\x9b2J`},
		{"invalid utf8", "a\xffb\xc3", `a\xffb\xc3`},
		{"rlo", "evil\u202egnp.exe", `evil\u202egnp.exe`},
		{"isolates", "\u2066\u2067\u2068\u2069", `\u2066\u2067\u2068\u2069`},
		{"marks", "\u200e\u200f\u061c", `\u200e\u200f\u061c`},
		{"embeddings", "\u202a\u202b\u202c\u202d", `\u202a\u202b\u202c\u202d`},
		{"line separator", "a\u2028b", `a\u2028b`},
		{"format characters", "\u00ad\ufeff\u0602\u2060", `\u00ad\ufeff\u0602\u2060`},
		{"astral format character", "a\U0001bca0b", `a\U0001bca0b`},
		{"joiners kept", "👩\u200d💻 می\u200cخواهم", "👩\u200d💻 می\u200cخواهم"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Line(tc.in); got != tc.want {
				t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"one\ntwo", "one\ntwo"},
		{"one\r\ntwo\r\n", "one\ntwo\n"},
		{"a\rb", `a\rb`},
		{"\tindented", "    indented"},
		{"\x1b[2J\u202e\n\x1b]52;c;eA==\x07", "\\x1b[2J\\u202e\n\\x1b]52;c;eA==\\a"},
	} {
		if got := Text(tc.in); got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := Lines("a\r\nb\x1b"); len(got) != 2 || got[1] != `b\x1b` {
		t.Errorf("Lines = %q", got)
	}
}

func TestSafeTextIsNotCopied(t *testing.T) {
	s := "already safe: Zürich ✓ ⏎"
	if !Safe(s) {
		t.Fatalf("Safe(%q) = false", s)
	}
	if n := testing.AllocsPerRun(100, func() { _ = Line(s) }); n != 0 {
		t.Errorf("Line of safe text allocates %v times", n)
	}
}

func TestWidthIsOfWhatIsShown(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"abc", 3},
		{"\x1b[31mred", len(`\x1b[31mred`)},
		{"a\nb", 3},
		{"東京", 4},
		{"x\u202e", 7},
	} {
		if got := Width(tc.in); got != tc.want {
			t.Errorf("Width(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

func TestFit(t *testing.T) {
	if got := Fit("\x1b[2Jabcdef", 6); got != `\x1b[…` {
		t.Errorf("Fit = %q", got)
	}
	if got := Fit("abc", 6); got != "abc" {
		t.Errorf("Fit = %q", got)
	}
	if got := Fit("abc", 0); got != "" {
		t.Errorf("Fit(0) = %q", got)
	}
}

func TestJSON(t *testing.T) {
	v := map[string]string{"url": "https://a\u009b2J\u202eb\x1b]52;c;eA==\x07\x7f\u2066\U0001bca0", "ok": "Zürich ✓"}
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	got := JSON(raw)
	for _, bad := range []string{"\u009b", "\u202e", "\u2066", "\x7f", "\x1b", "\x07"} {
		if strings.Contains(string(got), bad) {
			t.Errorf("JSON output still holds %q: %s", bad, got)
		}
	}
	if !strings.Contains(string(got), `\ud82f\udca0`) || !strings.Contains(string(got), `\u009b`) || !strings.Contains(string(got), `\u202e`) || !strings.Contains(string(got), "Zürich ✓") {
		t.Errorf("JSON output = %s", got)
	}
	var back map[string]string
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatalf("escaped JSON does not parse: %v\n%s", err, got)
	}
	if back["url"] != v["url"] || back["ok"] != v["ok"] {
		t.Errorf("data changed: %q, want %q", back, v)
	}
	plain := []byte(`{"a":"b"}`)
	if got := JSON(plain); &got[0] != &plain[0] {
		t.Error("JSON copied ASCII input")
	}
}

// checkShown is what every displayed string must satisfy.
func checkShown(t *testing.T, in, out string, multiline bool) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("output of %q is not UTF-8: %q", in, out)
	}
	for _, r := range out {
		if r == '\n' && multiline {
			continue
		}
		if r < 0x20 || r == 0x7f || unsafeRune(r) {
			t.Fatalf("output of %q holds %U: %q", in, r, out)
		}
	}
}

func TestJSONWriterHoldsACutRune(t *testing.T) {
	in := []byte(`["a` + "\u202e" + `b","` + "\u009b" + `"]`)
	for cut := 0; cut <= len(in); cut++ {
		var out strings.Builder
		w := NewJSONWriter(&out)
		w.Write(in[:cut])
		w.Write(in[cut:])
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if want := `["a\u202eb","\u009b"]`; out.String() != want {
			t.Fatalf("cut at %d: %q, want %q", cut, out.String(), want)
		}
	}
}

func TestRestore(t *testing.T) {
	orig := "https://a\rb\x1b"
	if got := Restore(Line(orig), orig); got != orig {
		t.Errorf("untouched field: %q, want %q", got, orig)
	}
	if got := Restore("https://typed", orig); got != "https://typed" {
		t.Errorf("typed field: %q", got)
	}
}

func TestASCIIPrefix(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
	}{
		{"", 0}, {"abc", 3}, {"abcdefgh", 8}, {"abcdefghij", 10}, {"abcdefgh\x7f", 8}, {"abc\x7fdefghijk", 3},
		{"abcdefg\xff12345678", 7}, {"\x80", 0}, {"12345678\u202e", 8}, {"1234567\u009b", 7}, {"\x00\x01\x1f\x7e~~~~~~~~", 12},
	} {
		if got := asciiPrefix([]byte(c.in)); got != c.want {
			t.Errorf("asciiPrefix(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

func BenchmarkJSONASCII(b *testing.B) {
	body := []byte(strings.Repeat(`{"id":"ef39cde9-9639-4770-984e-7f81d381ae37","url":"https://agents.example.org/byova/grpc"},`, 100000))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		JSON(body)
	}
}
