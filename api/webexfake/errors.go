package webexfake

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
)

// Webex's own wording for the generic failures; clients show these to people.
const (
	msgBadRequest   = "The request was invalid or cannot be otherwise served."
	msgUnauthorized = "The request requires a valid access token set in the Authorization request header."
	msgForbidden    = "The server understood the request, but refused to fulfill it because the access token is missing required scopes or the user is missing required roles or licenses."
	msgNotFound     = "The requested resource could not be found."
	msgMethod       = "The request was made to a resource using an HTTP request method that is not supported."
	msgMediaType    = "The request was made to a resource without specifying a media type or used a media type that is not supported."
	msgTooMany      = "Too many requests have been sent in a given amount of time and the request has been rate limited. A Retry-After header should be present that specifies how many seconds you need to wait before a successful request can be made."
	msgServer       = "Something went wrong on the server."
	msgBadGateway   = "The server received an invalid response from an upstream server while processing the request."
	msgUnavailable  = "Server is overloaded with requests. Try again later."
	msgTimeout      = "An upstream server failed to respond on time. If your query uses max parameter, please try to reduce it."
)

// defaultMessage is what Webex says for a status when nothing more specific applies.
func defaultMessage(status int) string {
	switch status {
	case http.StatusBadRequest:
		return msgBadRequest
	case http.StatusUnauthorized:
		return msgUnauthorized
	case http.StatusForbidden:
		return msgForbidden
	case http.StatusNotFound:
		return msgNotFound
	case http.StatusMethodNotAllowed:
		return msgMethod
	case http.StatusUnsupportedMediaType:
		return msgMediaType
	case http.StatusTooManyRequests:
		return msgTooMany
	case http.StatusInternalServerError:
		return msgServer
	case http.StatusBadGateway:
		return msgBadGateway
	case http.StatusServiceUnavailable:
		return msgUnavailable
	case http.StatusGatewayTimeout:
		return msgTimeout
	}
	if t := http.StatusText(status); t != "" {
		return t + "."
	}
	return msgServer
}

// apiError is a failure on its way to the wire as a Webex error body.
type apiError struct {
	status       int
	message      string
	descriptions []string
	retryAfter   string
	allow        string // Allow header for 405
	oauth        string // RFC 6749 §5.2 error code, sent as "error" beside Webex's fields
	challenge    string // WWW-Authenticate header (a 401 to HTTP client authentication)
}

// oauthError is a token-endpoint refusal: Webex's error body, plus the RFC 6749 §5.2 "error"
// and "error_description" that OAuth libraries read.
func oauthError(status int, code, message string, descriptions ...string) *apiError {
	e := newError(status, message, descriptions...)
	e.oauth = code
	return e
}

func newError(status int, message string, descriptions ...string) *apiError {
	if message == "" {
		message = defaultMessage(status)
	}
	if len(descriptions) == 0 {
		descriptions = []string{message}
	}
	return &apiError{status: status, message: message, descriptions: descriptions}
}

// validationError folds several field problems into one 400, one description each.
func validationError(problems []string) *apiError {
	return newError(http.StatusBadRequest, strings.Join(problems, " "), problems...)
}

func errUnauthorized() *apiError { return newError(http.StatusUnauthorized, msgUnauthorized) }
func errNotFound() *apiError     { return newError(http.StatusNotFound, msgNotFound) }

func errForbiddenScope(scopes ...string) *apiError {
	return newError(http.StatusForbidden, msgForbidden,
		"The access token lacks the required scope: "+strings.Join(scopes, " or "))
}

type errorBody struct {
	Message          string             `json:"message"`
	Errors           []errorDescription `json:"errors"`
	TrackingID       string             `json:"trackingId"`
	Error            string             `json:"error,omitempty"`
	ErrorDescription string             `json:"error_description,omitempty"`
}

type errorDescription struct {
	Description string `json:"description"`
}

// writeError sends e as Webex does: JSON body with the same trackingId as the header.
func writeError(w http.ResponseWriter, e *apiError) {
	body := errorBody{Message: e.message, TrackingID: w.Header().Get("Trackingid")}
	for _, d := range e.descriptions {
		body.Errors = append(body.Errors, errorDescription{Description: d})
	}
	if e.retryAfter != "" {
		w.Header().Set("Retry-After", e.retryAfter)
	}
	if e.allow != "" {
		w.Header().Set("Allow", e.allow)
	}
	if e.oauth != "" {
		body.Error, body.ErrorDescription = e.oauth, e.descriptions[0]
	}
	if e.challenge != "" {
		w.Header().Set("WWW-Authenticate", e.challenge)
	}
	writeJSON(w, e.status, body)
}

// writeItems writes a 200 list answer, {"items":[…]}, an item at a time as it is encoded, the
// way a server streams a big body (chunked): the first bytes leave before the last item is
// encoded, and the fake never holds the whole body. item(i) is the ith item.
func writeItems(w http.ResponseWriter, n int, item func(i int) any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 32<<10)
	enc := json.NewEncoder(bw)
	bw.WriteString(`{"items":[`)
	for i := range n {
		if i > 0 {
			bw.WriteByte(',')
		}
		if err := enc.Encode(item(i)); err != nil {
			return // the client sees a body that ends early: not JSON, as from a broken connection
		}
	}
	bw.WriteString("]}")
	_ = bw.Flush()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
