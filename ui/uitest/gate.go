package uitest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Gate stands in front of a handler (webexfake) and holds one chosen request open until the
// test lets it go: a slow Webex without a clock, so a test knows the request is under way
// (Arrived) and decides when its answer comes (Release).
type Gate struct {
	t    testing.TB
	next http.Handler
	URL  string // the gate's address, 127.0.0.1

	mu      sync.Mutex
	match   func(*http.Request) bool
	arrived chan struct{}
	release chan struct{}
}

// NewGate serves next behind a gate on 127.0.0.1 until the test ends.
func NewGate(t testing.TB, next http.Handler) *Gate {
	t.Helper()
	g := &Gate{t: t, next: next}
	srv := httptest.NewServer(g)
	g.URL = srv.URL
	t.Cleanup(func() {
		g.Release() // a held request must not keep the server from closing
		srv.Close()
	})
	return g
}

// Hold makes the gate hold the next request with this method and path (a trailing slash
// ignored, the query not looked at); a path ending in "/" holds any path under it.
func (g *Gate) Hold(method, path string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.match = func(r *http.Request) bool {
		if r.Method != method {
			return false
		}
		if strings.HasSuffix(path, "/") {
			return strings.HasPrefix(r.URL.Path, path)
		}
		return strings.TrimSuffix(r.URL.Path, "/") == path
	}
	g.arrived, g.release = make(chan struct{}), make(chan struct{})
}

// Arrived waits until the held request has reached the gate.
func (g *Gate) Arrived() {
	g.t.Helper()
	g.mu.Lock()
	arrived := g.arrived
	g.mu.Unlock()
	select {
	case <-arrived:
	case <-time.After(Patience):
		g.t.Fatal("the request the gate holds never came")
	}
}

// Release lets the held request through (also one that has not come yet).
func (g *Gate) Release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.match = nil
	if g.release != nil {
		select {
		case <-g.release:
		default:
			close(g.release)
		}
	}
}

func (g *Gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	held := g.match != nil && g.match(r)
	var arrived, release chan struct{}
	if held {
		g.match = nil
		arrived, release = g.arrived, g.release
	}
	g.mu.Unlock()
	if held {
		close(arrived)
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
	}
	g.next.ServeHTTP(w, r)
}
