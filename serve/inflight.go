package serve

import (
	"context"
	"net/http"
	"sync"
)

// writes tracks requests to Webex that change something (anything but GET and HEAD), so
// shutdown can let them finish instead of cutting a PUT off between Webex and the audit log.
type writes struct {
	next http.RoundTripper

	mu   sync.Mutex
	n    int
	idle chan struct{} // closed while n == 0
}

func newWrites(next http.RoundTripper) *writes {
	w := &writes{next: next, idle: make(chan struct{})}
	close(w.idle)
	return w
}

func (w *writes) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return w.next.RoundTrip(r)
	}
	w.mu.Lock()
	if w.n == 0 {
		w.idle = make(chan struct{})
	}
	w.n++
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		w.n--
		if w.n == 0 {
			close(w.idle)
		}
		w.mu.Unlock()
	}()
	return w.next.RoundTrip(r)
}

// wait returns when no write is in flight or ctx ends.
func (w *writes) wait(ctx context.Context) error {
	w.mu.Lock()
	idle := w.idle
	w.mu.Unlock()
	select {
	case <-idle:
		return nil
	default:
	}
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
