package api

import (
	"context"
	"net/http"
	"time"
)

// Probe is what one unauthenticated request to Webex tells: that it answers, how fast, and
// its clock (the Date header), for `byova doctor`.
type Probe struct {
	Status     int
	ServerTime time.Time // zero when the Date header is missing
	Took       time.Duration
}

// Ping sends GET /people/me without a token: any HTTP answer (401 included) proves the base
// URL reaches Webex. Only a network failure is an error.
func (c *Client) Ping(ctx context.Context) (*Probe, error) {
	start := time.Now()
	resp, err := c.once(ctx, call{method: http.MethodGet, url: c.endpoint("/people/me", nil)}, "", false)
	if err != nil {
		return nil, err
	}
	p := &Probe{Status: resp.status, Took: time.Since(start)}
	if d := resp.header.Get("Date"); d != "" {
		p.ServerTime, _ = http.ParseTime(d)
	}
	return p, nil
}
