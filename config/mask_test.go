package config

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"abc", "••••"},
		{"12345678901", "••••"},
		{"123456789012", "1…2"},
		{"1234567890123456", "12…56"},
		{"ZTk1ZGQ4YjktYmY2Ni00c2Fh", "ZTk…2Fh"},
		{"ZTk1ZGQ4YjktYmY2Ni00c2FhZTk1ZGQ4", "ZTk1…ZGQ4"},
		{strings.Repeat("x", 200), "xxxx…xxxx"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// At most a quarter of a secret shows, never more than 4 characters a side, nothing under 12
// (issue 19, item 14).
func TestMaskShowsAtMostAQuarter(t *testing.T) {
	for n := 1; n <= 80; n++ {
		s := strings.Repeat("a", n)
		m := Mask(s)
		shown := utf8.RuneCountInString(strings.ReplaceAll(strings.ReplaceAll(m, "…", ""), "•", ""))
		if n < 12 && shown != 0 || shown*4 > n || shown > 8 {
			t.Errorf("%d characters: %q shows %d", n, m, shown)
		}
	}
}
