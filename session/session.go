package session

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
)

// Session is what a command or a screen needs to reach Webex as the signed-in user.
type Session struct {
	Settings   config.Settings
	Store      config.TokenStore
	ConfigPath string
	AuditPath  string
	Log        *slog.Logger
	HTTP       *http.Client // nil: api's default
	Timeout    time.Duration
	// Actor and ActorKey name who acts through this session in the audit log when it is not
	// the local user: an SSH console user of `byova serve` (name, key fingerprint) or "keeper".
	Actor, ActorKey string
	// Role is the SSH console user's role ("" for the local user). A viewer's session refuses
	// every write where it happens: to Webex (its HTTP client), to the token store and to
	// config.toml (UpdateTokens, UpdateConfig, SaveToken). See role.go.
	Role string
	// OrgNamesPath is the org name cache (empty: OrgNamesFile in the XDG cache folder).
	OrgNamesPath string
	// Outage, when set, says why writes are off for now (a console of `byova serve` whose
	// shared token store is unreachable): nil while they are on. It must not wait on the
	// network: the header asks it on every frame.
	Outage func() error

	base    *api.Client
	clients clientCache // CachedOrgClient's (snapshot.go)
	keys    keySetCache // KeySet's (snapshot.go)
}

// Clone is an independent copy for one more user of the same profile (an SSH session of
// `byova serve`): changing its settings, org or actor changes nothing in s.
// The clone starts with no cached client (its clientCache holds a lock and is not copied), so
// the terminal UI's switches (WithOrg, With) also use it to make a new session value.
func (s *Session) Clone() *Session {
	cp := &Session{Settings: s.Settings, Store: s.Store, ConfigPath: s.ConfigPath, AuditPath: s.AuditPath, Log: s.Log,
		HTTP: s.HTTP, Timeout: s.Timeout, Actor: s.Actor, ActorKey: s.ActorKey, Role: s.Role, Outage: s.Outage, base: s.base}
	cp.Settings.Source = maps.Clone(s.Settings.Source)
	return cp
}

// New builds a session. The store's client secrets fill those the environment did not set.
func New(s config.Settings, store config.TokenStore, log *slog.Logger) (*Session, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ss := &Session{Settings: s, Store: store, Log: log, ConfigPath: config.ConfigFile(), AuditPath: config.AuditLogFile(),
		OrgNamesPath: OrgNamesFile()}
	if store != nil {
		toks, err := store.Load()
		if err != nil {
			return nil, err
		}
		ss.Settings.ApplyStoredSecrets(toks.Profiles[s.Profile])
	}
	return ss, ss.init()
}

func (s *Session) init() error {
	c, err := api.New(api.Options{BaseURL: s.Settings.BaseURL, HTTPClient: s.httpClient(), Timeout: s.Timeout, Logger: s.Log})
	if err != nil {
		return err
	}
	s.base = c
	return nil
}

// SetHTTPClient replaces the HTTP client (tests, benchmarks).
func (s *Session) SetHTTPClient(hc *http.Client) error {
	s.HTTP = hc
	return s.init()
}

// Anonymous is a client without a token (OAuth grants, JWKS).
func (s *Session) Anonymous() *api.Client { return s.base }

// Profile is the active profile's name.
func (s *Session) Profile() string { return s.Settings.Profile }

// ServiceApp is the Service App's credentials as configured.
func (s *Session) ServiceApp() api.ServiceApp {
	return api.ServiceApp{ClientID: s.Settings.ServiceAppClientID, ClientSecret: s.Settings.ServiceAppClientSecret}
}

// Integration is the Integration's OAuth client as configured.
func (s *Session) Integration() api.OAuthClient {
	return api.OAuthClient{ClientID: s.Settings.IntegrationClientID, ClientSecret: s.Settings.IntegrationClientSecret,
		RedirectURI: s.Settings.IntegrationRedirectURI, Scopes: api.DefaultIntegrationScopes}
}

