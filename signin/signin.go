package signin

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
)

// Sign-in methods, as `byova auth login --method` spells them.
const (
	MethodIntegration = "integration"
	MethodPAT         = "pat"
	MethodServiceApp  = "service-app"
)

// Methods lists the methods in the order the wizard offers them.
var Methods = []string{MethodIntegration, MethodPAT, MethodServiceApp}

// Token sources of a Service App sign-in.
const (
	SourceCaller  = "caller"  // POST /applications/{id}/token with the caller token
	SourceRefresh = "refresh" // the Service App's refresh token (sandbox path)
)

// Outcome is what a sign-in stored, without any secret.
type Outcome struct {
	Method        string
	Profile       string
	Org           string // service-app: the org UUID
	ClientID      string
	Who           string // the person (or machine account) Webex says the token belongs to
	Expiry        time.Time
	RefreshExpiry time.Time
	Scopes        []string
	DataSources   int    // service-app: how many the check listed
	Caller        string // service-app via caller: which token asked for it
	TokenFile     string
	ConfigFile    string
}

// ServiceAppInput is what a Service App sign-in needs.
type ServiceAppInput struct {
	ClientID, ClientSecret string
	Org                    string // UUID or Webex org ID
	Source                 string // SourceCaller or SourceRefresh
	RefreshToken           string // SourceRefresh
}

// CheckTimeout bounds the checks a sign-in makes.
const CheckTimeout = 30 * time.Second

// ProbeToken is a token being checked: unlike api.StaticToken, a 401 is reported as the token
// being rejected, not as something to refresh.
type ProbeToken struct{ Value, Name string }

func (p ProbeToken) Token(context.Context) (string, error) { return p.Value, nil }
func (p ProbeToken) Refresh(context.Context, string) (string, error) {
	return "", &RejectedError{What: p.Name}
}

// RejectedError says Webex answered 401 to a token being checked.
type RejectedError struct{ What string }

func (e *RejectedError) Error() string        { return "Webex rejected " + e.What + " (401 Unauthorized)" }
func (e *RejectedError) Is(target error) bool { return target == api.ErrNotSignedIn }

// SignInPAT checks a personal access token with GET /people/me and stores it only when Webex
// accepts it.
func SignInPAT(ctx context.Context, sess *session.Session, token string) (Outcome, error) {
	if err := sess.MayWrite("signing in", "auth.login", MethodPAT); err != nil {
		return Outcome{}, err
	}
	token = strings.TrimSpace(token)
	if err := ValidPAT(token); err != nil {
		return Outcome{}, &InputError{err}
	}
	ctx, cancel := context.WithTimeout(ctx, CheckTimeout)
	defer cancel()
	me, err := sess.Anonymous().WithToken(ProbeToken{token, "this personal access token"}).PeopleMe(ctx)
	if err != nil {
		return Outcome{}, err
	}
	if err := sess.SaveToken(config.KindPAT, "", "", "", api.Token{AccessToken: token}); err != nil {
		return Outcome{}, fmt.Errorf("the token is valid but could not be stored: %w", err)
	}
	return outcome(sess, Outcome{Method: MethodPAT, Who: Who(me)}), nil
}

