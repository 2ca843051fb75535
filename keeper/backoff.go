package keeper

import (
	"errors"
	"time"

	"github.com/byova/byova/api"
)

// maxBackoff caps how long an org that keeps answering 429 or 5xx is left alone.
const maxBackoff = time.Hour

// backoffBase is the first pause after a 429 or 5xx; each failure in a row doubles it.
const backoffBase = 30 * time.Second

// throttled reports whether err asks the keeper to leave the org alone for a while, and for
// how long at least (Webex's Retry-After when it said).
func throttled(err error) (bool, time.Duration) {
	var ae *api.Error
	if !errors.As(err, &ae) {
		return false, 0
	}
	if errors.Is(err, api.ErrRateLimited) || errors.Is(err, api.ErrServer) {
		return true, ae.RetryAfter
	}
	return false, 0
}

// backoffFor is the pause after the n-th throttled run in a row (n ≥ 1).
func backoffFor(n int, atLeast time.Duration) time.Duration {
	d := backoffBase
	for i := 1; i < n && d < maxBackoff; i++ {
		d *= 2
	}
	return min(max(d, atLeast), maxBackoff)
}
