package hostile

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Payload carries what a terminal acts on: OSC 52 (writes the clipboard), OSC 0 (the window
// title), CSI 2J (clears the screen), an OSC 8 link, an SGR colour, CR, BS, a DCS, C1 CSI
// (U+009B), a bidi override (U+202E) and an isolate.
const Payload = "\x1b]52;c;cHduZWQ=\x07\x1b]0;pwned\x07\x1b[2J" +
	"\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\\x1b[31mred\r\b\x1bP1$r\x1b\\\u009b2J\u202egnp\u2066"

// Field is name carrying Payload, ending in a lone ESC (which swallows what follows if raw).
func Field(name string) string { return name + Payload + "\x1b" }

// CRURL is a url whose CR would let a fake address overwrite the real one on screen.
const CRURL = "https://real.example/a\rhttps://fake.example/b"

// IDs of what the server lists.
const (
	DataSourceID = "d5000000-0000-4000-8000-000000000001"
	CRDataSource = "d5000000-0000-4000-8000-000000000002"
	SchemaID     = "5c000000-0000-4000-8000-000000000001"
	WebhookID    = "4e000000-0000-4000-8000-000000000001"
)

// JWS is a compact token whose header and claims carry Payload. Its signature is filler:
// byova decodes tokens for display only.
func JWS(exp int64) string {
	enc := base64.RawURLEncoding
	h, _ := json.Marshal(map[string]string{"alg": Field("RS256"), "typ": Field("JWT"), "kid": Field("kid")})
	c, _ := json.Marshal(map[string]any{
		"iss": Field("iss"), "aud": Field("aud"), "sub": Field("sub"), "iat": exp - 3600, "exp": exp,
		"jti": Field("jti"), "com.cisco.datasource.url": Field("https://claim.example/"),
		"com.cisco.datasource.schema.uuid": Field("schema"), "com.cisco.org.uuid": Field("org"),
		"com.cisco.extra": Field("extra"),
	})
	return enc.EncodeToString(h) + "." + enc.EncodeToString(c) + "." + enc.EncodeToString([]byte("sig"))
}

// sgr is a Select Graphic Rendition sequence: the only escape byova writes itself.
var sgr = regexp.MustCompile(`^\x1b\[[0-9;:]*m`)

// Problems lists what in out could act on a terminal: any ESC that does not start an SGR
// sequence (every ESC, when colour is off), BEL, other C0 controls but newline, C1 controls
// (as runes or raw bytes) and bidi controls. Empty means out is safe to print.
func Problems(out string, colour bool) []string {
	var bad []string
	for i := 0; i < len(out); {
		c := out[i]
		switch {
		case c == 0x1b:
			if m := sgr.FindString(out[i:]); colour && m != "" {
				i += len(m)
				continue
			}
			bad = append(bad, fmt.Sprintf("ESC at %d: %q", i, context(out, i)))
		case c < 0x20 && c != '\n' || c == 0x7f:
			bad = append(bad, fmt.Sprintf("control %#02x at %d: %q", c, i, context(out, i)))
		case c >= 0x80:
			r, size := utf8.DecodeRuneInString(out[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				bad = append(bad, fmt.Sprintf("invalid byte %#02x at %d: %q", c, i, context(out, i)))
			case r >= 0x80 && r <= 0x9f, r == 0x061c, r == 0x200e, r == 0x200f,
				r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
				bad = append(bad, fmt.Sprintf("%U at %d: %q", r, i, context(out, i)))
			}
			i += size
			continue
		}
		i++
	}
	return bad
}

func context(s string, i int) string {
	from, to := max(i-20, 0), min(i+20, len(s))
	return strings.ToValidUTF8(s[from:to], "?")
}
