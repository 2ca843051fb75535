// Package format turns values into cells of a given display width: cutting in the middle or at
// the end with an ellipsis, padding, and the countdowns shown for token expiry. Widths are
// measured in terminal cells (charmbracelet/x/ansi), never in bytes.
package format

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

const ellipsis = "…"

// Fit cuts s to at most w cells (with an ellipsis at the end) and pads it with spaces to
// exactly w cells.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, ellipsis)
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
	if ansi.StringWidth(s) <= w {
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
	sw := ansi.StringWidth(s)
	if sw <= w {
		return s
	}
	if w == 1 {
		return ellipsis
	}
	keep := w - 1
	head := (keep + 1) / 2
	tail := keep - head
	return ansi.Truncate(s, head, "") + ellipsis + ansi.TruncateLeft(s, sw-tail, "")
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
