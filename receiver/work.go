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
	turn   chan struct{} // closed when this org's earlier deliveries are done
	done   chan struct{} // closed once out is set and logged

	mu       sync.Mutex
	out      *Outcome
	answered int // 202 when the sender was answered before the outcome
}

// orgQueue serialises one org's deliveries in arrival order: authorized and deauthorized for
// the same org must not interleave their read-then-write of the store, and acting in the order
// Webex sent them keeps the log readable. waiting holds the turn of each queued job.
type orgQueue struct {
	busy    bool
	waiting []chan struct{}
}

// enqueue returns a channel closed when it is the job's turn for org. Callers hold h.mu, so
// the turns follow the order deliveries were accepted.
func (h *Handler) enqueue(org string) chan struct{} {
	turn := make(chan struct{})
	q := h.orgs[org]
	if q == nil {
		q = &orgQueue{}
		h.orgs[org] = q
	}
	if !q.busy {
		q.busy = true
		close(turn)
	} else {
		q.waiting = append(q.waiting, turn)
	}
	return turn
}

// next gives org's turn to the job queued after the one that finished.
func (h *Handler) next(org string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	q := h.orgs[org]
	if len(q.waiting) == 0 {
		delete(h.orgs, org)
		return
	}
	close(q.waiting[0])
	q.waiting = q.waiting[1:]
}

// run acts on one delivery: the org's turn first, then a worker slot, so that many deliveries
// for one org wait in their queue without taking slots other orgs need.
func (h *Handler) run(j *job) {
	defer h.wg.Done()
	<-j.turn
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
	// The org's next delivery starts only once this one is logged, so the log reads in the
	// order Webex sent them.
	defer h.next(j.ev.Org)

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
