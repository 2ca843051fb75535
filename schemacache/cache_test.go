package schemacache

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/byova/byova/api"
)

// now is the tests' clock.
var now = time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)

// tempCache is a cache in a folder of the test's own: no XDG path is read.
func tempCache(t *testing.T) Cache {
	t.Helper()
	return Cache{File: filepath.Join(t.TempDir(), "byova", "schemas.json")}
}

func schemaList() []api.Schema {
	return []api.Schema{{ID: "s1", ServiceType: "a"}, {ID: "s2", ServiceType: "b"}, {ID: "s3", ServiceType: "c"}, {ID: "s4", ServiceType: "d"}}
}

// replaceBase puts the test server's base URL where a fixture says BASE.
func replaceBase(content, base string) string { return strings.ReplaceAll(content, "BASE", base) }

// countingWebex serves the schema list and counts the requests; fail makes it answer 503.
type countingWebex struct {
	*httptest.Server
	gets atomic.Int32
	fail atomic.Bool
}

func newCountingWebex(t *testing.T) (*countingWebex, *api.Client) {
	t.Helper()
	cw := &countingWebex{}
	cw.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw.gets.Add(1)
		w.Header().Set("Content-Type", "application/json")
		if cw.fail.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"message":"try later","trackingId":"ROUTER_503"}`))
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"items": schemaList()})
	}))
	t.Cleanup(cw.Close)
	cl, err := api.New(api.Options{BaseURL: cw.URL + "/v1", Token: api.StaticToken{Value: "test-token"},
		Backoff: func(int) time.Duration { return time.Millisecond }})
	if err != nil {
		t.Fatal(err)
	}
	return cw, cl
}

func TestLoadCachesPerBaseURL(t *testing.T) {
	c := tempCache(t)
	cw, cl := newCountingWebex(t)
	base := cw.URL + "/v1"
	ctx := context.Background()

	items, err := c.Load(ctx, cl, base, time.Hour, now)
	if err != nil || len(items) != 4 || cw.gets.Load() != 1 {
		t.Fatalf("first load: %d items, err %v, %d GETs", len(items), err, cw.gets.Load())
	}
	fi, err := os.Stat(c.File)
	if err != nil {
		t.Fatalf("the list must be cached: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("cache mode %v, want 0600", fi.Mode().Perm())
	}

	// Within the expiry: the cache answers, without a client even.
	for _, client := range []*api.Client{cl, nil} {
		items, err = c.Load(ctx, client, base+"/", time.Hour, now.Add(59*time.Minute))
		if err != nil || len(items) != 4 || cw.gets.Load() != 1 {
			t.Fatalf("cache hit: %d items, err %v, %d GETs", len(items), err, cw.gets.Load())
		}
	}
	// Expired: Webex again.
	if _, err = c.Load(ctx, cl, base, time.Hour, now.Add(61*time.Minute)); err != nil || cw.gets.Load() != 2 {
		t.Fatalf("expired: err %v, %d GETs", err, cw.gets.Load())
	}
	// Reload ignores a fresh cache.
	if _, err = c.Reload(ctx, cl, base, now.Add(62*time.Minute)); err != nil || cw.gets.Load() != 3 {
		t.Fatalf("reload: err %v, %d GETs", err, cw.gets.Load())
	}
	// Another base URL has its own entry; the first stays.
	if _, err = c.Load(ctx, nil, "https://webexapis.com/v1", time.Hour, now); !errors.Is(err, errNoClient) {
		t.Fatalf("another base with no client and no entry: %v", err)
	}
	entries := c.read()
	if _, ok := entries[base]; !ok || len(entries) != 1 {
		t.Fatalf("entries: %v", keys(entries))
	}
}

func TestCorruptOrFutureCacheIsReplaced(t *testing.T) {
	for name, content := range map[string]string{
		"garbage":       "{not json",
		"wrong version": `{"version":99,"entries":{}}`,
		"half entry":    `{"version":1,"entries":{"BASE":{"items":[{"id":"x"}]}}}`,
		"future":        `{"version":1,"entries":{"BASE":{"fetchedAt":"2099-01-01T14:00:00Z","items":[{"id":"x"}]}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			c := tempCache(t)
			cw, cl := newCountingWebex(t)
			base := cw.URL + "/v1"
			if err := os.MkdirAll(filepath.Dir(c.File), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(c.File, []byte(replaceBase(content, base)), 0o600); err != nil {
				t.Fatal(err)
			}
			items, err := c.Load(context.Background(), cl, base, time.Hour, now)
			if err != nil || len(items) != 4 || cw.gets.Load() != 1 {
				t.Fatalf("%d items, err %v, %d GETs: the bad cache must be ignored", len(items), err, cw.gets.Load())
			}
			b, _ := os.ReadFile(c.File)
			var f cacheFile
			if json.Unmarshal(b, &f) != nil || f.Version != cacheVersion || len(f.Entries[base].Items) != 4 {
				t.Fatalf("the cache must be replaced by a good one:\n%s", b)
			}
		})
	}
}

func TestStaleCacheServesWhenWebexFails(t *testing.T) {
	c := tempCache(t)
	cw, cl := newCountingWebex(t)
	base := cw.URL + "/v1"
	ctx := context.Background()
	if _, err := c.Load(ctx, cl, base, time.Hour, now); err != nil {
		t.Fatal(err)
	}
	cw.fail.Store(true)
	r, err := c.Get(ctx, fixed(cl), base, time.Hour, now.Add(2*time.Hour), false)
	if err == nil || !r.Stale || len(r.Items) != 4 || !r.FetchedAt.Equal(now) {
		t.Fatalf("Webex down, cache expired: stale %v, %d items, err %v", r.Stale, len(r.Items), err)
	}
	if api.TrackingIDOf(err) != "ROUTER_503" {
		t.Fatalf("the error keeps Webex's trackingId: %v", err)
	}
	if items, err := c.Load(ctx, cl, base, time.Hour, now.Add(2*time.Hour)); err == nil || len(items) != 4 {
		t.Fatalf("Load returns the expired list with the error: %d, %v", len(items), err)
	}
}

func TestCachePrunes(t *testing.T) {
	c := tempCache(t)
	for i := range maxEntries + 3 {
		at := now.Add(-time.Duration(i) * time.Minute)
		if err := c.store(fmt.Sprintf("http://127.0.0.1:%d/v1", 40000+i), cacheEntry{FetchedAt: at, Items: []api.Schema{}}, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.store("https://old.example.com/v1", cacheEntry{FetchedAt: now.Add(-8 * 24 * time.Hour), Items: []api.Schema{}}, now); err != nil {
		t.Fatal(err)
	}
	if err := c.store("https://future.example.com/v1", cacheEntry{FetchedAt: now.Add(24 * time.Hour), Items: []api.Schema{}}, now.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	entries := c.read()
	if len(entries) != maxEntries {
		t.Fatalf("%d entries kept, want %d: %v", len(entries), maxEntries, keys(entries))
	}
	if _, ok := entries["http://127.0.0.1:40000/v1"]; !ok {
		t.Fatal("the newest entries are kept")
	}
	if _, ok := entries["https://old.example.com/v1"]; ok {
		t.Fatal("an entry older than a week is dropped")
	}
	if _, ok := entries["https://future.example.com/v1"]; ok {
		t.Fatal("an entry from the future is dropped")
	}
}

func keys(m map[string]cacheEntry) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
