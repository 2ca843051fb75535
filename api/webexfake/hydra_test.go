package webexfake

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

func TestParseHydraEncodings(t *testing.T) {
	var sawPadding, sawSlash, sawPlus bool
	for i := range 64 {
		id := fmt.Sprintf("C%0*x", 1+i%7, i*7919) // lengths vary, so padding varies
		raw := []byte("ciscospark://us/APPLICATION/" + id + "?~>")
		encs := map[string]string{
			"url raw": base64.RawURLEncoding.EncodeToString(raw),
			"url pad": base64.URLEncoding.EncodeToString(raw),
			"std raw": base64.RawStdEncoding.EncodeToString(raw),
			"std pad": base64.StdEncoding.EncodeToString(raw),
		}
		for name, enc := range encs {
			sawPadding = sawPadding || strings.HasSuffix(enc, "=")
			sawSlash = sawSlash || strings.Contains(enc, "/")
			sawPlus = sawPlus || strings.Contains(enc, "+")
			kind, got, ok := parseHydra(enc)
			if !ok || kind != "APPLICATION" || got != id+"?~>" {
				t.Fatalf("%s %q: got %q %q %v", name, enc, kind, got, ok)
			}
		}
	}
	if !sawPadding || !sawSlash || !sawPlus {
		t.Fatalf("test data does not cover padding/slash/plus: %v %v %v", sawPadding, sawSlash, sawPlus)
	}
}

func TestParseOrgID(t *testing.T) {
	const u = "63b02f90-9cc6-43b8-aa6d-cad425ac554c"
	tests := []struct {
		in   string
		ok   bool
		want string
	}{
		{u, true, u},
		{strings.ToUpper(u), true, u},
		{HydraID("ORGANIZATION", u), true, u},
		{base64.StdEncoding.EncodeToString([]byte("ciscospark://us/ORGANIZATION/" + u)), true, u},
		{HydraID("PEOPLE", u), false, ""},
		{"acme", false, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		got, ok := parseOrgID(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseOrgID(%q) = %q %v", tt.in, got, ok)
		}
	}
}
