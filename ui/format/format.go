// Package format turns values into cells of a given display width: cutting in the middle or at
// the end with an ellipsis, padding, and the countdowns shown for token expiry. Widths are
// measured in terminal cells (charmbracelet/x/ansi), never in bytes.
package format

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

const ellipsis = "…"

// Width is the display width of s in cells, escape sequences ignored. Lines made of ASCII and
// the narrow symbols byova draws (✓ ✗ ▸ … • · box drawing, Latin letters) are measured in one
// quick pass; anything else (wide or combining characters, emoji) by grapheme clusters.
func Width(s string) int {
	w := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			i = skipEscape(s, i)
			continue
		case c >= 0x20 && c < 0x7f:
			w++
			i++
			continue
		case c < 0x80:
			i++ // other C0 controls take no cell
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !narrow(r) {
			return ansi.StringWidth(s)
		}
		w++
		i += size
	}
	return w
}

// narrow lists runes known to take exactly one cell in every terminal.
func narrow(r rune) bool {
	switch {
	case r == 0xAD: // soft hyphen: ansi.StringWidth counts it as 0, and Fit cuts with ansi
		return false
	case r >= 0xA0 && r < 0x300: // Latin-1, Latin Extended, IPA
		return true
	case r >= 0x2010 && r <= 0x2027: // dashes, quotes, bullet, ellipsis
		return true
	case r >= 0x2190 && r <= 0x21FF: // arrows
		return true
	case r >= 0x2500 && r <= 0x25FF: // box drawing, blocks, geometric shapes (▸)
		return true
	case r == 0x2713 || r == 0x2717: // ✓ ✗
		return true
	}
	return false
}

// skipEscape returns the index after the escape sequence starting at s[i] (CSI, OSC or a
// two-byte escape).
func skipEscape(s string, i int) int {
	if i+1 >= len(s) {
		return len(s)
	}
	switch s[i+1] {
	case '[': // CSI: parameters, then a final byte 0x40–0x7E
		j := i + 2
		for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
			j++
		}
		return min(j+1, len(s))
	case ']': // OSC: up to BEL or ST
		j := i + 2
		for j < len(s) {
			if s[j] == 0x07 {
				return j + 1
			}
			if s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
			j++
		}
		return len(s)
	}
	return i + 2
}

// Fit cuts s to at most w cells (with an ellipsis at the end) and pads it with spaces to
// exactly w cells.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := Width(s)
	if sw > w {
		// A wide rune that does not fit before the ellipsis leaves the cut short: pad it too.
		s = ansi.Truncate(s, w, ellipsis)
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		return s + strings.Repeat(" ", w-sw)
	}
	return s
}

// Cut cuts s to at most w cells with an ellipsis at the end; it does not pad.
func Cut(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if len(s) <= w || Width(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, ellipsis)
}

// CutMiddle cuts s to at most w cells by replacing its middle with an ellipsis, keeping
// both ends: for a URL the host and the last path segment are what people recognise.
func CutMiddle(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := Width(s)
	if sw <= w {
		return s
	}
	if w == 1 {
		return ellipsis
	}
	keep := w - 1
	head := (keep + 1) / 2
	tail := keep - head
	end := ansi.TruncateLeft(s, sw-tail, "")
	if ansi.StringWidth(end) > tail { // the cut fell inside a wide rune, which TruncateLeft keeps
		end = ansi.TruncateLeft(s, sw-tail+1, "")
	}
	return ansi.Truncate(s, head, "") + ellipsis + end
}

// FitMiddle is CutMiddle padded to exactly w cells.
func FitMiddle(s string, w int) string { return Fit(CutMiddle(s, w), w) }

// Countdown renders a remaining duration as 23h59m07s, 4m05s or 9s (whole seconds, rounded
// up so a token never shows 0s while still valid).
func Countdown(d time.Duration) string {
	if d <= 0 {
		return "0s"
	}
	secs := int64((d + time.Second - 1) / time.Second)
	h, m, s := secs/3600, (secs/60)%60, secs%60
	var b strings.Builder
	if h > 0 {
		b.WriteString(strconv.FormatInt(h, 10))
		b.WriteByte('h')
		b.WriteString(two(m))
		b.WriteByte('m')
		b.WriteString(two(s))
		b.WriteByte('s')
		return b.String()
	}
	if m > 0 {
		b.WriteString(strconv.FormatInt(m, 10))
		b.WriteByte('m')
		b.WriteString(two(s))
		b.WriteByte('s')
		return b.String()
	}
	b.WriteString(strconv.FormatInt(s, 10))
	b.WriteByte('s')
	return b.String()
}

// Ago renders how long ago t was, coarsely (3m ago, 5h ago, 2d ago).
func Ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 0:
		return "in " + Countdown(-d)
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m ago"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "h ago"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + "d ago"
}

func two(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// ShortID is the first 8 characters of an id, for places too narrow for a UUID.
func ShortID(id string) string {
	if len(id) <= 8 {
		return id
	}
	return id[:8]
}
