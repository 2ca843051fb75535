package api_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
)

// A live key set (serve's prober, the fake gateway) follows every rotation at once, refetches
// an hour-old set, and fetches for a kid that no rotation brings (a forgery) once, then at
// most once a minute. A per-run set follows one rotation, once.
func TestLiveKeySetFollowsRotations(t *testing.T) {
	s := startFake(t, webexfake.Options{})
	c, _ := orgClient(t, s)
	now := time.Now()
	ks := api.NewLiveKeySet(s.Creds().JWKSURL)
	ks.Now = func() time.Time { return now }
	fetches := func() int { return count(s, "GET", "/idb/") }
	has := func(kid string) bool {
		t.Helper()
		set, err := ks.KeysFor(ctx(t), c, kid)
		if err != nil {
			t.Fatal(err)
		}
		return len(set.Key(kid)) > 0
	}

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if err := ks.Load(ctx(t), c); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := fetches(); n != 1 {
		t.Fatalf("%d fetches for eight first uses at once, want 1", n)
	}
	for i := range 3 {
		kid, err := s.RotateKey()
		if err != nil {
			t.Fatal(err)
		}
		if !has(kid) {
			t.Fatalf("rotation %d: kid %s is not found", i+1, kid)
		}
	}
	if n := fetches(); n != 4 {
		t.Fatalf("%d fetches for a load and three rotations, want 4", n)
	}
	base := fetches()
	for range 5 {
		has("forged-kid")
	}
	now = now.Add(30 * time.Second)
	has("forged-kid")
	if n := fetches() - base; n != 1 {
		t.Fatalf("%d fetches for a forged kid asked for six times in half a minute, want 1", n)
	}
	now = now.Add(31 * time.Second)
	has("forged-kid")
	if n := fetches() - base; n != 2 {
		t.Fatalf("%d fetches for a forged kid a minute on, want 2", n)
	}
	base = fetches()
	now = now.Add(time.Hour)
	has("")
	if n := fetches() - base; n != 1 {
		t.Fatalf("%d fetches for an hour-old set, want 1", n)
	}

	perRun := api.NewKeySet(s.Creds().JWKSURL)
	if err := perRun.Load(ctx(t), c); err != nil {
		t.Fatal(err)
	}
	base = fetches()
	for range 2 {
		kid, _ := s.RotateKey()
		perRun.KeysFor(ctx(t), c, kid)
	}
	if n := fetches() - base; n != 1 {
		t.Fatalf("a per-run set fetched %d times for two rotations, want once", n)
	}
}

// A live key set whose first fetch failed says so to every caller until it tries again a
// minute later; it never hands out a nil set.
func TestLiveKeySetAfterAFailedFetch(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		http.Error(w, "down", http.StatusNotFound)
	}))
	t.Cleanup(srv.Close)
	c, err := api.New(api.Options{BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	ks := api.NewLiveKeySet(srv.URL + api.JWKSPath)
	ks.Now = func() time.Time { return now }
	for i := range 3 {
		if set, err := ks.KeysFor(ctx(t), c, "kid-1"); err == nil || set != nil {
			t.Fatalf("call %d: set %v, error %v; want an error and no set", i, set, err)
		}
	}
	if n := hits.Load(); n != 1 {
		t.Fatalf("%d fetches within the minute, want 1", n)
	}
	now = now.Add(time.Minute)
	if _, err := ks.KeysFor(ctx(t), c, "kid-1"); err == nil || hits.Load() != 2 {
		t.Fatalf("a minute on: %v after %d fetches; want a second fetch that fails", err, hits.Load())
	}
}

// A caller that gives up while the shared fetch runs (Esc on the first probe) leaves at once,
// and neither fails the fetch for the others nor leaves its cancellation as the set's error:
// the next caller, within the minute, has the keys.
func TestLiveKeySetOutlivesACallerThatGivesUp(t *testing.T) {
	s := startFake(t, webexfake.Options{})
	c, _ := orgClient(t, s)
	hold := make(chan struct{})
	arrived := make(chan struct{}, 1)
	gate := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-hold
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(gate.Close)
	ks := api.NewLiveKeySet(gate.URL + api.JWKSPath)
	quit, cancel := context.WithCancel(ctx(t))
	gaveUp := make(chan error, 1)
	go func() { _, err := ks.KeysFor(quit, c, ""); gaveUp <- err }()
	<-arrived
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) {
		t.Fatalf("the caller that gave up got %v, want context.Canceled", err)
	}
	close(hold)
	set, err := ks.KeysFor(ctx(t), c, "")
	if err != nil || set == nil || len(set.Keys) == 0 {
		t.Fatalf("after a caller gave up: set %v, error %v; want the keys", set, err)
	}
}
