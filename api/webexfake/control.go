package webexfake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// The control surface lets `byova fake ctl` stage incidents on a running `fake serve --control`.
// It cannot be reached otherwise, by construction rather than by a check in the API router:
//
//   - only StartAt mounts it, and only when Options.Control is set; ServeHTTP (the Webex API)
//     never routes ControlPrefix, so a fake without --control answers it with a Webex 404;
//   - StartAt listens on loopback only, and the handler also refuses a peer that is not;
//   - every call is a POST with a JSON body and the ControlHeader, which a web page cannot send
//     to another origin without a CORS preflight the fake never grants (no drive-by requests
//     from a browser on the same machine).

// ControlPrefix is where the control surface lives, next to the Webex API on the same listener.
const ControlPrefix = "/_byova/fake/control/"

// ControlHeader must be present (value "1") on every control call.
const ControlHeader = "X-Byova-Fake-Control"

// ControlRequest is the body of every control call; each action reads the fields it needs.
type ControlRequest struct {
	Path       string `json:"path,omitempty"`
	Method     string `json:"method,omitempty"`
	Status     int    `json:"status,omitempty"`
	RetryAfter int    `json:"retryAfter,omitempty"`
	Times      int    `json:"times,omitempty"`
	Org        string `json:"org,omitempty"`
	Refresh    bool   `json:"refresh,omitempty"`
	DataSource string `json:"dataSource,omitempty"`
	In         string `json:"in,omitempty"` // Go duration, e.g. "10m"
	Event      string `json:"event,omitempty"`
	To         string `json:"to,omitempty"`
	Secret     string `json:"secret,omitempty"`
	Tail       int    `json:"tail,omitempty"`
}

// ControlAnswer is what every control call returns.
type ControlAnswer struct {
	Done    string        `json:"done,omitempty"`    // one line saying what happened
	Error   string        `json:"error,omitempty"`   // why it did not
	Status  int           `json:"status,omitempty"`  // deliver: the receiver's HTTP status
	Log     []RequestLine `json:"log,omitempty"`     // requests: the tail of the log
	Expiry  string        `json:"expiry,omitempty"`  // expire data-source: the new exp
	KeyID   string        `json:"keyId,omitempty"`   // rotate-key: the new kid
	Skipped []string      `json:"skipped,omitempty"` // authorize: deliveries not sent
}

// RequestLine is one request-log entry without headers or body (they may hold secrets).
type RequestLine struct {
	Time   string `json:"time"`
	Method string `json:"method"`
	Path   string `json:"path"`
	Query  string `json:"query,omitempty"`
	Status int    `json:"status"`
}

// statusesToFail are the faults a person can inject: the ones Webex answers and clients must ride.
var statusesToFail = map[int]bool{401: true, 429: true, 500: true, 503: true}

// withControl is the handler StartAt serves when Options.Control is set.
func (s *Server) withControl() http.Handler {
	mux := http.NewServeMux()
	mux.Handle(ControlPrefix, http.HandlerFunc(s.serveControl))
	mux.Handle("/", s)
	return mux
}

func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	answer := func(status int, a ControlAnswer) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(a)
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err != nil || !isLoopback(host) {
		answer(http.StatusForbidden, ControlAnswer{Error: "the control surface answers loopback peers only"})
		return
	}
	if r.Method != http.MethodPost || r.Header.Get(ControlHeader) != "1" ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		answer(http.StatusBadRequest, ControlAnswer{Error: "control calls are POSTs with a JSON body and " + ControlHeader + ": 1; use byova fake ctl"})
		return
	}
	var req ControlRequest
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		answer(http.StatusBadRequest, ControlAnswer{Error: "control request: " + err.Error()})
		return
	}
	a, err := s.control(strings.TrimPrefix(r.URL.Path, ControlPrefix), req)
	if err != nil {
		a.Error = err.Error()
		answer(http.StatusBadRequest, a)
		return
	}
	answer(http.StatusOK, a)
}

