package config

import "testing"

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"abc", "••••"},
		{"12345678901", "••••"},
		{"123456789012", "1234…9012"},
		{"ZTk1ZGQ4YjktYmY2Ni00c2Fh", "ZTk1…c2Fh"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
