package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/byova/byova/safetext"
)

// Error classes, usable with errors.Is on any error the client returns.
var (
	ErrUnauthorized = errors.New("unauthorized")
	ErrForbidden    = errors.New("forbidden")
	ErrNotFound     = errors.New("not found")
	ErrValidation   = errors.New("invalid request")
	ErrRateLimited  = errors.New("rate limited")
	ErrServer       = errors.New("server error")
	// ErrClientRefused: Webex refused an OAuth client's ID or secret (*ClientRefusedError).
	ErrClientRefused = errors.New("client credentials refused")
)

// Error is a non-2xx answer from Webex. It keeps what a person needs to act on it and what
// Webex support needs to trace it (the trackingId).
type Error struct {
	Status     int
	Method     string
	Path       string // request path without the query, which can hold cursors
	Message    string
	Details    []string // errors[].description
	TrackingID string
	Code       string        // RFC 6749 §5.2 "error" of a token endpoint (invalid_client, …), when sent
	Body       string        // raw text (cut) when the body was not a Webex JSON error
	RetryAfter time.Duration // for 429, when the server said
}

func (e *Error) Error() string {
	// Message, Body, Details and the trackingId are Webex's words: they are made safe here, one
	// line each, so the sentence around them (byova's own, possibly several lines) is not.
	var b strings.Builder
	fmt.Fprintf(&b, "Webex answered %d %s", e.Status, http.StatusText(e.Status))
	if e.Method != "" {
		fmt.Fprintf(&b, " to %s %s", e.Method, safetext.Line(e.Path))
	}
	switch {
	case e.Message != "":
		b.WriteString(": ")
		b.WriteString(safetext.Line(e.Message))
	case e.Body != "":
		b.WriteString(": ")
		b.WriteString(safetext.Line(e.Body))
	}
	sep := "; "
	if e.Message == "" && e.Body == "" {
		sep = ": "
	}
	for _, d := range e.Details {
		if d != "" && !strings.Contains(e.Message, d) {
			b.WriteString(sep)
			b.WriteString(safetext.Line(d))
			sep = "; "
		}
	}
	if e.TrackingID != "" {
		fmt.Fprintf(&b, " (trackingId %s)", safetext.Line(e.TrackingID))
	}
	return b.String()
}

// Is maps the status to an error class.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized
	case ErrForbidden:
		return e.Status == http.StatusForbidden
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrValidation:
		return e.Status == http.StatusBadRequest || e.Status == http.StatusConflict ||
			e.Status == http.StatusUnsupportedMediaType || e.Status == http.StatusUnprocessableEntity
	case ErrRateLimited:
		return e.Status == http.StatusTooManyRequests
	case ErrServer:
		return e.Status >= 500
	}
	return false
}

// Hint says what the user can do about the error, or "" when there is nothing generic to say.
func (e *Error) Hint() string {
	switch {
	case e.Status == http.StatusUnauthorized:
		return "the token was rejected: sign in again with `byova auth login`"
	case e.Status == http.StatusForbidden:
		return "the token lacks a scope this needs, or the Service App is not authorized in this org"
	case e.Status == http.StatusTooManyRequests:
		return "Webex is rate limiting: wait a little and try again"
	case e.Status >= 500:
		return "Webex had a problem: try again later and quote the trackingId if it persists"
	}
	return ""
}

// clientRefused reports whether Webex refused an OAuth client's ID or secret rather than a
// token: RFC 6749's invalid_client, or Webex's own wording for it (the Service App token
// endpoint's documented example, spec §1.2). Such a 401 says nothing about the bearer token.
func (e *Error) clientRefused() bool {
	if e.Code != "" {
		return e.Code == "invalid_client"
	}
	return (e.Status == http.StatusBadRequest || e.Status == http.StatusUnauthorized) &&
		strings.EqualFold(strings.TrimSpace(e.Message), "Invalid client credentials")
}

