package api

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
)

// ErrBadReply is the class of a 2xx answer that cannot be what was asked for: an empty or null
// body, a list without items, a null item. Usable with errors.Is.
var ErrBadReply = errors.New("unexpected answer from Webex")

// ReplyError is a 2xx answer byova refuses to read as success: treating `null` as "no data
// sources" would let a cron `extend --all` succeed while doing nothing.
type ReplyError struct {
	Method     string
	Path       string
	Problem    string // what was wrong, e.g. "an empty body where a data source was due"
	TrackingID string
}

func (e *ReplyError) Error() string {
	s := fmt.Sprintf("Webex answered %s %s with %s", e.Method, e.Path, e.Problem)
	if e.TrackingID == "" {
		return s + ": try again; if it keeps happening, report it to Webex"
	}
	return s + " (trackingId " + e.TrackingID + "): try again; if it keeps happening, report it to Webex with the trackingId"
}

func (e *ReplyError) Is(target error) bool { return target == ErrBadReply }

func badReply(method, path string, h http.Header, format string, a ...any) *ReplyError {
	e := &ReplyError{Method: method, Path: path, Problem: fmt.Sprintf(format, a...)}
	if h != nil {
		e.TrackingID = h.Get("Trackingid")
	}
	return e
}

// isNullBody reports a body that holds no value at all: empty, blanks, or JSON null.
func isNullBody(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) == 0 || bytes.Equal(b, []byte("null"))
}

// needID refuses an object without its id: every Webex object has one, and printing or
// extending an object without it would act on nothing.
func needID(resp *response, method, path, what, id string) error {
	if id != "" {
		return nil
	}
	var h http.Header
	if resp != nil {
		h = resp.header
	}
	return badReply(method, path, h, "%s that has no id", what)
}
