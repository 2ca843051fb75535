package safetext

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Newline is what a line break looks like inside a one-line field.
const Newline = "⏎"

// Line is s for a one-line field (a table cell, a name, a URL, an error message): every
// control character, escape sequence introducer, bidi control and invalid byte is spelled out
// (`\x1b`, `\r`, `\u009b`, `\u202e`, `\xff`), and a line break shows as ⏎. What remains cannot
// move the cursor, change colours, set the title or the clipboard, or reorder the text around
// it, so the width measured on it is the width drawn. Printable text, backslashes included,
// is left alone: Line(Line(s)) == Line(s).
func Line(s string) string { return clean(s, false) }

// Text is s for a multi-line field (a description): as Line, but line breaks stay line breaks
// (CRLF becomes one), and a tab becomes spaces, since in prose it is layout, not a trick.
func Text(s string) string { return clean(s, true) }

// Lines is s split into display lines, each as Text has it.
func Lines(s string) []string { return strings.Split(Text(s), "\n") }

// Safe reports whether s would be shown as it is: Line(s) == s.
func Safe(s string) bool { return firstUnsafe(s) < 0 }

// firstUnsafe is the index of the first byte of s that Line changes, or -1.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		if c < 0x80 {
			return i
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

// unsafeRune is a non-ASCII rune a terminal acts on, or one that reorders, hides or breaks
// the line: C1 controls, line separators and every invisible format character (Unicode Cf:
// bidi controls, soft hyphen, BOM, prepended marks that glue onto what follows) except the
// joiners that emoji and Indic or Persian text need.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x80:
		return false
	case r == 0x200c, r == 0x200d: // ZWNJ, ZWJ
		return false
	case r >= 0xe0020 && r <= 0xe007f: // tags, in subdivision flag emoji
		return false
	case r >= 0x80 && r <= 0x9f: // C1: CSI, OSC, DCS, ST... in one byte on 8-bit terminals
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f: // ALM, LRM, RLM
		return true
	case r >= 0x202a && r <= 0x202e: // LRE, RLE, PDF, LRO, RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI, RLI, FSI, PDI
		return true
	case r == 0x2028, r == 0x2029: // line and paragraph separators
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

func clean(s string, multiline bool) string {
	i := firstUnsafe(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			b.WriteByte(c)
			i++
			continue
		}
		if c < 0x80 {
			switch {
			case c == '\n' && multiline:
				b.WriteByte('\n')
			case c == '\n':
				b.WriteString(Newline)
			case c == '\r' && multiline && i+1 < len(s) && s[i+1] == '\n':
				// CRLF is one line break in prose; the LF is written next.
			case c == '\t' && multiline:
				b.WriteString("    ")
			default:
				b.WriteString(escapeByte(c))
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteString(hex2(c))
		case unsafeRune(r) && r > 0xffff:
			b.WriteString(`\U`)
			b.WriteString(strings.Repeat("0", 8-len(strconv.FormatInt(int64(r), 16))))
			b.WriteString(strconv.FormatInt(int64(r), 16))
		case unsafeRune(r):
			b.WriteString(`\u`)
			b.WriteString(hex4(r))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// escapeByte spells out a C0 control or DEL the way Go source would.
func escapeByte(c byte) string {
	switch c {
	case '\a':
		return `\a`
	case '\b':
		return `\b`
	case '\f':
		return `\f`
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	case '\v':
		return `\v`
	}
	return `\x` + hex2(c)
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&0xf]})
}

func hex4(r rune) string {
	h := strconv.FormatInt(int64(r), 16)
	return strings.Repeat("0", max(4-len(h), 0)) + h
}

// Restore undoes Line for a form: a field prefilled with Line(orig) and left as it was gives
// orig back, so saving an untouched field never rewrites Webex's value with its display form;
// anything the person typed is theirs.
func Restore(shown, orig string) string {
	if shown == Line(orig) {
		return orig
	}
	return shown
}
