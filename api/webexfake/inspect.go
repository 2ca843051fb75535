package webexfake

import (
	"net/http"
	"strings"
	"time"
)

// Fault makes the fake fail matching requests before it looks at them (auth included).
type Fault struct {
	Method     string // "" = any
	Path       string // prefix of the URL path, e.g. "/v1/dataSources"; "" = any
	Status     int    // e.g. 401, 429, 500, 502, 503, 400 (0 → 500)
	RetryAfter string // value of Retry-After when set (seconds "2" or an HTTP date)
	Message    string // Webex error message to return (default per status)
	Times      int    // how many matching requests it affects (0 → 1)
}

// InjectFault queues f. Faults are matched in the order they were injected.
func (s *Server) InjectFault(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	if f.Status == 0 {
		f.Status = http.StatusInternalServerError
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults drops every fault that has not fired yet.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

func (s *Server) takeFault(r *http.Request) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
			continue
		}
		if !strings.HasPrefix(r.URL.Path, f.Path) {
			continue
		}
		f.Times--
		if f.Times <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		e := newError(f.Status, f.Message)
		e.retryAfter = f.RetryAfter
		return e
	}
	return nil
}

// SetLatency delays every request by d (0 turns it off). A client that gives up while waiting
// gets nothing, and the request is logged with StatusClientGone.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

func (s *Server) currentLatency() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.latency
}

// Request is one entry of the request log.
type Request struct {
	Method, Path, RawQuery string
	Header                 http.Header // Authorization redacted to "Bearer …last4"
	Body                   []byte      // verbatim (form and JSON bodies may hold client secrets)
	Status                 int         // 0 while in flight; StatusClientGone if the client left
	Time                   time.Time   // arrival, by Options.Now
}

func (s *Server) logRequest(r *http.Request, body []byte) int {
	h := r.Header.Clone()
	if v := h.Get("Authorization"); v != "" {
		h.Set("Authorization", redactAuthorization(v))
	}
	req := Request{
		Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Header: h, Body: body, Time: s.now(),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, req)
	return s.logBase + len(s.log) - 1
}

// logStatus fills in the status of entry idx, unless the log was reset meanwhile.
func (s *Server) logStatus(idx, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := idx - s.logBase; i >= 0 && i < len(s.log) && s.log[i].Status == 0 {
		s.log[i].Status = status
	}
}

// redactAuthorization keeps the scheme and the last four characters of the credential.
func redactAuthorization(v string) string {
	scheme, cred, found := strings.Cut(v, " ")
	if !found {
		scheme, cred = "", v
	}
	last := ""
	if len(cred) > 4 {
		last = cred[len(cred)-4:]
	}
	if scheme == "" {
		return "…" + last
	}
	return scheme + " …" + last
}

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.log))
	for i, r := range s.log {
		r.Header = r.Header.Clone()
		r.Body = append([]byte(nil), r.Body...)
		out[i] = r
	}
	return out
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logBase += len(s.log)
	s.log = nil
}
