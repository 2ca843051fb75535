// Package common is what the root model shares with every screen, by pointer: size, styles,
// keys, the session that reaches Webex, the clock, the logger and the request bookkeeping.
// It is read and written only from Update (one goroutine); commands get a Request value
// (request.go) built in Update and never touch Common.
package common

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/fleet"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/schemacache"
	"github.com/byova/byova/session"
	"github.com/byova/byova/ui/styles"
)

// Common is the shared context of the UI.
type Common struct {
	Width, Height int // the whole terminal
	Styles        *styles.Styles
	Keys          *KeyMap
	// Session is the current session value (nil: nothing can reach Webex). It is never
	// written through: a switch replaces it (SwitchOrg, SetSession), so requests made before
	// keep the value they were given.
	Session *session.Session
	Logger  *slog.Logger
	Clock   func() time.Time
	Demo    bool
	// Schemas is the schema list cache; its file's path was fixed at start, so commands never
	// read XDG paths.
	Schemas schemacache.Cache
	// EndpointRoots are CAs the endpoint probe and test call trust besides the system roots
	// (the demo's fake gateway, BYOVA_CA_FILE); nil: the system roots only.
	EndpointRoots *x509.CertPool
	// NewNonce draws the nonce for a register, edit or extend (api.NewNonce; tests fix it).
	NewNonce func() string

	// Ctx is cancelled when the UI stops; every request derives from it.
	Ctx context.Context

	// Org is the org UUID the data shown belongs to, once a request has resolved it (the root
	// applies OrgResolvedMsg).
	Org string
	// Gen counts org and profile switches: a request's answer from an older Gen belongs to
	// another org.
	Gen uint64
	// TokenExpiry is when the active Service App token expires (zero: unknown).
	TokenExpiry time.Time
	// OrgNames are the orgs' names from Webex, sanitised, by UUID (see FetchOrgName).
	OrgNames map[string]string

	orgNamesAsked map[string]bool
	reqSeq        uint64
	inFlight      map[uint64]inFlight
	newest        map[asked]uint64 // the newest request of each owner and kind (reply.go)
}

