package api

import (
	"context"
	"sync"
)

// Tracking holds the trackingId Webex sent with the last answer to calls made with its context,
// so a successful write can be logged with the id Webex support would ask for.
type Tracking struct {
	mu sync.Mutex
	id string
}

type trackingKey struct{}

// WithTracking returns a context whose calls record their trackingId in the returned Tracking.
func WithTracking(ctx context.Context) (context.Context, *Tracking) {
	t := &Tracking{}
	return context.WithValue(ctx, trackingKey{}, t), t
}

// ID is the last trackingId seen ("" when none).
func (t *Tracking) ID() string {
	if t == nil {
		return ""
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.id
}

func recordTracking(ctx context.Context, id string) {
	if t, ok := ctx.Value(trackingKey{}).(*Tracking); ok && id != "" {
		t.mu.Lock()
		t.id = id
		t.mu.Unlock()
	}
}