// SignInServiceApp gets the Service App's token pair for an org (with the caller token, or
// with its refresh token on the sandbox path), checks it by listing the org's data sources,
// and stores it only when that works. The org is remembered in the profile.
func SignInServiceApp(ctx context.Context, sess *session.Session, in ServiceAppInput) (Outcome, error) {
	if err := sess.MayWrite("signing in to an org", "auth.login", MethodServiceApp); err != nil {
		return Outcome{}, err
	}
	in.ClientID, in.ClientSecret = strings.TrimSpace(in.ClientID), strings.TrimSpace(in.ClientSecret)
	in.RefreshToken = strings.TrimSpace(in.RefreshToken)
	org, err := api.OrgUUID(in.Org)
	if err != nil {
		return Outcome{}, &InputError{err}
	}
	if in.ClientID == "" || in.ClientSecret == "" {
		return Outcome{}, &InputError{errors.New("the Service App's client ID and secret are both needed (developer.webex.com → My Webex Apps)")}
	}
	ctx, cancel := context.WithTimeout(ctx, CheckTimeout)
	defer cancel()
	anon := sess.Anonymous()
	sa := api.ServiceApp{ClientID: in.ClientID, ClientSecret: in.ClientSecret}
	out := Outcome{Method: MethodServiceApp, Org: org, ClientID: in.ClientID}
	var tok api.Token
	switch in.Source {
	case SourceRefresh:
		if in.RefreshToken == "" {
			return Outcome{}, &InputError{errors.New("paste the Service App's refresh token for this org (or use a caller token)")}
		}
		tok, err = anon.RefreshGrant(ctx, api.OAuthClient{ClientID: in.ClientID, ClientSecret: in.ClientSecret}, in.RefreshToken)
		if err == nil && tok.RefreshToken == "" {
			tok.RefreshToken = in.RefreshToken // Webex may leave it out: it stays valid
		}
		if err == nil && len(tok.Scopes) == 0 {
			tok.Scopes = api.ServiceAppScopes
		}
	default:
		caller, name, cerr := Caller(sess)
		if cerr != nil {
			return Outcome{}, cerr
		}
		if caller == nil {
			return Outcome{}, &api.SignInError{Reason: "no caller token to ask Webex for the Service App's token: sign in with an Integration or a personal access token first, set WEBEX_ACCESS_TOKEN, or use the Service App's refresh token"}
		}
		out.Caller = name
		tok, err = anon.WithToken(onceCaller{caller}).ServiceAppToken(ctx, sa, org)
		if errors.Is(err, errCaller401) {
			err = blame401(ctx, anon, caller, name)
		}
	}
	if err != nil {
		return Outcome{}, err
	}
	saClient := anon.WithToken(ProbeToken{tok.AccessToken, "the Service App's new token"})
	items, err := saClient.ListDataSources(ctx)
	if err != nil {
		return Outcome{}, fmt.Errorf("Webex issued a token but listing the org's data sources with it failed, so it was not stored: %w", err)
	}
	if other := tokenOrg(ctx, saClient, items); other != "" && other != org {
		return Outcome{}, &WrongOrgError{Got: other, Want: org}
	}
	if err := sess.SaveToken(config.KindServiceApp, org, in.ClientID, in.ClientSecret, tok); err != nil {
		return Outcome{}, fmt.Errorf("the token works but could not be stored: %w", err)
	}
	if err := sess.UpdateConfig("pinning the org", "config.update", org, "org pin", func(f *config.File) error {
		p := f.Profile(sess.Profile())
		p.ServiceAppClientID = in.ClientID
		p.RememberOrg(org)
		return nil
	}); err != nil {
		return Outcome{}, fmt.Errorf("the token is stored, but the profile could not be updated: %w", err)
	}
	out.Expiry, out.RefreshExpiry, out.Scopes, out.DataSources = tok.Expiry, tok.RefreshExpiry, tok.Scopes, len(items)
	return outcome(sess, out), nil
}

// Caller is the token that may ask for Service App tokens, and a name for it: the
// environment's, the stored Integration token, or the stored personal access token.
func Caller(sess *session.Session) (api.TokenSource, string, error) {
	ts, err := sess.CallerSource()
	if err != nil || ts == nil {
		return nil, "", err
	}
	switch t := ts.(type) {
	case api.StaticToken:
		if sess.Settings.AccessToken != "" && t.Value == sess.Settings.AccessToken {
			return ts, "WEBEX_ACCESS_TOKEN", nil
		}
		return ts, "the stored personal access token", nil
	}
	return ts, "the stored Integration token", nil
}

// tokenOrg is the org a Service App token works in, as far as Webex tells: the data sources'
// orgId, else the org of the machine account behind the token. "" when unknown.
func tokenOrg(ctx context.Context, c *api.Client, items []api.DataSource) string {
	for _, ds := range items {
		if ds.OrgID != "" {
			if u, err := api.OrgUUID(ds.OrgID); err == nil {
				return u
			}
		}
	}
	if me, err := c.PeopleMe(ctx); err == nil && me.OrgID != "" {
		if u, err := api.OrgUUID(me.OrgID); err == nil {
			return u
		}
	}
	return ""
}

// errCaller401 marks a 401 to POST /applications/{id}/token with a caller that cannot refresh.
var errCaller401 = errors.New("401 to the Service App token request")

// onceCaller lets a refreshable caller (the Integration) refresh after a 401, and stops a
// static one, so the 401 can be looked into.
type onceCaller struct{ api.TokenSource }

func (c onceCaller) Refresh(ctx context.Context, rejected string) (string, error) {
	if _, ok := c.TokenSource.(api.StaticToken); ok {
		return "", errCaller401
	}
	return c.TokenSource.Refresh(ctx, rejected)
}

// ClientRejectedError: Webex refused the Service App's client ID or secret while the caller
// token is fine.
type ClientRejectedError struct{ Caller string }

// Is makes it a rejected credential (exit 3), like a refused token.
func (e *ClientRejectedError) Is(target error) bool { return target == api.ErrUnauthorized }

func (e *ClientRejectedError) Error() string {
	return "Webex rejected the Service App's client ID or secret (" + e.Caller + " is valid)"
}

