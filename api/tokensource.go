package api

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrNotSignedIn marks errors that only signing in (again) can fix.
var ErrNotSignedIn = errors.New("not signed in")

// SignInError says why there is no usable token and what to run.
type SignInError struct {
	Reason string
	Err    error
}

func (e *SignInError) Error() string {
	if e.Err != nil {
		return e.Reason + ": " + e.Err.Error()
	}
	return e.Reason
}
func (e *SignInError) Unwrap() error        { return e.Err }
func (e *SignInError) Is(target error) bool { return target == ErrNotSignedIn }

// SignInExpiredError reports that Webex refused every token byova holds for something (an
// org's Service App token and the caller token that would fetch a new one, say): only signing
// in again helps, and Fix says how.
type SignInExpiredError struct {
	For string // "org UUID", "the Integration"
	Fix string // e.g. "run `byova auth login --method integration`"
	Err error  // Webex's last refusal, for its trackingId
}

func (e *SignInExpiredError) Error() string {
	return "sign-in expired for " + e.For + ": " + e.Fix
}
func (e *SignInExpiredError) Unwrap() error        { return e.Err }
func (e *SignInExpiredError) Is(target error) bool { return target == ErrNotSignedIn }

// Token is an access token with what we know of its life.
type Token struct {
	AccessToken   string
	RefreshToken  string
	Expiry        time.Time // zero: unknown, assumed valid until Webex says 401
	RefreshExpiry time.Time
	Scopes        []string
	Grant         string // how it was obtained, for people: GrantRefresh, GrantAuthorizationCode, GrantApplicationToken
}

// How a token was obtained (Token.Grant).
const (
	GrantRefresh           = "refresh grant"
	GrantAuthorizationCode = "authorization code"
	GrantApplicationToken  = "/applications/{id}/token"
)

// RefreshEarly is how long before expiry a token is replaced.
const RefreshEarly = 60 * time.Second

// Fresh reports whether the access token can be used at now.
func (t Token) Fresh(now time.Time) bool {
	return t.AccessToken != "" && (t.Expiry.IsZero() || now.Add(RefreshEarly).Before(t.Expiry))
}

// TokenSource hands out bearer tokens. Refresh is called once after Webex answered 401 to
// the token `rejected`; it returns a newer token or an error.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
	Refresh(ctx context.Context, rejected string) (string, error)
}

// StaticToken is a token that cannot be refreshed: WEBEX_ACCESS_TOKEN or a personal access
// token. Name says where it came from, for the error when Webex rejects it.
type StaticToken struct {
	Value string
	Name  string
}

func (s StaticToken) Token(context.Context) (string, error) {
	if s.Value == "" {
		return "", &SignInError{Reason: "no access token: run `byova auth login`"}
	}
	return s.Value, nil
}

func (s StaticToken) Refresh(context.Context, string) (string, error) {
	return "", &SignInError{Reason: fmt.Sprintf("Webex rejected %s and it cannot be refreshed: get a new one, or run `byova auth login`", s.Name)}
}

// RefreshFunc obtains a new token given the current one (whose refresh token it may use).
type RefreshFunc func(ctx context.Context, current Token) (Token, error)

// Source is a TokenSource that refreshes RefreshEarly before expiry and after a 401. Concurrent
// callers share one refresh.
type Source struct {
	mu      sync.Mutex
	tok     Token
	refresh RefreshFunc
	Now     func() time.Time
}

// NewSource starts from initial (which may be empty) and refreshes with refresh.
func NewSource(initial Token, refresh RefreshFunc) *Source {
	return &Source{tok: initial, refresh: refresh, Now: time.Now}
}

func (s *Source) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok.Fresh(s.Now()) {
		return s.tok.AccessToken, nil
	}
	return s.refreshLocked(ctx)
}

func (s *Source) Refresh(ctx context.Context, rejected string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok.AccessToken != "" && s.tok.AccessToken != rejected && s.tok.Fresh(s.Now()) {
		return s.tok.AccessToken, nil // someone refreshed meanwhile
	}
	return s.refreshLocked(ctx)
}

func (s *Source) refreshLocked(ctx context.Context) (string, error) {
	if s.refresh == nil {
		return "", &SignInError{Reason: "the token expired and cannot be refreshed: run `byova auth login`"}
	}
	t, err := s.refresh(ctx, s.tok)
	if err != nil {
		return "", err
	}
	if t.RefreshToken == "" {
		t.RefreshToken = s.tok.RefreshToken
	}
	if t.RefreshToken == s.tok.RefreshToken && t.RefreshExpiry.IsZero() {
		t.RefreshExpiry = s.tok.RefreshExpiry // the same refresh token lives as long as before
	}
	if len(t.Scopes) == 0 {
		t.Scopes = s.tok.Scopes
	}
	s.tok = t
	return t.AccessToken, nil
}

// Current returns the token as it stands.
func (s *Source) Current() Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tok
}
