package cli_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/cli"
	"github.com/byova/byova/config"
	"github.com/byova/byova/config/xdgtest"
)

// loginEnv gives a test its own XDG folders and a fake Webex; env adds variables.
func loginEnv(t *testing.T, env ...string) (*webexfake.Server, func(string) string) {
	t.Helper()
	xdgtest.Isolate(t)
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fake.Close() })
	m := map[string]string{"WEBEX_BASE_URL": fake.URL(), "NO_COLOR": "1"}
	for i := 0; i+1 < len(env); i += 2 {
		m[env[i]] = env[i+1]
	}
	return fake, func(k string) string { return m[k] }
}

func runLogin(t *testing.T, getenv func(string) string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Run(context.Background(), append([]string{"auth", "login"}, args...), strings.NewReader(stdin), &out, &errb, getenv)
	return code, out.String(), errb.String()
}

func storedTokens(t *testing.T) *config.ProfileSecrets {
	t.Helper()
	toks, err := config.NewStore(config.TokenFile()).Load()
	if err != nil {
		t.Fatal(err)
	}
	return toks.Profile("default")
}

func TestLoginWithoutTerminal(t *testing.T) {
	_, getenv := loginEnv(t)
	code, out, errs := runLogin(t, getenv, "")
	if code != cli.ExitUsage {
		t.Fatalf("exit %d, want %d\n%s%s", code, cli.ExitUsage, out, errs)
	}
	for _, want := range []string{"stdin is not one", "ACCESSIBLE=1", "--with-token", "WEBEX_SA_REFRESH_TOKEN"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if _, err := os.Stat(config.TokenFile()); err == nil {
		t.Error("nothing may be written")
	}
}

func TestLoginUsage(t *testing.T) {
	_, getenv := loginEnv(t)
	for _, args := range [][]string{{"--method", "oauth"}, {"--with-token"}, {"--method", "integration", "--with-token"}, {"--timeout", "0s"}} {
		if code, _, errs := runLogin(t, getenv, "", args...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d\n%s", args, code, errs)
		}
	}
}

// TestLoginAccessiblePAT answers huh's accessible prompts from stdin.
func TestLoginAccessiblePAT(t *testing.T) {
	fake, getenv := loginEnv(t, "ACCESSIBLE", "1")
	pat := fake.Creds().PersonalAccessToken
	code, out, errs := runLogin(t, getenv, "2\n"+pat+"\n")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "✓ Signed in with a personal access token as Ken Thompson") || !strings.Contains(errs, "Enter a number between 1 and 3") {
		t.Fatalf("stdout:\n%s\nstderr:\n%s", out, errs)
	}
	if strings.Contains(out+errs, pat) {
		t.Fatal("the token was echoed")
	}
	if ps := storedTokens(t); ps.PAT == nil || ps.PAT.AccessToken != pat {
		t.Fatalf("stored %+v", ps.PAT)
	}

	// TERM=dumb is plain prompts too; a rejected token exits 3 and is not stored.
	_, getenv = loginEnv(t, "TERM", "dumb")
	code, _, errs = runLogin(t, getenv, "not-a-token\n", "--method", "pat")
	if code != cli.ExitSignIn || !strings.Contains(errs, "rejected this personal access token; it was not stored") {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	if storedTokens(t).PAT != nil {
		t.Fatal("a rejected token was stored")
	}
}

func TestLoginWithToken(t *testing.T) {
	fake, getenv := loginEnv(t)
	code, out, errs := runLogin(t, getenv, fake.Creds().PersonalAccessToken+"\n", "--method", "pat", "--with-token")
	if code != 0 || !strings.Contains(out, "Signed in with a personal access token") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := runLogin(t, getenv, "", "--method", "pat", "--with-token"); code != cli.ExitUsage || !strings.Contains(errs, "stdin was empty") {
		t.Fatalf("empty stdin: exit %d\n%s", code, errs)
	}
}

// TestLoginServiceAppWithoutQuestions: with everything in the environment no question is left.
func TestLoginServiceAppWithoutQuestions(t *testing.T) {
	fake := webexfake.New(webexfake.Options{Seed: 1})
	cr := fake.Creds()
	_, getenv := loginEnv(t, "WEBEX_SA_CLIENT_ID", cr.ServiceAppClientID, "WEBEX_SA_CLIENT_SECRET", cr.ServiceAppClientSecret,
		"WEBEX_SA_REFRESH_TOKEN", cr.ServiceAppRefreshToken, "WEBEX_ORG_ID", cr.OrgID)
	code, out, errs := runLogin(t, getenv, "", "--method", "service-app")
	if code != 0 || !strings.Contains(out, "Added org "+cr.OrgID+" (8 data sources)") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if ps := storedTokens(t); ps.Orgs[cr.OrgID] == nil || ps.ClientSecrets[cr.ServiceAppClientID] != cr.ServiceAppClientSecret {
		t.Fatalf("stored %+v", ps)
	}
	b, _ := os.ReadFile(config.ConfigFile())
	if !strings.Contains(string(b), cr.OrgID) || strings.Contains(string(b), cr.ServiceAppClientSecret) {
		t.Fatalf("config.toml:\n%s", b)
	}

	// The other org with the caller token, its Webex ID given with --org.
	_, getenv = loginEnv(t, "WEBEX_SA_CLIENT_ID", cr.ServiceAppClientID, "WEBEX_SA_CLIENT_SECRET", cr.ServiceAppClientSecret,
		"WEBEX_ACCESS_TOKEN", cr.PersonalAccessToken)
	code, out, errs = runLogin(t, getenv, "", "--method", "service-app", "--org", webexfake.HydraID("ORGANIZATION", cr.OtherOrgID))
	if code != 0 || !strings.Contains(out, "via       WEBEX_ACCESS_TOKEN") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}

	// Something missing: exit 2, naming it.
	_, getenv = loginEnv(t, "WEBEX_SA_CLIENT_ID", cr.ServiceAppClientID)
	code, _, errs = runLogin(t, getenv, "", "--method", "service-app")
	if code != cli.ExitUsage || !strings.Contains(errs, "WEBEX_SA_CLIENT_SECRET, --org or WEBEX_ORG_ID, WEBEX_SA_REFRESH_TOKEN or WEBEX_ACCESS_TOKEN") {
		t.Fatalf("exit %d\n%s", code, errs)
	}
}
