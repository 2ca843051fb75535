package format

import (
	"strconv"
	"time"
)

// SecondsBelow is where countdowns start showing seconds: above it a minute is the unit, so a
// screen with nothing close to expiry need not repaint every second.
const SecondsBelow = 10 * time.Minute

// Remaining renders time left for a person: 23h59m, 1h05m, 24m above SecondsBelow (minutes
// cut down, so it never promises more than is left), 9m05s and 42s below (seconds rounded up,
// so a valid token never shows 0s).
func Remaining(d time.Duration) string {
	if d <= 0 {
		return "0s"
	}
	if d < SecondsBelow {
		return Countdown(d)
	}
	mins := int64(d / time.Minute)
	h, m := mins/60, mins%60
	if h > 0 {
		return strconv.FormatInt(h, 10) + "h" + two(m) + "m"
	}
	return strconv.FormatInt(m, 10) + "m"
}

// WarnBand is how long before expiry a token is flagged: the profile's window, or half the
// token's lifetime when the lifetime is no longer than the window, so a 60-minute token is not
// flagged the moment it is renewed under a 1h window. lifetime 0 (unknown) uses the window.
func WarnBand(lifetime, window time.Duration) time.Duration {
	if lifetime > 0 && lifetime <= window {
		return lifetime / 2
	}
	return window
}

// InWarnBand says whether a token with left to live (and that lifetime) is to be flagged.
func InWarnBand(left, lifetime, window time.Duration) bool {
	return left > 0 && left < WarnBand(lifetime, window)
}
