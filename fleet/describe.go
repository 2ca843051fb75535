package fleet

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/byova/byova/api"
)

// Description is an error worded once for a person: the CLI's stderr, the UI's banner and the
// keeper's log line all read it. Headline and Hint are raw text (Webex's words among them):
// whoever shows them on a terminal passes them through safetext.
type Description struct {
	Headline   string
	Hint       string // what to do; ends with RetryWord when trying again is the fix
	TrackingID string
	Retryable  bool // the same call may work later (network, timeout, 429, 5xx)
}

// RetryWord ends a hint whose fix is trying again; each front end words it (HintWith).
const RetryWord = "retry"

// HintWith is the hint with its trailing RetryWord replaced by retry ("press r to retry").
func (d Description) HintWith(retry string) string {
	if base, ok := strings.CutSuffix(d.Hint, RetryWord); ok {
		return base + retry
	}
	return d.Hint
}

// Line is the headline with Webex's trackingId: a failed row's text wherever a run shows its
// rows (the CLI's table, the UI's list, the keeper's log line's "headline" plus its trackingId).
func (d Description) Line() string {
	if d.TrackingID == "" {
		return d.Headline
	}
	return d.Headline + " (trackingId " + d.TrackingID + ")"
}

// Describe words err. A nil error is the zero Description.
func Describe(err error) Description {
	if err == nil {
		return Description{}
	}
	d := Description{TrackingID: api.TrackingIDOf(err), Retryable: Throttled(err) || transient(err)}
	var ae *api.Error
	var ne *api.NetError
	var te *ThrottledError
	switch {
	case errors.As(err, &te):
		// Nothing was sent: the throttling answer's trackingId belongs to another call.
		d.Headline, d.Hint, d.TrackingID = "not tried: Webex throttled the org earlier in this run", "wait a little, then "+RetryWord, ""
	case errors.Is(err, api.ErrNotSignedIn):
		d.Headline, d.Hint = err.Error(), "sign in with `byova auth login`"
	case errors.As(err, &ne):
		d.Headline, d.Hint = "Webex is unreachable: "+ne.Err.Error(), "check the network or the base URL, then "+RetryWord
	case errors.As(err, &ae):
		msg := ae.Message
		if msg == "" {
			msg = ae.Body
		}
		if msg == "" {
			msg = fmt.Sprintf("Webex answered %d", ae.Status)
		}
		for _, det := range ae.Details {
			if det != "" && det != msg {
				msg += "; " + det
			}
		}
		d.Headline, d.Hint = msg, ae.Hint()
	case errors.Is(err, context.DeadlineExceeded):
		d.Headline, d.Hint = "Webex did not answer in time", RetryWord
	default:
		d.Headline = err.Error()
	}
	return d
}

// transient: the network or a deadline, which a later try may get past.
func transient(err error) bool {
	var ne *api.NetError
	var ae *api.Error
	return errors.As(err, &ne) || (errors.Is(err, context.DeadlineExceeded) && !errors.As(err, &ae))
}

// Throttled reports whether err asks to leave the org alone for a while (Webex's 429 or a
// 5xx), and for how long at least (Webex's Retry-After when it said).
func Throttled(err error) bool {
	var ae *api.Error
	return errors.As(err, &ae) && (errors.Is(err, api.ErrRateLimited) || errors.Is(err, api.ErrServer))
}

// RetryAfter is the wait Webex asked for with err (0 when it said none).
func RetryAfter(err error) (d time.Duration) {
	var ae *api.Error
	if errors.As(err, &ae) {
		return ae.RetryAfter
	}
	return 0
}
