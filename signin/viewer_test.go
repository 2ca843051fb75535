package signin_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
	"github.com/byova/byova/signin"
)

// Every sign-in refuses a viewer's session before it sends anything: the wizard, whichever
// key or click opened it, ends here.
func TestSignInRefusesAViewer(t *testing.T) {
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Close() })
	cr := fake.Creds()
	dir := t.TempDir()
	st := config.Settings{Profile: "default", BaseURL: fake.URL(), AccessToken: cr.PersonalAccessToken, Source: map[string]string{}}
	s, err := session.New(st, config.NewStore(filepath.Join(dir, "tokens.json")), nil)
	if err != nil {
		t.Fatal(err)
	}
	s.ConfigPath, s.AuditPath = filepath.Join(dir, "config.toml"), filepath.Join(dir, "audit.log")
	s.Actor, s.Role = "bob", config.RoleViewer
	if err := s.SetHTTPClient(nil); err != nil {
		t.Fatal(err)
	}
	fake.ResetRequests()

	_, err = signin.SignInPAT(t.Context(), s, cr.PersonalAccessToken)
	if !errors.Is(err, session.ErrViewer) {
		t.Errorf("PAT: %v", err)
	}
	_, err = signin.SignInServiceApp(t.Context(), s, signin.ServiceAppInput{ClientID: cr.ServiceAppClientID,
		ClientSecret: cr.ServiceAppClientSecret, Org: cr.OrgID, Source: signin.SourceRefresh, RefreshToken: cr.ServiceAppRefreshToken})
	if !errors.Is(err, session.ErrViewer) {
		t.Errorf("Service App: %v", err)
	}
	oc := api.OAuthClient{ClientID: cr.IntegrationClientID, ClientSecret: cr.IntegrationClientSecret, RedirectURI: "http://127.0.0.1:1/callback"}
	a := signin.BeginOAuth(s, oc, "state")
	defer a.Close()
	if a.Listener != nil || !errors.Is(a.ListenErr, session.ErrViewer) {
		t.Errorf("BeginOAuth listened (%v)", a.ListenErr)
	}
	_, err = signin.FinishOAuth(t.Context(), s, oc, "code")
	if !errors.Is(err, session.ErrViewer) {
		t.Errorf("Integration: %v", err)
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("%d requests reached the fake: %v", n, fake.Requests())
	}
	for _, f := range []string{"tokens.json", "config.toml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); !os.IsNotExist(err) {
			t.Errorf("%s was written", f)
		}
	}
}
