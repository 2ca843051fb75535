package session

import (
	"sync"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
)

// With is a clone with edit applied to its settings.
func (s *Session) With(edit func(*config.Settings)) *Session {
	c := s.Clone()
	edit(&c.Settings)
	return c
}

// WithOrg is a clone that works in org (a UUID or a Webex org ID).
func (s *Session) WithOrg(org string) *Session {
	return s.With(func(st *config.Settings) {
		st.Org, st.OrgAlias = org, ""
		if u, ok := st.OrgAliases[org]; ok {
			st.Org, st.OrgAlias = u, org
		}
	})
}

// clientCache keeps the current org's client for the life of one session value, so the
// requests made with it share the client and so its token refreshes.
type clientCache struct {
	mu     sync.Mutex
	org    string
	client *api.Client
}

// CachedOrgClient is CurrentOrgClient, remembered: later calls on this session value get the
// same client. It may read the token store: call it off the UI's goroutine.
func (s *Session) CachedOrgClient() (*api.Client, string, error) {
	cc := &s.clients
	cc.mu.Lock()
	defer cc.mu.Unlock()
	if cc.client != nil {
		return cc.client, cc.org, nil
	}
	cl, org, err := s.CurrentOrgClient()
	if err != nil {
		return nil, org, err
	}
	cc.client, cc.org = cl, org
	return cl, org, nil
}

// ForgetClient drops the cached client: the next request reads the token store again (after
// a sign-in or a refresh made elsewhere).
func (s *Session) ForgetClient() {
	s.clients.mu.Lock()
	defer s.clients.mu.Unlock()
	s.clients.client, s.clients.org = nil, ""
}

// keySetCache keeps the key set that verifies data source tokens for the life of one session
// value, which may be days (byova serve): a live api.KeySet, kept an hour and fetched again
// for a kid it lacks at most once a minute, so it follows every rotation of Webex's key.
type keySetCache struct {
	mu   sync.Mutex
	keys *api.KeySet
}

// KeySet is the key set for this profile's data source tokens (its jwks_url or
// BYOVA_JWKS_URL, else the one its base URL implies), shared by the requests of this session
// value. It fetches nothing itself.
func (s *Session) KeySet() (*api.KeySet, error) {
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	if s.keys.keys == nil {
		u, err := api.ResolveJWKSURL("", "", s.Settings.JWKSURL, s.Settings.BaseURL)
		if err != nil {
			return nil, err
		}
		s.keys.keys = api.NewLiveKeySet(u)
	}
	return s.keys.keys, nil
}
