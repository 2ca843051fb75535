package tui

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
)

// Issue 11, bug 12: with a personal access token stored that Webex refuses, the webhooks
// screen says Webex refused the sign-in, not "Not signed in"; with a good one it lists.
func TestWebhooksWithAStoredTokenNeverSayNotSignedIn(t *testing.T) {
	fake := startFake(t, webexfake.Options{Seed: 1})
	for _, tc := range []struct {
		pat, want string
	}{
		{fake.Creds().PersonalAccessToken, "Webhooks 4"},
		{"a-token-webex-refuses", "Webex refused the stored sign-in"},
	} {
		d := newDriver(t, Options{Session: patSession(t, fake, tc.pat), NoColor: true}, 100, 30)
		d.press("3")
		d.mustShow(tc.want)
		if strings.Contains(d.plain(), "Not signed in") {
			t.Fatalf("a stored token is a sign-in:\n%s", d.plain())
		}
	}
}

// Issue 11, bug 12: screen 4 shows how Webex last answered each token, not only that it is
// stored: the refused personal access token says so after the webhooks screen used it.
func TestAuthScreenShowsTheLastUseOfEachToken(t *testing.T) {
	fake := startFake(t, webexfake.Options{Seed: 1})
	d := newDriver(t, Options{Session: patSession(t, fake, "a-token-webex-refuses"), NoColor: true}, 120, 40)
	d.press("3", "4")
	d.mustShow("pat", "last use", "refused", "(webhook list)")
	d.press("j") // the org's Service App token: data sources loaded with it
	d.mustShow("Webex accepted it", "(data source list)")
}

// patSession is a session on the fake signed in with the Service App and the personal access
// token pat stored (which Webex may refuse).
func patSession(t *testing.T, fake *webexfake.Server, pat string) *session.Session {
	t.Helper()
	cr := fake.Creds()
	dir := t.TempDir()
	store := config.NewStore(filepath.Join(dir, "tokens.json"))
	if err := store.Update(func(tk *config.Tokens) error {
		tk.Profile("default").PAT = &config.Token{Kind: config.KindPAT, AccessToken: pat}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	st := config.Settings{Profile: "default", BaseURL: fake.URL(), Org: cr.OrgID,
		ServiceAppClientID: cr.ServiceAppClientID, ServiceAppClientSecret: cr.ServiceAppClientSecret,
		ServiceAppRefreshToken: cr.ServiceAppRefreshToken, Source: map[string]string{}}
	s, err := session.New(st, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.AuditPath = filepath.Join(dir, "audit.log")
	return s
}
