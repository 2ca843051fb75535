package safetext

import (
	"encoding/binary"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// JSON escapes, in JSON text that encoding/json (or go-json-experiment) wrote, the runes those
// encoders leave raw but a terminal acts on: DEL, C1 controls and bidi controls become \uXXXX.
// The data is unchanged for any JSON reader; only `cat` of the output is made safe. Outside
// strings valid JSON holds only ASCII, so every such rune is inside a string.
func JSON(b []byte) []byte {
	i := asciiPrefix(b)
	if i == len(b) {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	out = append(out, b[:i]...)
	for i < len(b) {
		c := b[i]
		if c < 0x7f {
			out = append(out, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case c == 0x7f:
			out = append(out, `\u007f`...)
		case r == utf8.RuneError && size == 1:
			out = append(out, `\ufffd`...) // encoders never write it; a reader would see U+FFFD too
		case unsafeRune(r) && r > 0xffff: // JSON spells these as a surrogate pair
			hi, lo := utf16.EncodeRune(r)
			out = append(out, `\u`+hex4(hi)+`\u`+hex4(lo)...)
		case unsafeRune(r):
			out = append(out, `\u`...)
			out = append(out, hex4(r)...)
		default:
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

// asciiPrefix is the length of b's leading run of bytes below 0x7f (what JSON passes as is),
// eight bytes at a time: JSON output is mostly such bytes, megabytes of them for a big list.
func asciiPrefix(b []byte) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		// A byte of 0x80 or more has its high bit set; 0x7f gets it by adding one. A carry
		// into the next byte comes only from 0xff, which is caught already.
		if (w|(w+ones))&highs != 0 {
			break
		}
	}
	for i < len(b) && b[i] < 0x7f {
		i++
	}
	return i
}

// JSONWriter applies JSON to everything written through it, for JSON streamed in pieces (a
// list item by item, one line per event). A rune cut between two writes is held back until
// the rest arrives.
type JSONWriter struct {
	w     io.Writer
	carry []byte
}

// NewJSONWriter writes to w.
func NewJSONWriter(w io.Writer) *JSONWriter { return &JSONWriter{w: w} }

// Write reports len(p) written when the escaped text was written in full.
func (j *JSONWriter) Write(p []byte) (int, error) {
	buf := p
	if len(j.carry) > 0 {
		buf = append(j.carry, p...)
		j.carry = nil
	}
	cut := len(buf)
	for k := 1; k <= utf8.UTFMax-1 && k <= len(buf); k++ {
		if utf8.RuneStart(buf[len(buf)-k]) {
			if !utf8.FullRune(buf[len(buf)-k:]) {
				cut = len(buf) - k
			}
			break
		}
	}
	if cut < len(buf) {
		j.carry = append([]byte(nil), buf[cut:]...)
	}
	if _, err := j.w.Write(JSON(buf[:cut])); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes a rune still held back (an incomplete one: the stream ended inside it).
func (j *JSONWriter) Flush() error {
	if len(j.carry) == 0 {
		return nil
	}
	_, err := j.w.Write(JSON(j.carry))
	j.carry = nil
	return err
}
