package auth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
	"github.com/byova/byova/signin"
)

// RefreshResult says what a refresh did.
type RefreshResult struct {
	Expiry time.Time // zero: the token cannot be refreshed, it was only checked
	Who    string    // checked tokens: who Webex says it is
	Grant  string    // "refresh grant", "/applications/{id}/token", "check"
}

// refreshRow gets a new access token for a stored (or environment) token with the grant that
// fits it: the refresh grant with the Integration's or Service App's client, or a new pair
// with the caller token when a Service App has no usable refresh token. Tokens that cannot be
// refreshed (personal access tokens, WEBEX_ACCESS_TOKEN) are checked with GET /people/me.
func refreshRow(ctx context.Context, sess *session.Session, r tokenRow) (RefreshResult, error) {
	anon := sess.Anonymous()
	toks, err := sess.Store.Load()
	if err != nil {
		return RefreshResult{}, err
	}
	ps := toks.Profile(sess.Profile())
	st := sess.Settings
	switch r.kind {
	case config.KindPAT, kindEnvCaller:
		value := st.AccessToken
		if r.kind == config.KindPAT {
			if ps.PAT == nil {
				return RefreshResult{}, errors.New("the personal access token is no longer stored")
			}
			value = ps.PAT.AccessToken
		}
		me, err := anon.WithToken(signin.ProbeToken{Value: value, Name: r.what()}).PeopleMe(ctx)
		if err != nil {
			return RefreshResult{}, err
		}
		return RefreshResult{Who: signin.Who(me), Grant: "check"}, nil

	case config.KindIntegration:
		if ps.Integration == nil {
			return RefreshResult{}, errors.New("the Integration token is no longer stored")
		}
	}
	if r.kind == config.KindServiceApp && ps.Orgs[r.org] == nil && r.env == "" {
		return RefreshResult{}, fmt.Errorf("no token is stored for org %s any more", r.org)
	}
	// The session refreshes under the token store's lock, with the grant that fits (the
	// refresh grant, or a new pair with the caller token when a Service App has no usable
	// refresh token), and stores the result.
	kind := r.kind
	if kind != config.KindIntegration {
		kind = config.KindServiceApp
	}
	tok, err := sess.RefreshNow(ctx, kind, r.org)
	if err != nil {
		return RefreshResult{}, err
	}
	return RefreshResult{Expiry: tok.Expiry, Grant: tok.Grant}, nil
}

// logOut forgets a stored token, and its client secret when no other token of the profile
// uses that client. Webex has no endpoint to revoke it: it expires on its own.
func logOut(sess *session.Session, r tokenRow) error {
	return sess.UpdateTokens("logging out", "auth.logout", r.org, r.kind, func(t *config.Tokens) error {
		ps := t.Profiles[sess.Profile()]
		if ps == nil {
			return nil
		}
		var gone *config.Token
		switch r.kind {
		case config.KindIntegration:
			gone, ps.Integration = ps.Integration, nil
		case config.KindPAT:
			gone, ps.PAT = ps.PAT, nil
		default:
			gone = ps.Orgs[r.org]
			delete(ps.Orgs, r.org)
		}
		if gone == nil || gone.ClientID == "" {
			return nil
		}
		for _, other := range append([]*config.Token{ps.Integration, ps.PAT}, mapValues(ps.Orgs)...) {
			if other != nil && other.ClientID == gone.ClientID {
				return nil
			}
		}
		delete(ps.ClientSecrets, gone.ClientID)
		return nil
	})
}

func mapValues(m map[string]*config.Token) []*config.Token {
	out := make([]*config.Token, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// openProfile builds a session for another profile of config.toml: the environment still
// applies, and --readonly given for this run stays on.
func openProfile(cur *session.Session, name string, getenv func(string) string) (*session.Session, error) {
	f, err := config.LoadFile(cur.ConfigPath)
	if err != nil {
		return nil, err
	}
	if _, ok := f.Profiles[name]; !ok && name != config.DefaultProfile {
		return nil, fmt.Errorf("no profile %q in %s: pick one with o, or add [profiles.%s] to the file", name, cur.ConfigPath, name)
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	ro := cur.Settings.ReadOnly && (cur.Settings.Source[config.SettingReadOnly] == config.SourceFlag || cur.Viewer())
	st := config.Resolve(config.Flags{Profile: name, ReadOnly: ro, ReadOnlySet: ro}, getenv, f)
	ns, err := session.New(st, cur.Store, cur.Log)
	if err != nil {
		return nil, err
	}
	ns.ConfigPath, ns.AuditPath, ns.Timeout, ns.HTTP = cur.ConfigPath, cur.AuditPath, cur.Timeout, cur.HTTP
	// The same person acts in the other profile: a viewer stays a viewer, audited as before.
	if err := ns.ActAs(cur); err != nil {
		return nil, err
	}
	return ns, nil
}
