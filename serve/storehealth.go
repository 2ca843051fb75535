package serve

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/byova/byova/config"
)

// With a shared store (etcd), whether it answers is watched in the background so that /readyz,
// the webhook receiver and the consoles know at once, never waiting on an unreachable store.
const (
	storeProbeEvery    = time.Second
	storeProbeDeadline = 2 * time.Second // a probe slower than this counts as unreachable
	storeRetryAfter    = "5"             // seconds, for the receiver's 503
)

type storeHealth struct {
	store config.TokenStore
	mu    sync.Mutex // guards err
	err   error      // nil: the last probe answered
	stop  chan struct{}
	done  chan struct{}
	began bool // start ran (only Start and shutdown touch it, one after the other)
}

func newStoreHealth(st config.TokenStore) *storeHealth {
	return &storeHealth{store: st, stop: make(chan struct{}), done: make(chan struct{})}
}

func (h *storeHealth) set(err error) {
	h.mu.Lock()
	h.err = err
	h.mu.Unlock()
}

// Err is why the store is unreachable (nil when it answered last).
func (h *storeHealth) Err() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.err
}

func (h *storeHealth) start() {
	h.began = true
	go h.run()
}

func (h *storeHealth) run() {
	defer close(h.done)
	for {
		got := make(chan error, 1)
		go func() { _, err := h.store.Load(); got <- err }()
		t := time.NewTimer(storeProbeDeadline)
		select {
		case err := <-got:
			h.set(err)
		case <-t.C:
			h.set(fmt.Errorf("token store %s: no answer within %s", h.store.Path(), storeProbeDeadline))
			select { // one probe at a time: wait for this one (bounded by the store's own timeout)
			case err := <-got:
				if err != nil {
					h.set(err)
				}
			case <-h.stop:
				t.Stop()
				return
			}
		case <-h.stop:
			t.Stop()
			return
		}
		t.Stop()
		select {
		case <-h.stop:
			return
		case <-time.After(storeProbeEvery):
		}
	}
}

func (h *storeHealth) close() {
	if !h.began {
		return
	}
	select {
	case <-h.stop:
	default:
		close(h.stop)
	}
	<-h.done
}

var errStoreDown = errors.New("the token store is unreachable")

// guard answers 503 with Retry-After while the store is unreachable: Webex retries the
// delivery, and no event is acted on without the tokens it needs.
func (h *storeHealth) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h.Err(); err != nil {
			w.Header().Set("Retry-After", storeRetryAfter)
			http.Error(w, errStoreDown.Error()+": retry later", http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	})
}
