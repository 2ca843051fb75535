package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is Webex's production REST base.
const DefaultBaseURL = "https://webexapis.com/v1"

// Version is stamped into the User-Agent; main sets it from the build.
var Version = "dev"

// Options configure a Client. Zero values pick sensible defaults.
type Options struct {
	BaseURL    string        // default DefaultBaseURL
	Token      TokenSource   // bearer for every call; nil sends none
	HTTPClient *http.Client  // default: a client with its own transport
	UserAgent  string        // default "byova/<Version>"
	Timeout    time.Duration // per attempt, default 30 s
	// MaxRetryAfter caps how long a 429 may make us wait, default 60 s.
	MaxRetryAfter time.Duration
	// Backoff is the wait before retry n (1-based) of a GET that got 502/503/504.
	Backoff func(n int) time.Duration
	// PageSize, when set, is sent as `max` on list calls.
	PageSize int
	// MaxPages ends a list walk that is still being sent next-page links, default 10000.
	MaxPages int
	// ListTimeout bounds a whole list walk, every page and retry included, default 5 min.
	ListTimeout time.Duration
	Logger      *slog.Logger // default discards
	// Sleep waits d (a 429's Retry-After, a 5xx's backoff) or until ctx ends, default a
	// timer: tests pass one that records the wait instead of taking it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client talks to one Webex REST base URL. It is safe for concurrent use.
type Client struct {
	base     *url.URL
	baseStr  string
	token    TokenSource
	hc       *http.Client
	ua       string
	timeout  time.Duration
	maxWait  time.Duration
	backoff  func(int) time.Duration
	page     int
	maxPages int
	listTime time.Duration
	log      *slog.Logger
	sleep    func(context.Context, time.Duration) error
}

// New builds a Client. It fails only on a malformed base URL.
func New(o Options) (*Client, error) {
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	raw := strings.TrimRight(o.BaseURL, "/")
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("base URL %q is not an http(s) URL like %s", o.BaseURL, DefaultBaseURL)
	}
	c := &Client{base: u, baseStr: raw, token: o.Token, hc: o.HTTPClient, ua: o.UserAgent,
		timeout: o.Timeout, maxWait: o.MaxRetryAfter, backoff: o.Backoff, page: o.PageSize,
		maxPages: o.MaxPages, listTime: o.ListTimeout, log: o.Logger, sleep: o.Sleep}
	if c.hc == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		// A list is one body of megabytes: read it in 64 KiB, not the default 4 KiB, reads.
		t.ReadBufferSize = 64 << 10
		c.hc = &http.Client{Transport: t}
	}
	if c.ua == "" {
		c.ua = "byova/" + Version
	}
	if c.timeout <= 0 {
		c.timeout = 30 * time.Second
	}
	if c.maxWait <= 0 {
		c.maxWait = 60 * time.Second
	}
	if c.maxPages <= 0 {
		c.maxPages = 10000
	}
	if c.listTime <= 0 {
		c.listTime = 5 * time.Minute
	}
	if c.backoff == nil {
		c.backoff = func(n int) time.Duration { return time.Duration(250<<n) * time.Millisecond }
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.sleep == nil {
		c.sleep = sleep
	}
	return c, nil
}

// BaseURL returns the REST base without a trailing slash.
func (c *Client) BaseURL() string { return c.baseStr }

// WithToken returns a copy of the client that authenticates with ts.
func (c *Client) WithToken(ts TokenSource) *Client {
	cp := *c
	cp.token = ts
	return &cp
}

// HTTPClient returns the underlying HTTP client (shared by the OAuth grants).
func (c *Client) HTTPClient() *http.Client { return c.hc }

// call is one logical API call; do may send it several times.
type call struct {
	method string
	url    string // absolute
	body   []byte
	ctype  string
	auth   bool
}

// response is a finished 2xx exchange: its body read whole, or (for a streamed call) open in
// stream for the caller to read and close.
type response struct {
	status int
	header http.Header
	body   []byte
	stream io.ReadCloser
}

func (c *Client) endpoint(path string, q url.Values) string {
	s := c.baseStr + path
	if len(q) > 0 {
		s += "?" + q.Encode()
	}
	return s
}