// Org resolves the org to work in: the setting (flag, env, profile), else the only org with a
// stored Service App token.
func (s *Session) Org() (string, error) {
	if s.Settings.Org != "" {
		return s.ResolveOrg(s.Settings.Org)
	}
	orgs, err := s.StoredOrgs()
	if err != nil {
		return "", err
	}
	switch len(orgs) {
	case 1:
		return orgs[0], nil
	case 0:
		return "", &api.SignInError{Reason: "no org selected: pass --org ORG or set WEBEX_ORG_ID, or sign in to one with `byova auth login --method service-app`"}
	}
	return "", fmt.Errorf("several orgs have tokens (%v): choose one with --org ORG or WEBEX_ORG_ID", orgs)
}

// ResolveOrg turns what a person typed for an org (an alias of this profile, a UUID or a
// Webex org ID) into the org's UUID.
func (s *Session) ResolveOrg(arg string) (string, error) {
	arg = strings.TrimSpace(arg)
	if u, ok := s.Settings.OrgAliases[arg]; ok {
		return u, nil
	}
	u, err := api.OrgUUID(arg)
	if err != nil {
		return "", fmt.Errorf("%w, nor an alias of profile %q (%s)", err, s.Settings.Profile, s.aliasHint())
	}
	return u, nil
}

// aliasHint lists the profile's org aliases, or says how to add one.
func (s *Session) aliasHint() string {
	if len(s.Settings.OrgAliases) == 0 {
		return "add one under [profiles." + s.Settings.Profile + ".orgs] in config.toml: acme = \"<org UUID>\""
	}
	names := slices.Sorted(maps.Keys(s.Settings.OrgAliases))
	return "aliases: " + strings.Join(names, ", ")
}

// StoredOrgs lists the orgs holding a Service App token in this profile, sorted.
func (s *Session) StoredOrgs() ([]string, error) {
	if s.Store == nil {
		return nil, nil
	}
	toks, err := s.Store.Load()
	if err != nil {
		return nil, err
	}
	ps := toks.Profiles[s.Settings.Profile]
	if ps == nil {
		return nil, nil
	}
	var orgs []string
	for org := range ps.Orgs {
		orgs = append(orgs, org)
	}
	sort.Strings(orgs)
	return orgs, nil
}

// CallerSource is the token for /webhooks and /applications/{id}/token: WEBEX_ACCESS_TOKEN,
// else the stored Integration token (refreshed), else the stored personal access token. It is
// nil when there is none.
func (s *Session) CallerSource() (api.TokenSource, error) {
	src, _, err := s.callerSource()
	return src, err
}

// callerSource is CallerSource and what fixes it once Webex refuses it.
func (s *Session) callerSource() (api.TokenSource, string, error) {
	if s.Settings.AccessToken != "" {
		return api.StaticToken{Value: s.Settings.AccessToken, Name: "WEBEX_ACCESS_TOKEN"}, "set a fresh WEBEX_ACCESS_TOKEN", nil
	}
	src, err := s.integrationSource()
	if err != nil {
		return nil, "", err
	}
	if src != nil {
		return src, fixIntegration, nil
	}
	ps, err := s.storedProfile()
	if err != nil || ps == nil {
		return nil, "", err
	}
	if ps.PAT != nil && ps.PAT.AccessToken != "" {
		return api.StaticToken{Value: ps.PAT.AccessToken, Name: "the stored personal access token"}, "run `byova auth login --method pat`", nil
	}
	return nil, "", nil
}

const (
	fixIntegration = "run `byova auth login --method integration`"
	fixServiceApp  = "run `byova auth login --method service-app`"
)

// storedProfile is this profile's part of the token store (nil when it has none).
func (s *Session) storedProfile() (*config.ProfileSecrets, error) {
	if s.Store == nil {
		return nil, nil
	}
	toks, err := s.Store.Load()
	if err != nil {
		return nil, err
	}
	return toks.Profiles[s.Settings.Profile], nil
}

