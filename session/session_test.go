package session_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
)

func settingsFor(s *webexfake.Server) config.Settings {
	cr := s.Creds()
	return config.Settings{Profile: "default", BaseURL: s.URL(), Org: cr.OrgID,
		ServiceAppClientID: cr.ServiceAppClientID, ServiceAppClientSecret: cr.ServiceAppClientSecret,
		ServiceAppRefreshToken: cr.ServiceAppRefreshToken, Source: map[string]string{}}
}

func grants(s *webexfake.Server) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method == http.MethodPost && r.Path == "/v1/access_token" {
			n++
		}
	}
	return n
}

func TestSandboxPathStoresTheOrgToken(t *testing.T) {
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	store := config.NewStore(filepath.Join(t.TempDir(), "tokens.json"))
	sess, err := session.New(settingsFor(fake), store, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, org, err := sess.CurrentOrgClient()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListDataSources(context.Background()); err != nil {
		t.Fatal(err)
	}
	toks, _ := store.Load()
	tok := toks.Profiles["default"].Orgs[org]
	if tok == nil || tok.AccessToken == "" || tok.RefreshToken == "" || tok.Kind != config.KindServiceApp {
		t.Fatalf("stored token %+v", tok)
	}

	// Later, without the environment's refresh token or secret: the store alone suffices.
	st := settingsFor(fake)
	st.ServiceAppRefreshToken, st.ServiceAppClientSecret = "", ""
	sess2, _ := session.New(st, store, nil)
	c2, _, err := sess2.CurrentOrgClient()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c2.ListDataSources(context.Background()); err != nil {
		t.Fatalf("from the store: %v", err)
	}
	if err := config.CheckPermissions(store.Path()); err != nil {
		t.Error(err)
	}
}

func TestSecondSessionUsesTheTokenTheFirstRefreshed(t *testing.T) {
	fake := webexfake.New(webexfake.Options{Seed: 1})
	fake.Start()
	defer fake.Close()
	store := config.NewStore(filepath.Join(t.TempDir(), "tokens.json"))
	first, _ := session.New(settingsFor(fake), store, nil)
	c, _, _ := first.CurrentOrgClient()
	c.ListDataSources(context.Background())

	a, _ := session.New(settingsFor(fake), store, nil)
	b, _ := session.New(settingsFor(fake), store, nil)
	ca, _, _ := a.CurrentOrgClient() // both load the same (soon stale) token
	cb, _, _ := b.CurrentOrgClient()
	fake.ExpireAccessTokens()
	fake.ResetRequests()
	if _, err := ca.ListDataSources(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := cb.ListDataSources(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := grants(fake); n != 1 {
		t.Errorf("%d refresh grants, want 1: the second session should take the stored token", n)
	}
}

// TestTwoProcessesRefreshingAtOnce runs two byova-like processes that find their token
// rejected at the same moment: the store's lock makes one refresh and the other reuse it.
func TestTwoProcessesRefreshingAtOnce(t *testing.T) {
	if os.Getenv("SESSION_CHILD") == "1" {
		child(t)
		return
	}
	fake := webexfake.New(webexfake.Options{Seed: 1})
	fake.Start()
	defer fake.Close()
	path := filepath.Join(t.TempDir(), "tokens.json")
	store := config.NewStore(path)
	first, _ := session.New(settingsFor(fake), store, nil)
	c, _, _ := first.CurrentOrgClient()
	if _, err := c.ListDataSources(context.Background()); err != nil {
		t.Fatal(err)
	}
	fake.ExpireAccessTokens()
	fake.ResetRequests()
	var cmds []*exec.Cmd
	for i := 0; i < 2; i++ {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestTwoProcessesRefreshingAtOnce$")
		cmd.Env = append(os.Environ(), "SESSION_CHILD=1", "FAKE_URL="+fake.URL(), "TOKENS="+path,
			"SA_ID="+fake.Creds().ServiceAppClientID, "SA_SECRET="+fake.Creds().ServiceAppClientSecret, "ORG="+fake.Creds().OrgID)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child: %v", err)
		}
	}
	if n := grants(fake); n != 1 {
		t.Errorf("%d refresh grants for two processes, want 1", n)
	}
	toks, err := store.Load()
	if err != nil {
		t.Fatal(err)
	}
	if tok := toks.Profiles["default"].Orgs[fake.Creds().OrgID]; tok == nil || !tok.Expiry.After(time.Now()) {
		t.Errorf("stored token after the race: %+v", tok)
	}
}

func child(t *testing.T) {
	st := config.Settings{Profile: "default", BaseURL: os.Getenv("FAKE_URL"), Org: os.Getenv("ORG"),
		ServiceAppClientID: os.Getenv("SA_ID"), ServiceAppClientSecret: os.Getenv("SA_SECRET"), Source: map[string]string{}}
	sess, err := session.New(st, config.NewStore(os.Getenv("TOKENS")), nil)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := sess.CurrentOrgClient()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListDataSources(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestNotSignedIn(t *testing.T) {
	store := config.NewStore(filepath.Join(t.TempDir(), "tokens.json"))
	sess, _ := session.New(config.Settings{Profile: "default", BaseURL: "http://127.0.0.1:9/v1", Source: map[string]string{}}, store, nil)
	if _, err := sess.Org(); err == nil {
		t.Error("no org, no error")
	}
	if _, err := sess.OrgClient("63b02f90-9cc6-43b8-aa6d-cad425ac554c"); err == nil {
		t.Error("no token, no error")
	} else if !isSignIn(err) {
		t.Errorf("err %v is not a sign-in error", err)
	}
	if _, err := sess.Caller(); !isSignIn(err) {
		t.Errorf("caller: %v", err)
	}
}

// With a person's token but no Service App credentials, the error names the missing
// credentials and does not ask for the token that is already set.
func TestCallerTokenWithoutServiceAppSaysWhatIsMissing(t *testing.T) {
	store := config.NewStore(filepath.Join(t.TempDir(), "tokens.json"))
	sess, _ := session.New(config.Settings{Profile: "default", BaseURL: "http://127.0.0.1:9/v1", AccessToken: "person", Source: map[string]string{}}, store, nil)
	_, err := sess.OrgClient("63b02f90-9cc6-43b8-aa6d-cad425ac554c")
	if !isSignIn(err) || !strings.Contains(err.Error(), "WEBEX_SA_CLIENT_ID and WEBEX_SA_CLIENT_SECRET") ||
		strings.Contains(err.Error(), "(or WEBEX_ACCESS_TOKEN)") || strings.Contains(err.Error(), "person") {
		t.Fatalf("err: %v", err)
	}
}

func isSignIn(err error) bool {
	var se *api.SignInError
	return errors.Is(err, api.ErrNotSignedIn) && errors.As(err, &se)
}

func TestRefreshNowReplacesTheStoredToken(t *testing.T) {
	fake := webexfake.New(webexfake.Options{Seed: 1})
	fake.Start()
	defer fake.Close()
	store := config.NewStore(filepath.Join(t.TempDir(), "tokens.json"))
	sess, _ := session.New(settingsFor(fake), store, nil)
	c, org, _ := sess.CurrentOrgClient()
	if _, err := c.ListDataSources(context.Background()); err != nil {
		t.Fatal(err)
	}
	before, _ := store.Load()
	old := before.Profiles["default"].Orgs[org].AccessToken
	tok, err := sess.RefreshNow(context.Background(), config.KindServiceApp, org)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := store.Load()
	stored := after.Profiles["default"].Orgs[org]
	if tok.AccessToken == old || stored.AccessToken != tok.AccessToken || tok.Grant != api.GrantRefresh || stored.RefreshToken == "" {
		t.Errorf("refresh now: grant %q, new token stored %v, refresh token kept %v", tok.Grant, stored.AccessToken == tok.AccessToken, stored.RefreshToken != "")
	}
	// The fake leaves refresh_token out of every other answer: the refresh token and its
	// expiry must survive that.
	for i := 0; i < 2; i++ {
		if _, err := sess.RefreshNow(context.Background(), config.KindServiceApp, org); err != nil {
			t.Fatal(err)
		}
		again, _ := store.Load()
		if st := again.Profiles["default"].Orgs[org]; st.RefreshToken == "" || st.RefreshExpiry.IsZero() {
			t.Errorf("refresh %d lost the refresh token or its expiry: %v %v", i, st.RefreshToken != "", st.RefreshExpiry)
		}
	}
	if _, err := sess.RefreshNow(context.Background(), config.KindIntegration, ""); !errors.Is(err, api.ErrNotSignedIn) {
		t.Errorf("no Integration token: %v", err)
	}
	if _, err := sess.RefreshNow(context.Background(), config.KindPAT, ""); err == nil {
		t.Error("a PAT was refreshed")
	}
}