// doJSON sends a JSON body (when in != nil) and decodes a JSON answer into out (when out != nil).
func (c *Client) doJSON(ctx context.Context, method, path string, q url.Values, in, out any) (*response, error) {
	cl := call{method: method, url: c.endpoint(path, q), auth: true}
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("encoding %s %s: %w", method, path, err)
		}
		cl.body, cl.ctype = b, "application/json"
	}
	resp, err := c.do(ctx, cl)
	if err != nil {
		return nil, err
	}
	if out != nil {
		if isNullBody(resp.body) {
			return resp, badReply(method, path, resp.header, "an empty body where a JSON object was due")
		}
		if err := json.Unmarshal(resp.body, out); err != nil {
			return resp, fmt.Errorf("Webex sent a response to %s %s that is not the JSON expected: %w", method, path, err)
		}
	}
	return resp, nil
}

// object is doJSON for a call whose answer is one Webex object named what ("a data source"):
// an empty, null or id-less answer is an error naming it, never an empty object.
func (c *Client) object(ctx context.Context, method, path string, in, out any, id func() string, what string) error {
	resp, err := c.doJSON(ctx, method, path, nil, in, out)
	var re *ReplyError
	if errors.As(err, &re) {
		re.Problem = "an empty or null body where " + what + " was due"
		return re
	}
	if err != nil {
		return err
	}
	return needID(resp, method, path, what, id())
}

const maxBody = 64 << 20

// do sends cl with the retry rules: 401 → refresh once and retry once; 429 → wait Retry-After
// (capped) up to 3 times; 502/503/504 on GET → back off up to 3 times. Never repeats a
// non-GET after a 5xx.
func (c *Client) do(ctx context.Context, cl call) (*response, error) {
	return c.send(ctx, cl, false)
}

// send is do, leaving a 2xx body open in response.stream when stream is set (errors are
// always read whole: they are small and their text is the message).
func (c *Client) send(ctx context.Context, cl call, stream bool) (*response, error) {
	var (
		refreshed  bool
		limited    int
		serverErrs int
		rejected   string
	)
	for {
		var tok string
		if cl.auth && c.token != nil {
			var err error
			if rejected != "" {
				tok, err = c.token.Refresh(ctx, rejected)
			} else {
				tok, err = c.token.Token(ctx)
			}
			if err != nil {
				return nil, err
			}
		}
		resp, err := c.once(ctx, cl, tok, stream)
		if err != nil {
			return nil, err
		}
		if resp.status >= 200 && resp.status < 300 {
			return resp, nil
		}
		path := pathOf(cl.url)
		apiErr := newError(cl.method, path, resp.status, resp.header, resp.body)
		switch {
		case resp.status == http.StatusUnauthorized && cl.auth && c.token != nil && !refreshed && !apiErr.clientRefused():
			// A refused client ID or secret (RFC 6749 invalid_client) is not the bearer's fault:
			// refreshing it would spend a refresh token on nothing.
			refreshed, rejected = true, tok
			c.log.Debug("401, refreshing token", "method", cl.method, "path", path, "trackingId", apiErr.TrackingID)
			continue
		case resp.status == http.StatusTooManyRequests && limited < 3:
			limited++
			raw := resp.header.Get("Retry-After")
			wait, ok := parseRetryAfter(raw, time.Now())
			if !ok {
				wait = min(c.backoff(limited), c.maxWait)
			}
			if wait > c.maxWait {
				// Waiting the cap and asking again would be refused the same way: say so now.
				apiErr.RetryAfter = wait
				return nil, fmt.Errorf("%w — Webex asks to wait %s (Retry-After: %s), more than the %s byova waits: try again after that", apiErr, waitText(wait), cut(strings.TrimSpace(raw), 40), c.maxWait)
			}
			c.log.Debug("429, waiting", "wait", wait, "path", path, "trackingId", apiErr.TrackingID)
			if err := c.sleep(ctx, wait); err != nil {
				return nil, err
			}
			continue
		case cl.method == http.MethodGet && serverErrs < 3 && (resp.status == http.StatusBadGateway ||
			resp.status == http.StatusServiceUnavailable || resp.status == http.StatusGatewayTimeout):
			serverErrs++
			c.log.Debug("server error on GET, backing off", "status", resp.status, "path", path, "trackingId", apiErr.TrackingID)
			if err := c.sleep(ctx, c.backoff(serverErrs)); err != nil {
				return nil, err
			}
			continue
		}
		return nil, apiErr
	}
}

