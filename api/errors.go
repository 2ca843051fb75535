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

// TrackingIDOf returns the trackingId carried by err, if any.
func TrackingIDOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.TrackingID
	}
	return ""
}

type errorBody struct {
	Message string `json:"message"`
	Errors  []struct {
		Description string `json:"description"`
	} `json:"errors"`
	TrackingID string `json:"trackingId"`
}

const maxErrorText = 200

// newError builds an Error from a response and its body.
func newError(method, path string, status int, h http.Header, body []byte) *Error {
	e := &Error{Status: status, Method: method, Path: path}
	var eb errorBody
	if len(body) > 0 && json.Unmarshal(body, &eb) == nil && (eb.Message != "" || len(eb.Errors) > 0 || eb.TrackingID != "") {
		e.Message = strings.TrimSpace(eb.Message)
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
