package receiver

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/byova/byova/api"
)

// job is one accepted delivery on its way through a worker.
type job struct {
	ev     *api.ServiceAppEvent
	base   Outcome
	digest digest
	done   chan struct{} // closed once out is set and logged

	mu       sync.Mutex
	out      *Outcome
	answered int // 202 when the sender was answered before the outcome
}

// orgQueue serialises one org's deliveries: authorized and deauthorized for the same org must
// not interleave their read-then-write of the store. refs counts the jobs holding or waiting
// for it so the map entry goes when the org is idle.
type orgQueue struct {
	mu   sync.Mutex
	refs int
}

func (h *Handler) orgLock(org string) func() {
	h.mu.Lock()
	q := h.orgs[org]
	if q == nil {
		q = &orgQueue{}
		h.orgs[org] = q
	}
	q.refs++
	h.mu.Unlock()
	q.mu.Lock()
	return func() {
		q.mu.Unlock()
		h.mu.Lock()
		if q.refs--; q.refs == 0 {
			delete(h.orgs, org)
		}
		h.mu.Unlock()
	}
}

// run acts on one delivery: the org's turn first, then a worker slot, so that many deliveries
// for one org wait in their queue without taking slots other orgs need.
func (h *Handler) run(j *job) {
	defer h.wg.Done()
	unlock := h.orgLock(j.ev.Org)
	h.sem <- struct{}{}
	ctx, cancel := context.WithTimeout(context.Background(), h.timeout())
	var o Outcome
	if j.ev.Event == api.EventAuthorized {
		o = h.authorized(ctx, j.ev, j.base)
	} else {
		o = h.deauthorized(ctx, j.ev, j.base)
	}
	cancel()
	<-h.sem
	unlock()

	h.mu.Lock()
	h.pending--
	if o.Result == "failed" {
		h.recent.forget(j.digest) // Webex's retry of this delivery is acted on
	} else {
		h.recent.add(j.digest, handled, h.now())
	}
	h.mu.Unlock()

	j.mu.Lock()
	o.Answered = j.answered
	j.out = &o
	j.mu.Unlock()
	h.log(o)
	close(j.done)
}

func (h *Handler) timeout() time.Duration {
	if h.Timeout > 0 {
		return h.Timeout
	}
	return 20 * time.Second
}

var errNothing = errors.New("nothing to change")

func fail(out Outcome, status int, err error) Outcome {
	out.Result, out.Status, out.Reason, out.TrackingID = "failed", status, err.Error(), api.TrackingIDOf(err)
	return out
}

// webexStatus is the HTTP status of a Webex error answer, 0 for anything else.
func webexStatus(err error) int {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}
