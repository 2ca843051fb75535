package keeper

import (
	"time"
)

// maxBackoff caps how long an org that keeps answering 429 or 5xx is left alone.
const maxBackoff = time.Hour

// backoffBase is the first pause after a 429 or 5xx; each failure in a row doubles it.
const backoffBase = 30 * time.Second

// backoffFor is the pause after the n-th throttled run in a row (n ≥ 1).
func backoffFor(n int, atLeast time.Duration) time.Duration {
	d := backoffBase
	for i := 1; i < n && d < maxBackoff; i++ {
		d *= 2
	}
	return min(max(d, atLeast), maxBackoff)
}
