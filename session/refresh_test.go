package session_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
)

// revokedStore writes a token store whose Integration token and org token the fake does not
// know: every access token answers 401 and every refresh token is refused, as after Webex
// revoked them.
func revokedStore(t *testing.T, fake *webexfake.Server, withIntegration bool) *config.Store {
	t.Helper()
	cr := fake.Creds()
	store := config.NewStore(filepath.Join(t.TempDir(), "byova", "tokens.json"))
	err := store.Update(func(tk *config.Tokens) error {
		ps := tk.Profile("default")
		if withIntegration {
			ps.Integration = &config.Token{Kind: config.KindIntegration, ClientID: cr.IntegrationClientID,
				AccessToken: "revoked-integration", RefreshToken: "revoked-integration-refresh", Expiry: time.Now().Add(time.Hour)}
			ps.ClientSecrets[cr.IntegrationClientID] = cr.IntegrationClientSecret
		}
		ps.Orgs[cr.OrgID] = &config.Token{Kind: config.KindServiceApp, Org: cr.OrgID, ClientID: cr.ServiceAppClientID,
			AccessToken: "revoked-sa", RefreshToken: "revoked-sa-refresh", Expiry: time.Now().Add(time.Hour)}
		ps.ClientSecrets[cr.ServiceAppClientID] = cr.ServiceAppClientSecret
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return store
}

// TestBothTokensRejectedFailsFast: the org's token gets 401, its refresh token is refused,
// and the caller token that would fetch a new one is rejected too. Before the store lock was
// kept off the network this stalled 10 s on a lock the same process held.
func TestBothTokensRejectedFailsFast(t *testing.T) {
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	cr := fake.Creds()
	for _, tc := range []struct {
		name            string
		withIntegration bool
		accessToken     string
		fix             string
	}{
		{"stored Integration", true, "", "run `byova auth login --method integration`"},
		{"WEBEX_ACCESS_TOKEN", false, "revoked-env-token", "set a fresh WEBEX_ACCESS_TOKEN"},
		{"no caller", false, "", "run `byova auth login --method service-app`"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := revokedStore(t, fake, tc.withIntegration)
			st := config.Settings{Profile: "default", BaseURL: fake.URL(), Org: cr.OrgID, AccessToken: tc.accessToken, Source: map[string]string{}}
			sess, err := session.New(st, store, nil)
			if err != nil {
				t.Fatal(err)
			}
			c, org, err := sess.CurrentOrgClient()
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			_, err = c.ListDataSources(context.Background())
			took := time.Since(start)
			if !errors.Is(err, api.ErrNotSignedIn) {
				t.Fatalf("got %v, want a sign-in error", err)
			}
			want := "sign-in expired for org " + org + ": " + tc.fix
			if err.Error() != want {
				t.Errorf("message\n got %q\nwant %q", err.Error(), want)
			}
			if took > 2*time.Second {
				t.Errorf("took %s, want under 2 s", took)
			}
			var se *api.SignInExpiredError
			if !errors.As(err, &se) || se.Fix != tc.fix {
				t.Errorf("not a SignInExpiredError with the fix: %#v", err)
			}
		})
	}
}

// slowTokenEndpoint serves the fake with every token grant delayed by d, standing in for a
// slow Webex token endpoint; the fake itself stays as it is.
func slowTokenEndpoint(t *testing.T, fake *webexfake.Server, d time.Duration) (baseURL string, grantsSeen *atomic.Int32) {
	t.Helper()
	grantsSeen = new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/v1/access_token" {
			grantsSeen.Add(1)
			select {
			case <-time.After(d): // the slowness under test, not a wait for quiet
			case <-r.Context().Done():
				return
			}
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/v1", grantsSeen
}

const (
	childEnv        = "BYOVA_SESSION_CHILD"
	childURLEnv     = "BYOVA_SESSION_CHILD_URL"
	childTokensEnv  = "BYOVA_SESSION_CHILD_TOKENS"
	childOrgEnv     = "BYOVA_SESSION_CHILD_ORG"
	childLockEnv    = "BYOVA_SESSION_CHILD_LOCK_TIMEOUT"
	childSAIDEnv    = "BYOVA_SESSION_CHILD_SA_ID"
	childSASecEnv   = "BYOVA_SESSION_CHILD_SA_SECRET"
	slowGrant       = 1500 * time.Millisecond
	shortStoreWait  = 200 * time.Millisecond
	concurrentProcs = 3
)

// TestSlowTokenEndpointThreeProcesses: three processes find the org's token rejected while
// Webex takes far longer to grant a new one than any of them waits for the token store's lock.
// All three succeed with one grant: the store lock is never held across the grant, and the
// per-token refresh lock makes the other two wait for it and take its token.
func TestSlowTokenEndpointThreeProcesses(t *testing.T) {
	if os.Getenv(childEnv) == "slow" {
		slowChild(t)
		return
	}
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	base, seen := slowTokenEndpoint(t, fake, slowGrant)
	cr := fake.Creds()
	path := filepath.Join(t.TempDir(), "byova", "tokens.json")
	st := settingsFor(fake)
	st.BaseURL = base
	first, err := session.New(st, config.NewStore(path), nil)
	if err != nil {
		t.Fatal(err)
	}
	c, _, _ := first.CurrentOrgClient()
	if _, err := c.ListDataSources(context.Background()); err != nil {
		t.Fatal(err)
	}
	fake.ExpireAccessTokens()
	fake.ResetRequests()
	seen.Store(0)

	var cmds []*exec.Cmd
	outs := make([]*strings.Builder, concurrentProcs)
	for i := range concurrentProcs {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestSlowTokenEndpointThreeProcesses$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"=slow", childURLEnv+"="+base, childTokensEnv+"="+path,
			childOrgEnv+"="+cr.OrgID, childLockEnv+"="+shortStoreWait.String(),
			childSAIDEnv+"="+cr.ServiceAppClientID, childSASecEnv+"="+cr.ServiceAppClientSecret)
		outs[i] = &strings.Builder{}
		cmd.Stdout, cmd.Stderr = outs[i], outs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	failed := 0
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			failed++
			t.Errorf("process %d: %v\n%s", i, err, outs[i])
		}
	}
	if n := grants(fake); n != 1 || seen.Load() != 1 {
		t.Errorf("%d grants (%d reached the slow endpoint) for %d processes, want 1", n, seen.Load(), concurrentProcs)
	}
	if failed > 0 {
		t.Errorf("%d of %d processes failed", failed, concurrentProcs)
	}
}