// integrationSource is the stored Integration token, refreshed with its client; nil if none.
func (s *Session) integrationSource() (*api.Source, error) {
	ps, err := s.storedProfile()
	if err != nil || ps == nil {
		return nil, err
	}
	if ps.Integration == nil || (ps.Integration.AccessToken == "" && ps.Integration.RefreshToken == "") {
		return nil, nil
	}
	oc := s.Integration()
	if ps.Integration.ClientID != "" {
		oc.ClientID = ps.Integration.ClientID
		if sec := ps.ClientSecrets[oc.ClientID]; sec != "" {
			oc.ClientSecret = sec
		}
	}
	key := slot{kind: config.KindIntegration}
	refresh := s.persisted(key, oc.ClientID, api.IntegrationRefresher(s.base, oc))
	return api.NewSource(toAPI(ps.Integration), expiredAs("the Integration token", fixIntegration, refresh)), nil
}

// Caller is a client authenticated with CallerSource.
func (s *Session) Caller() (*api.Client, error) {
	ts, err := s.CallerSource()
	if err != nil {
		return nil, err
	}
	if ts == nil {
		return nil, &api.SignInError{Reason: "no Integration or personal access token: run `byova auth login` or set WEBEX_ACCESS_TOKEN"}
	}
	return s.base.WithToken(ts), nil
}

// OrgClient is a client with the Service App's token for org (a UUID or Webex org ID). The
// token comes from the store, else the sandbox refresh token (WEBEX_SA_REFRESH_TOKEN), else a
// fresh pair fetched with the caller token; every new token is written back to the store.
func (s *Session) OrgClient(org string) (*api.Client, error) {
	src, err := s.orgSource(org)
	if err != nil {
		return nil, err
	}
	return s.base.WithToken(src), nil
}

func (s *Session) orgSource(org string) (*api.Source, error) {
	orgUUID, err := api.OrgUUID(org)
	if err != nil {
		return nil, err
	}
	sa := s.ServiceApp()
	var initial api.Token
	ps, err := s.storedProfile()
	if err != nil {
		return nil, err
	}
	if ps != nil {
		if t := ps.Orgs[orgUUID]; t != nil {
			initial = toAPI(t)
			if t.ClientID != "" && sa.ClientID == "" {
				sa.ClientID = t.ClientID
			}
			if sa.ClientSecret == "" && sa.ClientID != "" {
				sa.ClientSecret = ps.ClientSecrets[sa.ClientID]
			}
		}
	}
	fix := fixServiceApp
	if initial.AccessToken == "" && initial.RefreshToken == "" && s.Settings.ServiceAppRefreshToken != "" {
		if cur, _ := api.OrgUUID(s.Settings.Org); cur == orgUUID || s.Settings.Org == "" {
			initial.RefreshToken = s.Settings.ServiceAppRefreshToken
			fix = "set a fresh WEBEX_SA_REFRESH_TOKEN, or " + fixServiceApp
		}
	}
	caller, callerFix, err := s.callerSource()
	if err != nil {
		return nil, err
	}
	canRefresh := (initial.RefreshToken != "" || caller != nil) && sa.ClientID != "" && sa.ClientSecret != ""
	if canRefresh && caller != nil {
		// A new org token comes from the caller token: once Webex refuses both, it is the
		// caller sign-in that has to be renewed.
		fix = callerFix
	}
	if initial.AccessToken == "" && !canRefresh && caller != nil && (sa.ClientID == "" || sa.ClientSecret == "") {
		// A person's token is there, but a Service App token is fetched with the Service App's
		// own credentials: say which are missing, not to set what is already set.
		return nil, &api.SignInError{Reason: fmt.Sprintf("no Service App token for org %s: a caller token is set, but fetching the org's token also needs the Service App's WEBEX_SA_CLIENT_ID and WEBEX_SA_CLIENT_SECRET (or run `byova auth login --method service-app`)", orgUUID)}
	}
	if initial.AccessToken == "" && !canRefresh {
		return nil, &api.SignInError{Reason: fmt.Sprintf("no Service App token for org %s: run `byova auth login --method service-app`, or set WEBEX_SA_CLIENT_ID, WEBEX_SA_CLIENT_SECRET and WEBEX_SA_REFRESH_TOKEN (or WEBEX_ACCESS_TOKEN)", orgUUID)}
	}
	var refresh api.RefreshFunc
	if canRefresh {
		refresh = s.persisted(slot{kind: config.KindServiceApp, org: orgUUID}, sa.ClientID, api.ServiceAppRefresher(s.base, sa, orgUUID, caller))
	}
	return api.NewSource(initial, expiredAs("org "+orgUUID, fix, refresh)), nil
}

