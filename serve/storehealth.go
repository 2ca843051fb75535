package serve

import (
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/config"
	"github.com/byova/byova/tui"
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
	// changed is told when the store goes away (err) or comes back (nil); from run's goroutine.
	changed func(err error)
}

func newStoreHealth(st config.TokenStore) *storeHealth {
	return &storeHealth{store: st, stop: make(chan struct{}), done: make(chan struct{})}
}

func (h *storeHealth) set(err error) {
	h.mu.Lock()
	was := h.err
	h.err = err
	h.mu.Unlock()
	if (was == nil) != (err == nil) && h.changed != nil {
		h.changed(err)
	}
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

// refuseWrites fails every request that would change something at Webex (anything but GET and
// HEAD) while the store is unreachable: the consoles are read-only then, because a write's audit
// entry and any token it needs could not be stored.
func (h *storeHealth) refuseWrites(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if err := h.Err(); err != nil {
				if r.Body != nil {
					r.Body.Close()
				}
				return nil, fmt.Errorf("%w, so byova is read-only until it returns (%v); nothing was sent", errStoreDown, err)
			}
		}
		return next.RoundTrip(r)
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// tellConsoles shows the store's state in every open console: a banner when it goes, a notice
// when it is back. Programs are collected under s.mu and told outside it (Send may wait).
func (s *Server) tellConsoles(err error) {
	s.mu.Lock()
	var ps []*tea.Program
	for _, st := range s.seats {
		if st.program != nil {
			ps = append(ps, st.program)
		}
	}
	s.mu.Unlock()
	var msg tea.Msg = tui.NoticeMsg{Text: "the token store is reachable again: writes are back"}
	if err != nil {
		msg = tui.ErrorMsg{Op: "the token store (read-only until it returns)", Err: err}
	}
	for _, p := range ps {
		go p.Send(msg)
	}
}