func slowChild(t *testing.T) {
	st := config.Settings{Profile: "default", BaseURL: os.Getenv(childURLEnv), Org: os.Getenv(childOrgEnv),
		ServiceAppClientID: os.Getenv(childSAIDEnv), ServiceAppClientSecret: os.Getenv(childSASecEnv), Source: map[string]string{}}
	store := config.NewStore(os.Getenv(childTokensEnv))
	d, err := time.ParseDuration(os.Getenv(childLockEnv))
	if err != nil {
		t.Fatal(err)
	}
	store.SetLockTimeout(d)
	sess, err := session.New(st, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := sess.CurrentOrgClient()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListDataSources(context.Background()); err != nil {
		t.Fatal(fmt.Errorf("pid %d: %w", os.Getpid(), err))
	}
}

// TestNestedRefreshSucceeds: the org token is refused and has no refresh token, so a new one
// comes from /applications/{id}/token with the caller token, which is refused too and is
// refreshed inside the org token's refresh. Both are stored; nothing waits on a lock it holds.
func TestNestedRefreshSucceeds(t *testing.T) {
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	cr := fake.Creds()
	store := config.NewStore(filepath.Join(t.TempDir(), "byova", "tokens.json"))
	store.SetLockTimeout(100 * time.Millisecond)
	err := store.Update(func(tk *config.Tokens) error {
		ps := tk.Profile("default")
		ps.Integration = &config.Token{Kind: config.KindIntegration, ClientID: cr.IntegrationClientID,
			AccessToken: "revoked-integration", RefreshToken: cr.IntegrationRefreshToken, Expiry: time.Now().Add(time.Hour)}
		ps.ClientSecrets[cr.IntegrationClientID] = cr.IntegrationClientSecret
		ps.Orgs[cr.OrgID] = &config.Token{Kind: config.KindServiceApp, Org: cr.OrgID, ClientID: cr.ServiceAppClientID,
			AccessToken: "revoked-sa", Expiry: time.Now().Add(time.Hour)}
		ps.ClientSecrets[cr.ServiceAppClientID] = cr.ServiceAppClientSecret
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := session.New(config.Settings{Profile: "default", BaseURL: fake.URL(), Org: cr.OrgID, Source: map[string]string{}}, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, org, _ := sess.CurrentOrgClient()
	start := time.Now()
	if _, err := c.ListDataSources(context.Background()); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %s", took)
	}
	toks, _ := store.Load()
	ps := toks.Profiles["default"]
	if ps.Integration.AccessToken == "revoked-integration" || ps.Orgs[org].AccessToken == "revoked-sa" {
		t.Errorf("new tokens not stored: integration refreshed %v, org token replaced %v",
			ps.Integration.AccessToken != "revoked-integration", ps.Orgs[org].AccessToken != "revoked-sa")
	}
}
