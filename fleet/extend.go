package fleet

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/byova/byova/api"
)

// Outcomes of one extend: the CLI's RESULT column and --json "result", the UI's row, the
// keeper's log line (its metric labels are keeper.ExtendOK & co.).
const (
	Extended    = "extended"
	WouldExtend = "would extend" // a dry run
	NotDue      = "not due"      // the fresh GET showed it was extended since it was listed
	Failed      = "failed"
)

// Job is one extend to do.
type Job struct {
	Org    string
	Client *api.Client // the org's client (its Service App token)
	ID     string
	// Lifetime overrides the source's own tokenLifetimeMinutes when > 0 (the CLI's --lifetime).
	Lifetime int
	// Within > 0 rechecks Due on the fresh GET, so two keepers (or a keeper and a person) that
	// listed the same source extend it once. 0 extends what was named.
	Within time.Duration
	// Nonce is sent as is when set (the UI shows it, masked, in the confirmation); else fresh.
	Nonce  string
	DryRun bool
	// Err is a job that failed before it could run (its org's token could not be had): Run
	// reports it as a failed Result without calling Webex.
	Err error
}

// Result is what one extend did, the one value the front ends print, draw and log.
type Result struct {
	Org, ID, Audience string
	Before, After     time.Time // token expiry before and after (After: expected, in a dry run)
	Outcome           string    // Extended, WouldExtend, NotDue, Failed
	TrackingID        string
	Err               error
	Lifetime          LifetimeChoice
	DataSource        *api.DataSource // Webex's answer to the PUT (nil unless Extended)
}

// Auditor writes one audit line for a write that was sent (session.AuditTracked's shape).
type Auditor func(org, op, id, trackingID string, err error) error

// Extender runs extends: the clock and the audit log are the front end's.
type Extender struct {
	Now   func() time.Time // nil: time.Now
	Audit Auditor          // nil: no audit (tests)
	// AuditFailed is told when the audit line could not be written (the write happened).
	AuditFailed func(err error)
}

func (e *Extender) now() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

// One extends one data source: a fresh GET (the list may lack fields and may be stale), the
// due check when asked, the lifetime rule, a fresh nonce, the PUT with the full
// configuration, and one audit line for the write.
func (e *Extender) One(ctx context.Context, j Job) (r Result) {
	// A panic on an answer the client did not expect is this source's failed row, wherever One
	// runs: on Run's goroutines no front end's recover reaches.
	defer func() {
		if p := recover(); p != nil {
			r = Result{Org: j.Org, ID: j.ID, Outcome: Failed, Err: fmt.Errorf("%w: %v", ErrUnexpected, p)}
		}
	}()
	return e.one(ctx, j)
}

func (e *Extender) one(ctx context.Context, j Job) Result {
	r := Result{Org: j.Org, ID: j.ID}
	fail := func(err error) Result {
		r.Outcome, r.Err, r.TrackingID = Failed, err, api.TrackingIDOf(err)
		return r
	}
	if j.Err != nil {
		return fail(j.Err)
	}
	if j.Client == nil {
		return fail(errors.New("extend: no client for org " + j.Org))
	}
	cur, err := j.Client.GetDataSource(ctx, j.ID)
	if err != nil {
		return fail(err)
	}
	r.Audience, r.Before = cur.Audience, cur.Expiry()
	r.Lifetime = Lifetime(cur, j.Lifetime)
	if j.Within > 0 && !Due(cur, e.now(), j.Within) {
		r.Outcome = NotDue
		return r
	}
	if j.DryRun {
		if _, err := api.ExtendPlan(cur, r.Lifetime.Minutes); err != nil {
			return fail(err)
		}
		r.Outcome = WouldExtend
		r.After = e.now().Add(time.Duration(r.Lifetime.Minutes) * time.Minute).Truncate(time.Second)
		return r
	}
	nonce := j.Nonce
	if nonce == "" {
		nonce = api.NewNonce()
	}
	tctx, tr := api.WithTracking(ctx)
	after, err := j.Client.ExtendLoaded(tctx, cur, r.Lifetime.Minutes, api.WithNonce(nonce))
	if e.Audit != nil {
		if aerr := e.Audit(j.Org, OpDataSourceExtend, j.ID, tr.ID(), err); aerr != nil && e.AuditFailed != nil {
			e.AuditFailed(aerr)
		}
	}
	if err != nil {
		return fail(err)
	}
	if after == nil {
		return fail(fmt.Errorf("data source %s: Webex answered the extend with no data source", j.ID))
	}
	r.Outcome, r.After, r.TrackingID, r.DataSource = Extended, after.Expiry(), tr.ID(), after
	return r
}
