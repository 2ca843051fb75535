package uitest

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/config/xdgtest"
	"github.com/byova/byova/session"
)

// Isolate points the XDG folders at a temp dir, so the config, tokens and caches a test
// writes are its own. It returns the dir.
func Isolate(t testing.TB) string { t.Helper(); return xdgtest.Isolate(t) }

// FakeSession starts webexfake and a session signed in to its primary org with the Service
// App refresh token and the personal access token (webhooks need a person's), tokens in a
// temp dir.
func FakeSession(t testing.TB, opts webexfake.Options) (*webexfake.Server, *session.Session) {
	t.Helper()
	fake := webexfake.New(opts)
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fake.Close() })
	cr := fake.Creds()
	dir := t.TempDir()
	st := config.Settings{Profile: "default", BaseURL: fake.URL(), Org: cr.OrgID,
		ServiceAppClientID: cr.ServiceAppClientID, ServiceAppClientSecret: cr.ServiceAppClientSecret,
		ServiceAppRefreshToken: cr.ServiceAppRefreshToken, AccessToken: cr.PersonalAccessToken, Source: map[string]string{}}
	s, err := session.New(st, config.NewStore(filepath.Join(dir, "tokens.json")), nil)
	if err != nil {
		t.Fatal(err)
	}
	s.AuditPath = filepath.Join(dir, "audit.log")
	return fake, s
}

// Requests counts the fake's requests with this method and path (a trailing slash ignored).
func Requests(fake *webexfake.Server, method, path string) int {
	n := 0
	for _, r := range fake.Requests() {
		if r.Method == method && strings.TrimSuffix(r.Path, "/") == path {
			n++
		}
	}
	return n
}

// ServerSession is a session against the fixture server (NewServer) at baseURL with a stored
// Service App token for Org that expires 45 minutes after the fixture clock.
func ServerSession(t testing.TB, baseURL string, readOnly bool) *session.Session {
	t.Helper()
	dir := t.TempDir()
	store := config.NewStore(filepath.Join(dir, "tokens.json"))
	err := store.Update(func(tk *config.Tokens) error {
		ps := tk.Profile("default")
		ps.Orgs[Org] = &config.Token{Kind: config.KindServiceApp, Org: Org, AccessToken: "fixture-access-token",
			Expiry: Now.Add(45 * time.Minute)}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st := config.Settings{Profile: "default", BaseURL: baseURL, Org: Org, ReadOnly: readOnly, Source: map[string]string{}}
	s, err := session.New(st, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.AuditPath = filepath.Join(dir, "audit.log")
	return s
}