// ClientRefusedError: Webex refused an OAuth client's (a Service App's, an Integration's) ID or
// secret. Signing in again with them fails the same way, so it is no expired sign-in: no token
// is refreshed on it, and the fix names the credentials.
type ClientRefusedError struct {
	Client string // "the Service App", "the Integration"; "" when unknown
	Fix    string // what to correct, e.g. the settings that hold them
	Answer *Error // Webex's answer (kept as a field: unwrapping it would read as a refused token)
}

func (e *ClientRefusedError) Is(target error) bool { return target == ErrClientRefused }

func (e *ClientRefusedError) Error() string {
	client := e.Client
	if client == "" {
		client = "the OAuth client"
	}
	s := "Webex refused " + client + "'s client ID or secret"
	if e.Fix != "" {
		s += ": " + e.Fix
	}
	if e.Answer != nil {
		s += " (" + e.Answer.Error() + ")"
	}
	return s
}

// Fixes for a refused client ID or secret, naming where byova reads them.
const (
	FixServiceAppClient  = "check WEBEX_SA_CLIENT_ID and WEBEX_SA_CLIENT_SECRET (or the profile's service_app_client_id and the stored secret) against developer.webex.com → My Webex Apps"
	FixIntegrationClient = "check WEBEX_INTEGRATION_CLIENT_ID and WEBEX_INTEGRATION_CLIENT_SECRET (or the profile's integration_client_id and the stored secret) against developer.webex.com → My Webex Apps"
)

// asClientRefused is err as a *ClientRefusedError naming client, when Webex refused the
// client's credentials; else err unchanged.
func asClientRefused(err error, client, fix string) error {
	var cr *ClientRefusedError
	if errors.As(err, &cr) {
		if cr.Client == "" {
			cr.Client, cr.Fix = client, fix
		}
		return cr
	}
	var ae *Error
	if errors.As(err, &ae) && ae.clientRefused() {
		return &ClientRefusedError{Client: client, Fix: fix, Answer: ae}
	}
	return err
}

// TrackingIDOf returns the trackingId carried by err, if any.
func TrackingIDOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.TrackingID
	}
	var cr *ClientRefusedError
	if errors.As(err, &cr) && cr.Answer != nil {
		return cr.Answer.TrackingID
	}
	return ""
}

type errorBody struct {
	Message string `json:"message"`
	Errors  []struct {
		Description string `json:"description"`
	} `json:"errors"`
	TrackingID string `json:"trackingId"`
	Code       string `json:"error"`
}

const maxErrorText = 200

// newError builds an Error from a response and its body.
func newError(method, path string, status int, h http.Header, body []byte) *Error {
	e := &Error{Status: status, Method: method, Path: path}
	var eb errorBody
	if len(body) > 0 && json.Unmarshal(body, &eb) == nil && (eb.Message != "" || len(eb.Errors) > 0 || eb.TrackingID != "" || eb.Code != "") {
		e.Message = strings.TrimSpace(eb.Message)
		e.Code = cut(strings.TrimSpace(eb.Code), 40)
		// Webex often repeats each description in message too: keep each text once, so every
		// reader of Details (the CLI, the TUI) says it once.
		for _, d := range eb.Errors {
			if d := strings.TrimSpace(d.Description); d != "" && !slices.Contains(e.Details, d) && !strings.Contains(e.Message, d) {
				e.Details = append(e.Details, d)
			}
		}
		e.TrackingID = eb.TrackingID
	} else if text := strings.TrimSpace(string(body)); text != "" {
		e.Body = cut(text, maxErrorText)
	}
	if e.TrackingID == "" && h != nil {
		e.TrackingID = h.Get("Trackingid")
	}
	if status == http.StatusTooManyRequests && h != nil {
		e.RetryAfter, _ = parseRetryAfter(h.Get("Retry-After"), time.Now())
	}
	return e
}

func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
