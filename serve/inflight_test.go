package serve

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

type gatedTransport struct {
	started, release chan struct{}
}

func (g gatedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	g.started <- struct{}{}
	<-g.release
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
}

func TestShutdownWaitsForWritesInFlight(t *testing.T) {
	g := gatedTransport{started: make(chan struct{}, 1), release: make(chan struct{})}
	w := newWrites(g)
	done := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPut, "http://127.0.0.1/v1/dataSources/x", strings.NewReader("{}"))
		_, err := w.RoundTrip(req)
		done <- err
	}()
	<-g.started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := w.wait(ctx); err == nil {
		t.Fatal("wait returned while a PUT was in flight")
	}
	waited := make(chan error, 1)
	go func() { waited <- w.wait(context.Background()) }()
	close(g.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
	// Reads are not waited for.
	g2 := gatedTransport{started: make(chan struct{}, 1), release: make(chan struct{})}
	w2 := newWrites(g2)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/v1/dataSources", nil)
		_, _ = w2.RoundTrip(req)
	}()
	<-g2.started
	if err := w2.wait(ctx); err != nil {
		t.Fatalf("a GET in flight held up shutdown: %v", err)
	}
	close(g2.release)
}
