package tui

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestRunQuitsWithQ(t *testing.T) {
	done := make(chan error, 1)
	go func() {
		done <- Run(context.Background(), Options{Input: strings.NewReader("q"), Output: io.Discard, NoColor: true})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("q must end Run with nil, got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after q")
	}
}

func TestRunStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	defer pw.Close()
	done := make(chan error, 1)
	go func() { done <- Run(ctx, Options{Input: pr, Output: io.Discard}) }()
	cancel() // at whatever point Run has reached: before the program starts or while it runs

	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("a cancelled context ends Run with its error, got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after the context ended")
	}
}
