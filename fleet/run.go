package fleet

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/sync/errgroup"
)

// Parallel is how many extends run at once by default: enough to finish a fleet quickly, few
// enough not to provoke Webex's rate limits.
const Parallel = 4

// RunOptions shape a Run.
type RunOptions struct {
	Limit int // extends at once; 0: Parallel
	// Halt, when set and true, starts no further job (serve is stopping); the rest are left out.
	Halt func() bool
	// Each is told every result as it lands, one call at a time, in the order they land.
	Each func(Result)
}

// ThrottledError is a Run's error for a job it did not start because its org answered 429 or 5xx
// earlier in the run: that org is left alone, the others go on.
type ThrottledError struct {
	Org   string
	Cause error
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("not tried: Webex throttled org %s earlier in this run (%v); run again later", e.Org, e.Cause)
}

func (e *ThrottledError) Unwrap() error { return e.Cause }

// ErrUnexpected is the error of an extend that panicked on an answer the client did not expect.
var ErrUnexpected = errors.New("byova could not handle Webex's answer to the extend (please report it)")

// Run does jobs Limit at a time and returns their results in the jobs' order (jobs left out
// by Halt or a cancelled ctx are missing). After a 429 or 5xx from an org, no further job of
// that org starts in this run: each is a Failed result wrapping ThrottledError.
func (e *Extender) Run(ctx context.Context, jobs []Job, o RunOptions) []Result {
	limit := o.Limit
	if limit <= 0 {
		limit = Parallel
	}
	var (
		g       errgroup.Group
		mu      sync.Mutex // guards the fields below and serialises Each
		results = make([]*Result, len(jobs))
		slowed  = map[string]error{}
	)
	g.SetLimit(limit)
	land := func(i int, r Result) {
		mu.Lock()
		defer mu.Unlock()
		if r.Err != nil && Throttled(r.Err) && slowed[r.Org] == nil {
			slowed[r.Org] = r.Err
		}
		results[i] = &r
		if o.Each != nil {
			o.Each(r)
		}
	}
	for i, j := range jobs {
		if ctx.Err() != nil || (o.Halt != nil && o.Halt()) {
			break
		}
		if j.Err != nil {
			land(i, e.One(ctx, j))
			continue
		}
		g.Go(func() error {
			// Checked once a slot is free, so an answer that landed meanwhile counts.
			mu.Lock()
			cause := slowed[j.Org]
			mu.Unlock()
			if cause != nil {
				land(i, Result{Org: j.Org, ID: j.ID, Outcome: Failed, Err: &ThrottledError{Org: j.Org, Cause: cause}})
				return nil
			}
			land(i, e.One(ctx, j))
			return nil
		})
	}
	_ = g.Wait() // the jobs return no error: each failure is its own Result
	out := make([]Result, 0, len(jobs))
	for _, r := range results {
		if r != nil {
			out = append(out, *r)
		}
	}
	return out
}
