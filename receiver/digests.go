package receiver

import (
	"container/list"
	"crypto/sha256"
	"time"
)

// digest names a delivery by its raw body: Webex signs the body, so a replay is the same bytes.
type digest [sha256.Size]byte

type seenState int

const (
	inFlight seenState = iota + 1
	handled
)

type seenEntry struct {
	d     digest
	state seenState
	at    time.Time
}

// recentDeliveries remembers the digests of the last cap deliveries, oldest forgotten first,
// so memory stays bounded however many arrive. Callers hold Handler.mu.
type recentDeliveries struct {
	cap   int
	order *list.List // of *seenEntry, newest at the front
	byKey map[digest]*list.Element
}

func newRecent(n int) *recentDeliveries {
	return &recentDeliveries{cap: n, order: list.New(), byKey: map[digest]*list.Element{}}
}

func (r *recentDeliveries) get(d digest) *seenEntry {
	if e := r.byKey[d]; e != nil {
		return e.Value.(*seenEntry)
	}
	return nil
}

func (r *recentDeliveries) add(d digest, s seenState, at time.Time) {
	if e := r.byKey[d]; e != nil {
		e.Value.(*seenEntry).state, e.Value.(*seenEntry).at = s, at
		r.order.MoveToFront(e)
		return
	}
	r.byKey[d] = r.order.PushFront(&seenEntry{d: d, state: s, at: at})
	for r.order.Len() > r.cap {
		old := r.order.Back()
		r.order.Remove(old)
		delete(r.byKey, old.Value.(*seenEntry).d)
	}
}

// forget drops a digest so that Webex's retry of a failed delivery is acted on.
func (r *recentDeliveries) forget(d digest) {
	if e := r.byKey[d]; e != nil {
		r.order.Remove(e)
		delete(r.byKey, d)
	}
}