// control runs one action; errors are the caller's to fix (unknown org, bad status...).
func (s *Server) control(action string, req ControlRequest) (ControlAnswer, error) {
	switch action {
	case "fail":
		return s.controlFail(req)
	case "expire-data-source":
		return s.controlExpireDataSource(req)
	case "authorize", "deauthorize":
		return s.controlAuthorize(action, req)
	case "deliver":
		return s.controlDeliver(req)
	case "requests":
		return s.controlRequests(req)
	case "expire-token":
		n, err := s.ExpireOrgTokens(req.Org, req.Refresh)
		if err != nil {
			return ControlAnswer{}, err
		}
		what := "access tokens"
		if req.Refresh {
			what = "access and refresh tokens"
		}
		return ControlAnswer{Done: fmt.Sprintf("%d Service App %s of org %s now answer 401", n, what, req.Org)}, nil
	case "rotate-key":
		kid, err := s.RotateKey()
		if err != nil {
			return ControlAnswer{}, err
		}
		return ControlAnswer{KeyID: kid, Done: "new tokens are signed with kid " + kid + "; the JWKS keeps the previous key"}, nil
	case "mint-bad-signature":
		if err := s.ForgeSignature(req.DataSource); err != nil {
			return ControlAnswer{}, err
		}
		return ControlAnswer{Done: "data source " + req.DataSource + " now carries a token whose signature does not verify"}, nil
	case "agent":
		return s.agentControl(req)
	}
	return ControlAnswer{}, fmt.Errorf("unknown control action %q", action)
}

// controlFail injects a fault: the next requests to a path answer an error.
func (s *Server) controlFail(req ControlRequest) (ControlAnswer, error) {
	if !statusesToFail[req.Status] {
		return ControlAnswer{}, fmt.Errorf("status %d: choose 429, 401, 500 or 503", req.Status)
	}
	if !strings.HasPrefix(req.Path, "/") {
		return ControlAnswer{}, fmt.Errorf("path %q must start with /, e.g. /v1/dataSources", req.Path)
	}
	if req.Times < 0 || req.RetryAfter < 0 {
		return ControlAnswer{}, errors.New("times and retry-after must not be negative")
	}
	f := Fault{Method: req.Method, Path: req.Path, Status: req.Status, Times: req.Times}
	if req.RetryAfter > 0 {
		f.RetryAfter = fmt.Sprint(req.RetryAfter)
	}
	s.InjectFault(f)
	times := max(req.Times, 1)
	return ControlAnswer{Done: fmt.Sprintf("the next %d request(s) to %s* answer %d", times, req.Path, req.Status)}, nil
}

// controlExpireDataSource re-issues a data source's token to expire now or in req.In.
func (s *Server) controlExpireDataSource(req ControlRequest) (ControlAnswer, error) {
	d := time.Duration(0)
	if req.In != "" {
		var err error
		if d, err = time.ParseDuration(req.In); err != nil {
			return ControlAnswer{}, fmt.Errorf("--in %q: %w (e.g. 10m, 1h)", req.In, err)
		}
	}
	exp, err := s.ExpireDataSource(req.DataSource, d)
	if err != nil {
		return ControlAnswer{}, err
	}
	return ControlAnswer{Done: "data source " + req.DataSource + " token expires " + isoTime(exp), Expiry: isoTime(exp)}, nil
}

// controlAuthorize (action authorize or deauthorize) changes an org's authorization of the
// Service App; a failed webhook delivery is reported, not an error: the state changed.
func (s *Server) controlAuthorize(action string, req ControlRequest) (ControlAnswer, error) {
	var err error
	if action == "authorize" {
		err = s.AuthorizeOrg(req.Org)
	} else {
		err = s.DeauthorizeOrg(req.Org)
	}
	done := fmt.Sprintf("org %s %sd the Service App", req.Org, action)
	if err != nil && strings.Contains(err.Error(), "webhook ") {
		return ControlAnswer{Done: done, Skipped: strings.Split(err.Error(), "\n")}, nil // state changed; some deliveries failed
	}
	return ControlAnswer{Done: done}, err
}

// controlDeliver changes an org's authorization and POSTs the serviceApp event to req.To.
func (s *Server) controlDeliver(req ControlRequest) (ControlAnswer, error) {
	d, err := s.DeliverTo(req.Event, req.Org, req.To, req.Secret)
	if err != nil && d.TargetURL == "" {
		return ControlAnswer{}, err
	}
	a := ControlAnswer{Status: d.Status, Done: fmt.Sprintf("%s for org %s posted to %s: HTTP %d", req.Event, req.Org, req.To, d.Status)}
	if d.Signature == "" {
		a.Done += " (unsigned: no secret)"
	}
	if err != nil {
		return a, err
	}
	return a, nil
}

// controlRequests is the request log, its last req.Tail lines when set.
func (s *Server) controlRequests(req ControlRequest) (ControlAnswer, error) {
	log := s.Requests()
	if req.Tail > 0 && len(log) > req.Tail {
		log = log[len(log)-req.Tail:]
	}
	a := ControlAnswer{Log: make([]RequestLine, len(log))}
	for i, r := range log {
		a.Log[i] = RequestLine{Time: isoTime(r.Time), Method: r.Method, Path: r.Path, Query: r.RawQuery, Status: r.Status}
	}
	return a, nil
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