// New builds a Common. A nil logger discards, a nil clock is time.Now.
func New(ctx context.Context, s *session.Session, st *styles.Styles, log *slog.Logger, clock func() time.Time) *Common {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if clock == nil {
		clock = time.Now
	}
	if st == nil {
		st = styles.New(false)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	return &Common{
		Styles: st, Keys: DefaultKeyMap(), Session: s, Logger: log, Clock: clock, Ctx: ctx, NewNonce: api.NewNonce,
		inFlight: map[uint64]inFlight{}, newest: map[asked]uint64{}, Schemas: schemacache.Default(), OrgNames: map[string]string{},
		orgNamesAsked: map[string]bool{},
	}
}

// Now is the UI's clock.
func (c *Common) Now() time.Time { return c.Clock() }

// Profile is the active profile's name ("" without a session).
func (c *Common) Profile() string {
	if c.Session == nil {
		return ""
	}
	return c.Session.Profile()
}

// ReadOnly reports that writes to Webex are disabled: --readonly, the profile's readonly
// setting, or a viewer of `byova serve`.
func (c *Common) ReadOnly() bool { return c.Session != nil && c.Session.ReadOnly() }

// Viewer reports that this console is a viewer's under `byova serve`: besides Webex, sign-in,
// log out and everything else that writes byova's files are off (the session refuses them).
func (c *Common) Viewer() bool { return c.Session != nil && c.Session.Viewer() }

// ReadOnlyNote says why writes are off ("viewer: read-only for bob" under serve).
func (c *Common) ReadOnlyNote() string {
	if c.Session == nil {
		return "read-only"
	}
	return c.Session.ReadOnlyNote()
}

// OrgLabel is the org as the header shows it: resolved (by its alias and Webex name when
// known), else as configured, else "".
func (c *Common) OrgLabel() string {
	if c.Org != "" {
		return c.OrgDisplay(c.Org)
	}
	if c.Session != nil {
		return c.Session.Settings.Org
	}
	return ""
}

// OrgDisplay is how an org (a UUID) is shown: its alias in config.toml and its Webex name
// when known ("acme (Acme Health)"), else the UUID.
func (c *Common) OrgDisplay(org string) string {
	alias := ""
	if c.Session != nil {
		alias = c.Session.Settings.AliasFor(org)
	}
	return session.OrgLabel(alias, c.OrgNames[org], org)
}

// FetchOrgName returns a command that finds the org's Webex name (from the cache, else from
// Webex) unless it was asked for already; the answer is an OrgNameMsg the root applies.
func (c *Common) FetchOrgName(org string) tea.Cmd {
	if org == "" || c.Session == nil || c.orgNamesAsked[org] {
		return nil
	}
	c.orgNamesAsked[org] = true
	sess, ctx := c.Session, c.Ctx
	return func() tea.Msg {
		name, err := sess.OrgName(ctx, org)
		return OrgNameMsg{Org: org, Name: name, Err: err}
	}
}

// OrgNameMsg carries an org's name from Webex (untrusted) or why there is none.
type OrgNameMsg struct {
	Org, Name string
	Err       error
}

// ApplyOrgName keeps a fetched name, sanitised; without one the org keeps showing its alias
// or UUID (a token may lack the scope to read org names: not worth a banner).
func (c *Common) ApplyOrgName(msg OrgNameMsg) {
	if msg.Err != nil {
		c.Logger.Debug("org name", "org", msg.Org, "err", msg.Err)
		return
	}
	if name := strings.TrimSpace(safetext.Line(msg.Name)); name != "" {
		c.OrgNames[msg.Org] = name
	}
}

// Owner names who asked for a request: the screen its answer goes back to. Each screen
// package declares its own; the root knows which screen is which owner. NoOwner is a request
// nobody in particular waits for (its answer reaches every screen).
type Owner string

// NoOwner: the answer is broadcast.
const NoOwner Owner = ""

// inFlight is a request begun and not yet answered: what it does (beside the spinner) and
// the envelope its answer carries (its owner: the answer goes there alone).
type inFlight struct {
	what string
	env  Envelope
}

// Begin registers a write nobody owns (see BeginFor): its answer reaches every screen.
func (c *Common) Begin(what string) Envelope { return c.BeginFor(NoOwner, KindWrite, what) }

// BeginFor registers owner's request of kind in flight (the spinner turns while any is) and
// returns the envelope its answer carries. The owner is written down with the id, so the root
// routes the answer by it and by nothing else; the id becomes the newest of owner's kind, so
// Judge drops the answers to the ones before it.
func (c *Common) BeginFor(owner Owner, kind Kind, what string) Envelope {
	c.reqSeq++
	e := Envelope{ID: c.reqSeq, Gen: c.Gen, Owner: owner, Kind: kind}
	c.inFlight[e.ID] = inFlight{what: what, env: e}
	if kind.supersedes() {
		c.newest[asked{owner, kind}] = e.ID
	}
	c.Logger.Debug("request", "id", e.ID, "what", what, "owner", string(owner), "kind", string(kind))
	return e
}

// Asked is the envelope of request id while it is in flight (ok false once finished or
// unknown): what a test kit's hand-made answer carries.
func (c *Common) Asked(id uint64) (Envelope, bool) {
	r, ok := c.inFlight[id]
	return r.env, ok
}

// Finish marks a request done and says who asked for it (ok false: unknown, or nobody's);
// unknown ids are ignored.
func (c *Common) Finish(id uint64) (owner Owner, ok bool) {
	r, found := c.inFlight[id]
	delete(c.inFlight, id)
	return r.env.Owner, found && r.env.Owner != NoOwner
}

// Busy reports whether any request is in flight, and what the newest one is doing.
func (c *Common) Busy() (bool, string) {
	var newest uint64
	for id := range c.inFlight {
		newest = max(newest, id)
	}
	return newest != 0, c.inFlight[newest].what
}

// ForgetClient makes the next request read the token store again (after a refresh or a
// sign-in that stored a new token for the current org).
func (c *Common) ForgetClient() {
	if c.Session != nil {
		c.Session.ForgetClient()
	}
}

// SwitchOrg makes org (a UUID or Webex org ID) the one every screen works in, for this run
// only (config.toml is not written; `byova orgs use` pins an org), and tells them: each drops
// what it shows and reloads; answers to requests made for the old org are dropped. The
// session is replaced by a new value, so the requests in flight keep theirs.
func (c *Common) SwitchOrg(org string) tea.Cmd {
	if c.Session != nil {
		c.Session = c.Session.WithOrg(org)
	}
	return c.switched()
}

// SetSession makes s the session every screen works with (another profile, or the same one
// with new credentials): like SwitchOrg, the requests in flight keep the value they hold.
func (c *Common) SetSession(s *session.Session) tea.Cmd {
	c.Session = s
	return c.switched()
}

func (c *Common) switched() tea.Cmd {
	c.Gen++
	c.Org, c.TokenExpiry = "", time.Time{}
	if c.Session != nil {
		if u, err := api.OrgUUID(c.Session.Settings.Org); err == nil {
			c.Org = u
		}
	}
	org := c.Org
	return func() tea.Msg { return OrgChangedMsg{Org: org} }
}

// ApplyOrg records the org a request resolved, unless a switch happened since it was made.
func (c *Common) ApplyOrg(msg OrgResolvedMsg) {
	if msg.Gen == c.Gen && msg.Org != "" {
		c.Org = msg.Org
	}
}

// Context returns a context for one request, bounded by timeout.
func (c *Common) Context(timeout time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Ctx, timeout)
}

