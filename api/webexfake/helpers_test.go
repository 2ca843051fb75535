package webexfake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// fixedNow is the clock of most tests, so seeded data and expiries are exact.
var fixedNow = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// start serves a fake on 127.0.0.1 for the test.
func start(t testing.TB, opts Options) *Server {
	t.Helper()
	s := New(opts)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

func (r reply) items(t testing.TB) []map[string]any {
	t.Helper()
	var m struct{ Items []map[string]any }
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a list: %v\n%s", err, r.body)
	}
	return m.Items
}

// errorDescriptions returns errors[].description of a Webex error body.
func (r reply) errorDescriptions(t testing.TB) []string {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("not a Webex error body: %v\n%s", err, r.body)
	}
	var out []string
	for _, d := range e.Errors {
		out = append(out, d.Description)
	}
	return out
}

// call sends a request; body may be nil, a string (sent as is) or anything JSON-encodable.
// contentType "" picks application/json for non-string bodies.
func call(t testing.TB, method, rawURL, token, contentType string, body any) reply {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case url.Values:
		rd = strings.NewReader(b.Encode())
		if contentType == "" {
			contentType = "application/x-www-form-urlencoded"
		}
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(j)
		if contentType == "" {
			contentType = "application/json"
		}
	}
	req, err := http.NewRequest(method, rawURL, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// checkWebexError asserts a Webex error: status, JSON body with message, errors and a
// trackingId that matches the trackingid header.
func checkWebexError(t testing.TB, r reply, status int, wantInDescription string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	var e errorBody
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("not a Webex error body: %v\n%s", err, r.body)
	}
	if e.Message == "" || len(e.Errors) == 0 || !strings.HasPrefix(e.TrackingID, "ROUTER_") {
		t.Fatalf("incomplete Webex error body: %s", r.body)
	}
	if h := r.header.Get("trackingid"); h != e.TrackingID {
		t.Fatalf("trackingid header %q, body %q", h, e.TrackingID)
	}
	if wantInDescription == "" {
		return
	}
	all := e.Message
	for _, d := range e.Errors {
		all += "\n" + d.Description
	}
	if !strings.Contains(all, wantInDescription) {
		t.Fatalf("error %s does not mention %q", r.body, wantInDescription)
	}
}