// blame401 finds out which half of a 401 was wrong: Webex answers 401 both to a bad caller
// token and to bad Service App credentials.
func blame401(ctx context.Context, anon *api.Client, caller api.TokenSource, name string) error {
	tok, err := caller.Token(ctx)
	if err != nil {
		return err
	}
	if _, err := anon.WithToken(ProbeToken{tok, name}).PeopleMe(ctx); err != nil {
		return err
	}
	return &ClientRejectedError{Caller: name}
}

// OAuthAttempt is one Integration sign-in in progress: the state it expects back, the address
// to open, and the loopback listener (nil when the redirect URI cannot be listened on).
type OAuthAttempt struct {
	Client    api.OAuthClient
	State     string
	URL       string
	Listener  *api.RedirectListener
	ListenErr error // why there is no listener: the person pastes the address instead
}

// BeginOAuth binds the redirect listener first (so the address shown always has something
// to answer it), then builds the authorize URL.
func BeginOAuth(sess *session.Session, oc api.OAuthClient, state string) *OAuthAttempt {
	a := &OAuthAttempt{Client: oc, State: state}
	if err := sess.MayWrite("signing in", "auth.login", MethodIntegration); err != nil {
		a.ListenErr = err // no listener on serve's machine for someone who may not sign in
		a.URL = sess.Anonymous().AuthorizeURL(oc, state)
		return a
	}
	a.Listener, a.ListenErr = api.ListenRedirect(oc.RedirectURI, state)
	a.URL = sess.Anonymous().AuthorizeURL(oc, state)
	return a
}

// Close stops the listener; it is safe to call more than once.
func (a *OAuthAttempt) Close() {
	if a != nil && a.Listener != nil {
		_ = a.Listener.Close()
	}
}

// CodeFromAddress reads the code from the address the browser was sent to, checking the state.
func (a *OAuthAttempt) CodeFromAddress(address string) (string, error) {
	return api.ParseRedirect(strings.TrimSpace(address), a.State)
}

// FinishOAuth exchanges the code, asks Webex who signed in, stores the token with the client
// secret, and remembers the client ID, redirect URI and scopes in the profile.
func FinishOAuth(ctx context.Context, sess *session.Session, oc api.OAuthClient, code string) (Outcome, error) {
	if err := sess.MayWrite("signing in", "auth.login", MethodIntegration); err != nil {
		return Outcome{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, CheckTimeout)
	defer cancel()
	anon := sess.Anonymous()
	tok, err := anon.ExchangeCode(ctx, oc, code)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{Method: MethodIntegration, ClientID: oc.ClientID, Expiry: tok.Expiry, RefreshExpiry: tok.RefreshExpiry, Scopes: tok.Scopes}
	if me, err := anon.WithToken(ProbeToken{tok.AccessToken, "the new Integration token"}).PeopleMe(ctx); err == nil {
		out.Who = Who(me)
	}
	if err := sess.SaveToken(config.KindIntegration, "", oc.ClientID, oc.ClientSecret, tok); err != nil {
		return Outcome{}, fmt.Errorf("signed in, but the token could not be stored: %w", err)
	}
	if err := sess.UpdateConfig("saving the Integration's client", "config.update", "", "integration client", func(f *config.File) error {
		p := f.Profile(sess.Profile())
		p.IntegrationClientID, p.IntegrationRedirectURI = oc.ClientID, oc.RedirectURI
		p.Scopes = nil
		if !slices.Equal(oc.Scopes, api.DefaultIntegrationScopes) {
			p.Scopes = slices.Clone(oc.Scopes)
		}
		return nil
	}); err != nil {
		return Outcome{}, fmt.Errorf("the token is stored, but the profile could not be updated: %w", err)
	}
	return outcome(sess, out), nil
}

func outcome(sess *session.Session, o Outcome) Outcome {
	o.Profile = sess.Profile()
	if sess.Store != nil {
		o.TokenFile = sess.Store.Path()
	}
	o.ConfigFile = sess.ConfigPath
	return o
}

// Who names a person as Webex describes them: name and email, whichever are known.
func Who(p *api.Person) string {
	if p == nil {
		return ""
	}
	email := ""
	if len(p.Emails) > 0 {
		email = p.Emails[0]
	}
	switch {
	case p.DisplayName != "" && email != "":
		return p.DisplayName + " <" + email + ">"
	case p.DisplayName != "":
		return p.DisplayName
	}
	return email
}

// InputError is a value the person typed that cannot work; nothing was sent.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// WrongOrgError: the token Webex issued works in another org than the one asked for (a
// refresh token of another org was pasted). Nothing is stored.
type WrongOrgError struct{ Got, Want string }

func (e *WrongOrgError) Error() string {
	return "that token belongs to org " + e.Got + ", not " + e.Want
}
