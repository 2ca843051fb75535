package uitest

import (
	"path/filepath"
	"strings"
	"testing"

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
