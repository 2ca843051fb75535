package session

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/byova/byova/config"
)

// ErrViewer marks a write refused because the session acts for a viewer of `byova serve`.
var ErrViewer = errors.New("viewer: read-only")

// ViewerError is a write a viewer's session refused: to Webex, to the token store or to
// config.toml. Nothing was sent or written.
type ViewerError struct {
	User string // the console user
	What string // "signing in", "logging out", "PUT /v1/dataSources/…"
}

func (e *ViewerError) Error() string {
	return "viewer: read-only for " + e.User + ": " + e.What + " is for operators (role = \"operator\" in [serve.users." + e.User + "])"
}

// Is makes every ViewerError an ErrViewer.
func (e *ViewerError) Is(target error) bool { return target == ErrViewer }

// Viewer reports whether the session acts for a viewer of `byova serve`.
func (s *Session) Viewer() bool { return s.Role == config.RoleViewer }

// ReadOnly reports whether writes to Webex are off: --readonly, the profile's readonly
// setting, a viewer's session, or for now while serve's shared token store is unreachable.
func (s *Session) ReadOnly() bool { return s.Settings.ReadOnly || s.Viewer() || s.outage() != nil }

func (s *Session) outage() error {
	if s.Outage == nil {
		return nil
	}
	return s.Outage()
}

// ReadOnlyNote says why writes are off, naming the role under `byova serve`.
func (s *Session) ReadOnlyNote() string {
	switch {
	case s.Viewer():
		return "viewer: read-only for " + s.Actor
	case !s.Settings.ReadOnly && s.outage() != nil:
		return "read-only while the token store is unreachable"
	}
	return "read-only (--readonly or the profile's readonly setting)"
}

// MayWrite is nil when this session may change byova's files and Webex. For a viewer it is
// the refusal of what (said to the person), and the attempt is audited as op and id.
func (s *Session) MayWrite(what, op, id string) error {
	if !s.Viewer() {
		return nil
	}
	err := &ViewerError{User: s.Actor, What: what}
	s.auditActor("", op, id, err)
	return err
}

// ActAs makes s act for the same person as from (after a profile switch builds a new
// session): the audit actor, the key and the role, with a viewer's refusal of writes, and
// the same console's view of the store's outage.
func (s *Session) ActAs(from *Session) error {
	s.Actor, s.ActorKey, s.Role, s.Outage = from.Actor, from.ActorKey, from.Role, from.Outage
	return s.init()
}

// UpdateTokens changes the token store, if this session may write; what says it to a person,
// op ("auth.store", "auth.logout") and id name it in the audit log when someone other than
// the local user asks for it (an SSH console user, the webhook receiver).
func (s *Session) UpdateTokens(what, op, org, id string, fn func(*config.Tokens) error) error {
	if err := s.MayWrite(what, op, id); err != nil {
		return err
	}
	if s.Store == nil {
		return errors.New("no token store")
	}
	err := s.Store.Update(fn)
	s.auditActor(org, op, id, err)
	return err
}

// UpdateConfig changes config.toml under its lock, if this session may write; audited like
// UpdateTokens.
func (s *Session) UpdateConfig(what, op, org, id string, fn func(*config.File) error) error {
	if err := s.MayWrite(what, op, id); err != nil {
		return err
	}
	err := config.UpdateFile(s.ConfigPath, fn)
	s.auditActor(org, op, id, err)
	return err
}

// auditActor audits a change of byova's own files when it is made for someone other than
// the person at the terminal (whose sign-ins the CLI reports on screen).
func (s *Session) auditActor(org, op, id string, err error) {
	if s.Actor != "" {
		if aerr := s.Audit(org, op, id, err); aerr != nil {
			s.Log.Warn("audit log", "error", aerr.Error())
		}
	}
}

// viewerTransport refuses every request that could change something at Webex before it
// leaves: anything but GET and HEAD, except the OAuth refresh grant that keeps an existing
// token alive (the same refresh the keeper makes; it adds, removes or pins nothing).
type viewerTransport struct {
	next http.RoundTripper
	user string
}

// maxTokenForm bounds the token request body read to find its grant type.
const maxTokenForm = 64 << 10

func (t viewerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return t.next.RoundTrip(r)
	}
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/access_token") && r.Body != nil && r.GetBody != nil {
		body, err := r.GetBody()
		if err == nil {
			b, _ := io.ReadAll(io.LimitReader(body, maxTokenForm))
			body.Close()
			if f, err := url.ParseQuery(string(b)); err == nil && f.Get("grant_type") == "refresh_token" && len(f["grant_type"]) == 1 {
				r2 := r.Clone(r.Context())
				r2.Body = io.NopCloser(bytes.NewReader(b))
				return t.next.RoundTrip(r2)
			}
		}
	}
	if r.Body != nil {
		r.Body.Close()
	}
	return nil, &ViewerError{User: t.user, What: fmt.Sprintf("%s %s", r.Method, r.URL.Path)}
}

// httpClient is the client this session reaches Webex with: a viewer's refuses writes.
func (s *Session) httpClient() *http.Client {
	if !s.Viewer() {
		return s.HTTP
	}
	hc := s.HTTP
	if hc == nil {
		hc = &http.Client{}
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	if _, ok := next.(viewerTransport); ok {
		return hc
	}
	cp := *hc
	cp.Transport = viewerTransport{next: next, user: s.Actor}
	return &cp
}