// Error returns a command that shows err in the banner.
func Error(op string, err error) tea.Cmd {
	return func() tea.Msg { return ErrorMsg{Op: op, Err: err} }
}

// Notice returns a command that shows a short notice in the footer.
func Notice(text string) tea.Cmd {
	return func() tea.Msg { return NoticeMsg{Text: text} }
}

// NoticeOr is Notice with shorter forms of the same message for a narrow footer.
func NoticeOr(text string, shorter ...string) tea.Cmd {
	return func() tea.Msg { return NoticeMsg{Text: text, Shorter: shorter} }
}

// TokenExpiry reads when the current org's Service App token expires from the token store. It
// is a file read: call it inside a tea.Cmd.
func TokenExpiry(s *session.Session, org string) (time.Time, error) {
	if s == nil || s.Store == nil || org == "" {
		return time.Time{}, nil
	}
	toks, err := s.Store.Load()
	if err != nil {
		return time.Time{}, fmt.Errorf("reading the token store: %w", err)
	}
	ps := toks.Profiles[s.Profile()]
	if ps == nil || ps.Orgs[org] == nil {
		return time.Time{}, nil
	}
	return ps.Orgs[org].Expiry, nil
}

// Describe turns an error into what a person should read and do, for banners and empty states:
// fleet.Describe's wording (the CLI's and the keeper's too), with the retry key named.
func Describe(k *KeyMap, err error) (headline, hint string) {
	d := fleet.Describe(err)
	retry := "try again"
	if k != nil {
		retry = "press " + k.Reload.Help().Key + " to retry"
	}
	return safetext.Line(d.Headline), safetext.Line(d.HintWith(retry))
}

// Writable reports whether a write may start, with a notice when the profile is read-only.
func (c *Common) Writable() (bool, tea.Cmd) {
	if c.ReadOnly() {
		return false, Notice(c.ReadOnlyNote() + ": writes are off")
	}
	return true, nil
}
