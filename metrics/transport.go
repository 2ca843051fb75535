package metrics

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Transport counts and times every request that goes through next (nil: http.DefaultTransport).
// Put it under the session's HTTP client so api needs no hooks.
func (m *Metrics) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &transport{m: m, next: next}
}

type transport struct {
	m    *Metrics
	next http.RoundTripper
}

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	res, err := t.next.RoundTrip(r)
	route := Route(r.URL.Path)
	code := "error"
	if err == nil {
		code = strconv.Itoa(res.StatusCode)
	}
	t.m.requests.WithLabelValues(r.Method, route, code).Inc()
	t.m.latency.WithLabelValues(r.Method, route).Observe(time.Since(start).Seconds())
	return res, err
}

// word is a path segment kept as is: a resource name or a version, never an id (UUIDs have
// hyphens, Webex's base64 ids are long and mixed).
var word = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_]{1,24}[0-9]{0,2}$`) })

// maxSegments bounds a route, so a hostile path cannot make many series.
const maxSegments = 6

// Route is path with ids replaced by {id}: /v1/dataSources/0f6c… → /v1/dataSources/{id}.
func Route(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) > maxSegments {
		segs = append(segs[:maxSegments], "…")
	}
	for i, s := range segs {
		if s != "" && s != "…" && !word().MatchString(s) {
			segs[i] = "{id}"
		}
	}
	return "/" + strings.Join(segs, "/")
}
