package serve

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/byova/byova/config"
	"github.com/byova/byova/ui/uitest"
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

// While the store is down the consoles are read-only where the write happens: any request
// that would change something at Webex fails before it is sent; reads go on.
func TestWritesRefusedWhileStoreIsDown(t *testing.T) {
	st := &flakyStore{}
	st.down.Store(true)
	h := newStoreHealth(st)
	var told []error
	h.changed = func(err error) { told = append(told, err) }
	h.start()
	var sent atomic.Int32
	rt := h.refuseWrites(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
	}))
	waitHealth(t, h, true)
	put, _ := http.NewRequest(http.MethodPut, "http://webex.test/v1/dataSources/x", nil)
	if _, err := rt.RoundTrip(put); err == nil || !errors.Is(err, errStoreDown) || sent.Load() != 0 {
		t.Fatalf("PUT with the store down: %v, %d sent", err, sent.Load())
	}
	get, _ := http.NewRequest(http.MethodGet, "http://webex.test/v1/dataSources", nil)
	if _, err := rt.RoundTrip(get); err != nil || sent.Load() != 1 {
		t.Fatalf("GET with the store down: %v, %d sent", err, sent.Load())
	}
	st.down.Store(false)
	waitHealth(t, h, false)
	h.close() // changed is called from run's goroutine: read told after it ended
	if _, err := rt.RoundTrip(put); err != nil || sent.Load() != 2 {
		t.Fatalf("PUT with the store back: %v", err)
	}
	if len(told) != 2 || told[0] == nil || told[1] != nil {
		t.Fatalf("consoles told %v: want the outage, then the return", told)
	}
}

// outageStore is the rig's own token store whose reads fail while down is set.
type outageStore struct {
	config.TokenStore
	down atomic.Bool
}

func (o *outageStore) Load() (*config.Tokens, error) {
	if o.down.Load() {
		return nil, errors.New("etcd unreachable")
	}
	return o.TokenStore.Load()
}

// alwaysLeader stands for a shared store's election this replica has won.
type alwaysLeader struct{}

func (alwaysLeader) Lead(ctx context.Context) (context.Context, error) { return ctx, nil }
func (alwaysLeader) Check(context.Context) error                       { return nil }
func (alwaysLeader) Leading() bool                                     { return true }
func (alwaysLeader) Fenced(st config.TokenStore) config.TokenStore     { return st }

// An operator's console says READ-ONLY in its header while the shared store is unreachable,
// with the reason in the banner, and stops saying it once the store answers again.
func TestHeaderReadOnlyWhileStoreIsDown(t *testing.T) {
	var st *outageStore
	r := newRig(t, func(o *Options) {
		st = &outageStore{TokenStore: o.Session.Store}
		o.Session.Store, o.Leader = st, alwaysLeader{}
	})
	con := r.open(t, r.operator, 80, 24)
	uitest.WaitText(t, con.screen, "alice · operator")
	if strings.Contains(con.screen(), "READ-ONLY") {
		t.Fatalf("READ-ONLY before any outage:\n%s", con.screen())
	}
	st.down.Store(true)
	uitest.WaitText(t, con.screen, "READ-ONLY", "token store")
	st.down.Store(false)
	uitest.WaitFor(t, "READ-ONLY to go", con.screen, func(s string) bool {
		return strings.Contains(s, "alice · operator") && !strings.Contains(s, "READ-ONLY")
	})
}