// once performs a single HTTP exchange with its own timeout. With stream, a 2xx body is left
// open (the timeout then covers reading it, and closing it ends the exchange).
func (c *Client) once(ctx context.Context, cl call, tok string, stream bool) (*response, error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	handedOff := false // to a streamBody, whose Close cancels
	defer func() {
		if !handedOff {
			cancel()
		}
	}()
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	req, err := http.NewRequestWithContext(actx, cl.method, cl.url, body)
	if err != nil {
		return nil, fmt.Errorf("building %s %s: %w", cl.method, pathOf(cl.url), err)
	}
	req.Header.Set("User-Agent", c.ua)
	req.Header.Set("Accept", "application/json")
	if cl.ctype != "" {
		req.Header.Set("Content-Type", cl.ctype)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	start := time.Now()
	res, err := c.hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("Webex did not answer %s %s within %s: check the network or try again", cl.method, pathOf(cl.url), c.timeout)
		}
		return nil, &NetError{Op: cl.method + " " + pathOf(cl.url), Host: c.base.Host, Err: stripURL(err)}
	}
	c.log.Debug("http", "method", cl.method, "path", pathOf(cl.url), "status", res.StatusCode,
		"ms", time.Since(start).Milliseconds(), "trackingId", res.Header.Get("Trackingid"))
	recordTracking(ctx, res.Header.Get("Trackingid"))
	if stream && res.StatusCode >= 200 && res.StatusCode < 300 {
		op := "reading " + cl.method + " " + pathOf(cl.url)
		handedOff = true
		return &response{status: res.StatusCode, header: res.Header,
			stream: &streamBody{rc: res.Body, cancel: cancel, op: op, host: c.base.Host, timeout: c.timeout, ctx: ctx, actx: actx}}, nil
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, maxBody))
	if err != nil {
		return nil, &NetError{Op: "reading " + cl.method + " " + pathOf(cl.url), Host: c.base.Host, Err: stripURL(err)}
	}
	return &response{status: res.StatusCode, header: res.Header, body: b}, nil
}

// streamBody is an open 2xx body. Its read errors say what was being read, as once's do, and
// Close ends the exchange's timeout.
type streamBody struct {
	rc        io.ReadCloser
	cancel    context.CancelFunc
	op, host  string
	timeout   time.Duration
	ctx, actx context.Context
}

func (s *streamBody) Read(p []byte) (int, error) {
	n, err := s.rc.Read(p)
	if err != nil && err != io.EOF {
		switch {
		case s.ctx.Err() != nil:
			err = s.ctx.Err()
		case s.actx.Err() != nil:
			err = fmt.Errorf("Webex did not finish sending %s within %s: check the network or try again", strings.TrimPrefix(s.op, "reading "), s.timeout)
		default:
			err = &NetError{Op: s.op, Host: s.host, Err: stripURL(err)}
		}
	}
	return n, err
}

func (s *streamBody) Close() error {
	err := s.rc.Close()
	s.cancel()
	return err
}

// waitText shows a Retry-After wait; a clamped absurd one reads as what it is.
func waitText(d time.Duration) string {
	if d >= 24*time.Hour {
		return "more than a day"
	}
	return d.Round(time.Second).String()
}

// NetError is a failure to reach Webex at all.
type NetError struct {
	Op   string
	Host string
	Err  error
}

func (e *NetError) Error() string {
	return fmt.Sprintf("cannot reach Webex at %s (%s): %v — check the network and the base URL", e.Host, e.Op, e.Err)
}
func (e *NetError) Unwrap() error { return e.Err }

// stripURL drops the URL from *url.Error: it may hold query cursors and is repeated elsewhere.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Path
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
