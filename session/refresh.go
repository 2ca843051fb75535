package session

import (
	"context"
	"errors"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
)

// errKeepStored and errKeepRemoved end a store update without writing: another process
// stored a newer token, or removed it, while this one was refreshing.
var (
	errKeepStored  = errors.New("another process stored a newer token")
	errKeepRemoved = errors.New("the token was removed meanwhile")
)

// persisted wraps a refresh so that every byova process shares its result through the token
// store, and the store's lock is never held across the network:
//
//  1. a token another process stored since this one loaded its own is used as it is;
//  2. the token's own refresh lock (config.Store.LockRefresh) lets one process at a time
//     refresh it, so two that find it rejected at once make one grant: the second re-reads the
//     store once the first is done and uses its token;
//  3. the grant runs under no store lock, only that refresh lock;
//  4. the result is written under the store lock after re-reading: if another process stored a
//     newer token meanwhile (a sign-in, the webhook receiver), that one is kept and used; if it
//     removed the token (a logout, a deauthorization), it stays removed.
//
// A Service App token's refresh may refresh the caller token inside it (nested): that takes
// the caller's refresh lock, a different file, and never the store's lock, so it cannot wait on
// itself.
func (s *Session) persisted(k slot, clientID string, inner api.RefreshFunc) api.RefreshFunc {
	if s.Store == nil {
		return inner
	}
	return func(ctx context.Context, cur api.Token) (api.Token, error) {
		stored, err := s.storedToken(k)
		if err != nil {
			return api.Token{}, err
		}
		if newerThan(stored, cur.AccessToken) {
			return toAPI(stored), nil
		}
		unlock, err := s.Store.LockRefresh(ctx, s.Settings.Profile, k.kind, k.org)
		if err != nil {
			return api.Token{}, err
		}
		defer unlock()
		if stored, err = s.storedToken(k); err != nil {
			return api.Token{}, err
		}
		if newerThan(stored, cur.AccessToken) {
			s.Log.Debug("token refreshed by another process", "kind", k.kind, "org", k.org)
			return toAPI(stored), nil
		}
		base := cur
		if stored != nil && stored.RefreshToken != "" {
			base.RefreshToken, base.RefreshExpiry = stored.RefreshToken, stored.RefreshExpiry
		}

		nt, err := inner(ctx, base)
		if err != nil {
			return api.Token{}, err
		}
		if nt.RefreshToken == "" {
			nt.RefreshToken = base.RefreshToken
		}
		if nt.RefreshToken == base.RefreshToken && nt.RefreshExpiry.IsZero() {
			nt.RefreshExpiry = base.RefreshExpiry // the same refresh token lives as long as before
		}

		out := nt
		if s.Viewer() && stored == nil {
			// A viewer's session may keep a stored token alive, never store a new one (a token
			// minted from the environment's refresh token for an org not signed in): it is
			// used for this session value only.
			s.Log.Debug("viewer: new token used, not stored", "kind", k.kind, "org", k.org)
			return nt, nil
		}
		err = s.Store.Update(func(t *config.Tokens) error {
			ps := t.Profile(s.Settings.Profile)
			now := k.get(ps)
			switch {
			case sameToken(now, stored):
			case now == nil:
				return errKeepRemoved
			case toAPI(now).Fresh(time.Now()):
				out = toAPI(now)
				return errKeepStored
			}
			k.set(ps, fromAPI(nt, k, clientID))
			return nil
		})
		switch {
		case errors.Is(err, errKeepStored):
			s.Log.Debug("kept the token another process stored meanwhile", "kind", k.kind, "org", k.org)
		case errors.Is(err, errKeepRemoved):
			s.Log.Debug("token removed meanwhile: used once, not stored again", "kind", k.kind, "org", k.org)
		case err != nil:
			return api.Token{}, err
		default:
			s.Log.Debug("token refreshed", "kind", k.kind, "org", k.org, "expiry", out.Expiry)
		}
		return out, nil
	}
}

// storedToken is a copy of the token in slot k as the store holds it now (nil if none).
func (s *Session) storedToken(k slot) (*config.Token, error) {
	ps, err := s.storedProfile()
	if err != nil || ps == nil {
		return nil, err
	}
	t := k.get(ps)
	if t == nil {
		return nil, nil
	}
	c := *t
	return &c, nil
}

// newerThan reports whether the stored token is one other than the caller's and still usable.
func newerThan(stored *config.Token, current string) bool {
	return stored != nil && stored.AccessToken != "" && stored.AccessToken != current && toAPI(stored).Fresh(time.Now())
}

func sameToken(a, b *config.Token) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.AccessToken == b.AccessToken && a.RefreshToken == b.RefreshToken
}

// expiredAs turns Webex's refusal of every token it was offered into one error that names
// what expired and the one thing that fixes it. Other failures (network, 403, a busy lock)
// pass through as they are.
func expiredAs(what, fix string, refresh api.RefreshFunc) api.RefreshFunc {
	return func(ctx context.Context, cur api.Token) (api.Token, error) {
		if refresh == nil {
			return api.Token{}, &api.SignInExpiredError{For: what, Fix: fix}
		}
		t, err := refresh(ctx, cur)
		var cr *api.ClientRefusedError
		if errors.As(err, &cr) {
			return api.Token{}, err // wrong credentials, not an expired sign-in: its fix names them
		}
		if err != nil && (errors.Is(err, api.ErrNotSignedIn) || errors.Is(err, api.ErrUnauthorized)) {
			return api.Token{}, &api.SignInExpiredError{For: what, Fix: fix, Err: err}
		}
		return t, err
	}
}
