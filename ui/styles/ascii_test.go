package styles

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestASCIIWanted(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{}, false},
		{map[string]string{"LANG": "en_US.UTF-8", "TERM": "xterm-256color"}, false},
		{map[string]string{"LANG": "de_DE.utf8"}, false},
		{map[string]string{"LANG": "C"}, true},
		{map[string]string{"LANG": "POSIX"}, true},
		{map[string]string{"LANG": "en_US.ISO-8859-1"}, true},
		{map[string]string{"LC_ALL": "C", "LANG": "en_US.UTF-8"}, true},
		{map[string]string{"LC_ALL": "en_US.UTF-8", "LANG": "C"}, false},
		{map[string]string{"LC_CTYPE": "C.UTF-8", "LANG": "C"}, false},
		{map[string]string{"LANG": "en_US.UTF-8", "TERM": "vt100"}, true},
		{map[string]string{"LANG": "en_US.UTF-8", "TERM": "linux"}, true},
		{map[string]string{"LANG": "en_US.UTF-8", "TERM": "dumb"}, true},
		{map[string]string{"LANG": "en_US.UTF-8", "TERM": "vt220"}, true},
	} {
		if got := ASCIIWanted(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("%v: ASCIIWanted = %v, want %v", tc.env, got, tc.want)
		}
	}
}

func TestToASCIIKeepsWidth(t *testing.T) {
	in := "\x1b[1m▸\x1b[m ✓ active │ ✗ disabled · ! 24m … ⏎ ╭─╮ ╰─╯ ⣾ → ← ↑ ↓ — • ● ┃"
	got := ToASCII(in)
	for _, r := range got {
		if r >= 0x80 {
			t.Fatalf("non-ASCII %q left in %q", r, got)
		}
	}
	if ansi.StringWidth(got) != ansi.StringWidth(in) {
		t.Errorf("width %d, was %d: %q", ansi.StringWidth(got), ansi.StringWidth(in), got)
	}
	if want := "\x1b[1m>\x1b[m + active | x disabled . ! 24m ~ $ +-+ +-+ * > < ^ v - * * |"; got != want {
		t.Errorf("ToASCII = %q, want %q", got, want)
	}
	if s := "plain"; ToASCII(s) != s {
		t.Error("ASCII text changed")
	}
	st := New(true)
	if st.Glyphs("✓") != "✓" {
		t.Error("Glyphs changed text without ASCII")
	}
	st.ASCII = true
	if st.Glyphs("✓") != "+" {
		t.Error("Glyphs in ASCII mode")
	}
}