// RefreshNow replaces a stored Integration token, or an org's Service App token, at once (the
// auth screen's "refresh"). It runs under the token's refresh lock like every refresh, so
// another byova process refreshing at the same moment loses nothing.
func (s *Session) RefreshNow(ctx context.Context, kind, org string) (api.Token, error) {
	if err := s.MayWrite("refreshing tokens", "auth.refresh", kind); err != nil {
		return api.Token{}, err
	}
	var src *api.Source
	var err error
	switch kind {
	case config.KindIntegration:
		src, err = s.integrationSource()
		if err == nil && src == nil {
			err = &api.SignInError{Reason: "no Integration token is stored: sign in with `byova auth login --method integration`"}
		}
	case config.KindServiceApp:
		src, err = s.orgSource(org)
	default:
		err = fmt.Errorf("a %s token cannot be refreshed: get a new one", kind)
	}
	if err != nil {
		return api.Token{}, err
	}
	if _, err := src.Refresh(ctx, src.Current().AccessToken); err != nil {
		return api.Token{}, err
	}
	return src.Current(), nil
}

// CurrentOrgClient is OrgClient for Org().
func (s *Session) CurrentOrgClient() (*api.Client, string, error) {
	org, err := s.Org()
	if err != nil {
		return nil, "", err
	}
	c, err := s.OrgClient(org)
	return c, org, err
}

type slot struct {
	kind string
	org  string
}

func (k slot) get(ps *config.ProfileSecrets) *config.Token {
	switch k.kind {
	case config.KindIntegration:
		return ps.Integration
	case config.KindPAT:
		return ps.PAT
	}
	return ps.Orgs[k.org]
}

func (k slot) set(ps *config.ProfileSecrets, t *config.Token) {
	switch k.kind {
	case config.KindIntegration:
		ps.Integration = t
	case config.KindPAT:
		ps.PAT = t
	default:
		ps.Orgs[k.org] = t
	}
}

func toAPI(t *config.Token) api.Token {
	return api.Token{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, Expiry: t.Expiry, RefreshExpiry: t.RefreshExpiry, Scopes: t.Scopes}
}

func fromAPI(t api.Token, k slot, clientID string) *config.Token {
	return &config.Token{Kind: k.kind, Org: k.org, ClientID: clientID, AccessToken: t.AccessToken, RefreshToken: t.RefreshToken,
		Expiry: t.Expiry, RefreshExpiry: t.RefreshExpiry, Scopes: t.Scopes, ObtainedAt: time.Now().UTC()}
}

// SaveToken stores a token (after a sign-in) and remembers the client secret.
func (s *Session) SaveToken(kind, org, clientID, clientSecret string, t api.Token) error {
	return s.UpdateTokens("storing a "+kind+" token", "auth.store", org, kind, func(tk *config.Tokens) error {
		ps := tk.Profile(s.Settings.Profile)
		k := slot{kind: kind, org: org}
		k.set(ps, fromAPI(t, k, clientID))
		if clientID != "" && clientSecret != "" {
			ps.ClientSecrets[clientID] = clientSecret
		}
		return nil
	})
}

// Audit appends one audit line for a write to Webex; failures to log are reported, not fatal.
func (s *Session) Audit(org, op, id string, err error) error {
	return s.AuditTracked(org, op, id, "", err)
}

// AuditTracked is Audit with the trackingId of a successful write (see api.WithTracking).
func (s *Session) AuditTracked(org, op, id, trackingID string, err error) error {
	e := config.AuditEntry{Profile: s.Settings.Profile, Org: org, Operation: op, ID: id, Result: config.AuditOK,
		TrackingID: trackingID, Actor: s.Actor, ActorKey: s.ActorKey}
	if err != nil {
		e.Result = config.AuditError
		e.TrackingID = api.TrackingIDOf(err)
		e.Error = err.Error()
	}
	if sink, ok := s.Store.(config.AuditSink); ok {
		return sink.AppendAudit(e)
	}
	return config.AppendAudit(s.AuditPath, e)
}
