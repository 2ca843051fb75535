package common

import (
	"context"
	"errors"
	"log/slog"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/fleet"
	"github.com/byova/byova/schemacache"
	"github.com/byova/byova/session"
)

// Request is everything a command may use, built in Update and handed to the command by
// value: its id, the org generation it was made in, its context, the session value of that
// moment and the org. A switch of org or profile made later makes a new session value in
// Common; it never changes what a running command holds, so the command's client, token and
// audit line stay those of the org and profile it was made for.
type Request struct {
	Envelope // what its answer carries back: id, org generation, owner and kind
	Ctx      context.Context
	Cancel   context.CancelFunc // call when the command ends
	Session  *session.Session   // nil: nothing can reach Webex
	Org      string             // the org UUID known when it was made ("" until resolved)
	Now      time.Time
	Logger   *slog.Logger
	Schemas  schemacache.Cache
}

// Request registers owner's request in flight (what is shown beside the spinner) and returns
// its value, with a context bounded by timeout. Call it in Update only.
func (c *Common) Request(owner Owner, kind Kind, what string, timeout time.Duration) Request {
	ctx, cancel := c.Context(timeout)
	return Request{Envelope: c.BeginFor(owner, kind, what), Ctx: ctx, Cancel: cancel, Session: c.Session, Org: c.Org,
		Now: c.Now(), Logger: c.Logger, Schemas: c.Schemas}
}

// OrgClient returns the client of the request's org with its Service App token (shared by the
// requests of one session value, so token refreshes are shared too). It may read the token
// store: it belongs in the command.
func (r Request) OrgClient() (*api.Client, string, error) {
	if r.Session == nil {
		return nil, "", &api.SignInError{Reason: "no session: run `byova auth login`"}
	}
	return r.Session.CachedOrgClient()
}

// WithOrg is WithCaller with the client of the request's org (its Service App token); it
// also returns the org, which a write's audit line names.
func (r Request) WithOrg(fn func(ctx context.Context, cl *api.Client) error) (org, trackingID string, err error) {
	cl, org, err := r.OrgClient()
	if err != nil {
		return org, "", err
	}
	ctx, tr := api.WithTracking(r.Ctx)
	err = Safely(func() error { return fn(ctx, cl) })
	return org, tr.ID(), err
}

// Caller returns the client with the caller's (a person's) token: webhooks need one, never
// the Service App's.
func (r Request) Caller() (*api.Client, error) {
	if r.Session == nil {
		return nil, &api.SignInError{Reason: "no session: run `byova auth login` or set WEBEX_ACCESS_TOKEN"}
	}
	return r.Session.Caller()
}

// WithCaller runs fn with the caller's client and the request's context (tracking Webex's
// trackingId), recovering from a panic; it returns the trackingId of the last answer and the
// client's error or fn's. This is the whole of a caller command but its message.
func (r Request) WithCaller(fn func(ctx context.Context, cl *api.Client) error) (trackingID string, err error) {
	cl, err := r.Caller()
	if err != nil {
		return "", err
	}
	ctx, tr := api.WithTracking(r.Ctx)
	err = Safely(func() error { return fn(ctx, cl) })
	return tr.ID(), err
}

// BaseURL is the REST base URL of the request's profile.
func (r Request) BaseURL() string {
	if r.Session == nil {
		return ""
	}
	return r.Session.Settings.BaseURL
}

// audit is the audit log of the request's profile (nil without a session: nothing is
// audited) and what is done when a line cannot be written: logged, not shown, since the write
// itself happened. Every writer a screen uses takes both from here.
func (r Request) audit() (fleet.Auditor, func(error)) {
	failed := func(err error) { r.Logger.Warn("audit log", "err", err) }
	if r.Session == nil {
		return nil, failed
	}
	return r.Session.AuditTracked, failed
}

// Writer is fleet's audited data source writes in org with cl, audited under the request's profile.
func (r Request) Writer(org string, cl *api.Client) fleet.Writer {
	a, failed := r.audit()
	return fleet.Writer{Org: org, Client: cl, Audit: a, AuditFailed: failed}
}

// Extender is fleet's extend, audited under the request's profile.
func (r Request) Extender() fleet.Extender {
	a, failed := r.audit()
	return fleet.Extender{Audit: a, AuditFailed: failed}
}

// Webhooks is fleet's audited webhook writes with the caller's cl (nil: audit only, for the
// writes an ensure sends itself).
func (r Request) Webhooks(cl *api.Client) fleet.Webhooks {
	a, failed := r.audit()
	return fleet.Webhooks{Client: cl, Audit: a, AuditFailed: failed}
}

// OrgResolved returns the message that tells the root which org the answer to a request of
// generation gen belongs to; the root applies it if no switch happened since.
func OrgResolved(org string, gen uint64) tea.Cmd {
	if org == "" {
		return nil
	}
	return func() tea.Msg { return OrgResolvedMsg{Org: org, Gen: gen} }
}

// OrgResolvedMsg says which org the session's requests work in, as a request found out. The
// root sets Common.Org from it when Gen is still current.
type OrgResolvedMsg struct {
	Org string
	Gen uint64
}

// ErrUnexpected is what a request that panicked reports: a malformed answer the client did
// not expect must never crash the UI under the person.
var ErrUnexpected = errors.New("byova could not handle Webex's answer (please report it): unexpected data")

// Safely runs one request's work in a command and turns a panic into ErrUnexpected. Every
// screen's commands recover through it.
func Safely(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = ErrUnexpected
		}
	}()
	return fn()
}
