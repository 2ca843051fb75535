package api

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter is the longest wait parseRetryAfter returns: larger values are clamped to it
// rather than overflowing time.Duration into a negative wait (which retried at once).
const maxRetryAfter = time.Duration(math.MaxInt64)

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3). A
// delay too large for a Duration is clamped to maxRetryAfter; the caller decides whether to wait.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if strings.Trim(v, "0123456789") == "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil || n > uint64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true // only digits: too many of them
		}
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now) // Sub saturates rather than overflowing
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
