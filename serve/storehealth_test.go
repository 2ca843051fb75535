package serve

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/byova/byova/config"
)

// flakyStore is a token store whose reads fail while down is set.
type flakyStore struct{ down atomic.Bool }

func (f *flakyStore) Load() (*config.Tokens, error) {
	if f.down.Load() {
		return nil, errors.New("etcd unreachable")
	}
	return &config.Tokens{}, nil
}
func (f *flakyStore) Update(func(*config.Tokens) error) error { return nil }
func (f *flakyStore) LockRefresh(context.Context, string, string, string) (func(), error) {
	return func() {}, nil
}
func (f *flakyStore) Path() string { return "flaky" }

// While the store is unreachable the receiver answers 503 with Retry-After and acts on
// nothing; once it answers again, deliveries go through with no restart.
func TestReceiverRefusesWhileStoreIsDown(t *testing.T) {
	st := &flakyStore{}
	st.down.Store(true)
	h := newStoreHealth(st)
	h.start()
	defer h.close()
	var reached atomic.Int32
	guarded := h.guard(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { reached.Add(1) }))
	code := func() (int, string) {
		rec := httptest.NewRecorder()
		guarded.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/webex", nil))
		return rec.Code, rec.Header().Get("Retry-After")
	}
	waitHealth(t, h, true)
	if c, ra := code(); c != http.StatusServiceUnavailable || ra == "" || reached.Load() != 0 {
		t.Fatalf("store down: %d Retry-After %q, handler reached %d times", c, ra, reached.Load())
	}
	st.down.Store(false)
	waitHealth(t, h, false)
	if c, _ := code(); c != http.StatusOK || reached.Load() != 1 {
		t.Fatalf("store back: %d, handler reached %d times", c, reached.Load())
	}
}

// waitHealth waits for the background probe (it runs every second) to see the store as down
// or up, failing after 10 s.
func waitHealth(t *testing.T, h *storeHealth, down bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for (h.Err() != nil) != down {
		if time.Now().After(deadline) {
			t.Fatalf("the probe did not see the store as down=%v", down)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
