package auth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/cli"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
	"github.com/byova/byova/signin"
)

// TestSecretsNeverShown signs in every way in the terminal UI, refreshes, opens the picker and
// a log out confirmation, and looks at every frame, the raw terminal output and `byova auth
// status --json`: none holds a token or a client secret of the fake in full.
func TestSecretsNeverShown(t *testing.T) {
	fake := startFake(t)
	cr := fake.Creds()
	isolate(t)
	redirect, _ := freeRedirect(t)
	// The files where the commands look for them, so `auth status` reads the same store.
	st := config.Settings{Profile: "default", BaseURL: fake.URL(), Source: map[string]string{},
		IntegrationClientID: cr.IntegrationClientID, IntegrationClientSecret: cr.IntegrationClientSecret, IntegrationRedirectURI: redirect,
		ServiceAppClientID: cr.ServiceAppClientID, ServiceAppClientSecret: cr.ServiceAppClientSecret}
	s, err := session.New(st, config.NewStore(config.TokenFile()), nil)
	if err != nil {
		t.Fatal(err)
	}
	env := signin.Env{Getenv: envs("DISPLAY", ":0"), GOOS: "linux", OpenURL: browserFollows(t, nil)}
	j := startJourney(t, s, env, 120, 40)

	// A personal access token, pasted.
	j.press("4", "n")
	j.waitText("How do you want to sign in?")
	j.press("down", "enter")
	j.waitText("Token")
	j.paste(cr.PersonalAccessToken)
	j.press("enter")
	j.waitText("Signed in with a personal access token")
	j.press("enter")

	// The Integration, through the listener.
	j.waitText("1 credential")
	j.press("n", "enter")
	j.waitText("Client ID")
	j.press("enter", "enter", "enter", "enter")
	j.waitText("Signed in with the Integration")
	j.press("enter")

	// Two orgs: one with the caller, one with a pasted refresh token.
	j.waitText("2 credentials")
	j.press("n", "down", "down", "enter")
	j.waitText("Customer org")
	j.press("enter", "enter")
	j.typeText(cr.OrgID)
	j.press("enter", "enter")
	j.waitText("Added org " + cr.OrgID)
	j.press("enter")
	j.waitText("3 credentials")
	j.press("n", "down", "down", "enter")
	j.waitText("Customer org")
	j.press("enter", "enter")
	j.typeText(cr.OtherOrgID)
	j.press("enter", "down", "enter")
	j.waitText("Paste the refresh token")
	j.paste(cr.OtherOrgServiceAppRefreshToken)
	j.press("enter")
	j.waitText("Added org " + cr.OtherOrgID)
	j.press("enter")

	// Look around: every row's details, a refresh, the picker, a log out confirmation, data sources.
	j.waitText("4 credentials")
	for range 4 {
		j.press("j")
		j.screen()
	}
	j.press("r")
	j.waitText("refreshed")
	j.press("o")
	j.waitText("Switch org or profile")
	j.press("esc", "d")
	j.waitText("Log out of org")
	j.press("n", "1")
	j.waitText("Data sources")
	j.idle()
	j.screen()
	raw := j.quit()

	var status bytes.Buffer
	code := cli.Run(context.Background(), []string{"auth", "status", "--json"}, strings.NewReader(""), &status, &status, envs("WEBEX_BASE_URL", fake.URL()))
	if code != 0 || !json.Valid(status.Bytes()) {
		t.Fatalf("auth status --json: exit %d\n%s", code, status.String())
	}
	for _, kind := range []string{`"kind":"pat"`, `"kind":"integration"`, `"org":"` + cr.OtherOrgID + `"`} {
		if !strings.Contains(status.String(), kind) {
			t.Errorf("auth status --json lacks %s:\n%s", kind, status.String())
		}
	}

	secrets := secretsOf(t, fake, s)
	outputs := map[string]string{"raw terminal output": string(raw), "auth status --json": status.String()}
	for i, f := range j.frames {
		outputs["frame "+strconv.Itoa(i)] = f
	}
	for name, out := range outputs {
		for label, secret := range secrets {
			if strings.Contains(out, secret) {
				t.Errorf("%s shows %s in full", name, label)
			}
		}
	}
	if len(j.frames) < 20 || len(secrets) < 12 {
		t.Fatalf("the test looked at too little: %d frames, %d secrets", len(j.frames), len(secrets))
	}
}

// secretsOf is every secret the fake handed out or byova stored: the seeded credentials and
// every token value in the token store.
func secretsOf(t *testing.T, fake *webexfake.Server, s *session.Session) map[string]string {
	t.Helper()
	cr := fake.Creds()
	out := map[string]string{
		"the PAT": cr.PersonalAccessToken, "the Integration secret": cr.IntegrationClientSecret,
		"the Service App secret": cr.ServiceAppClientSecret, "the SA refresh token": cr.ServiceAppRefreshToken,
		"the SA access token": cr.ServiceAppAccessToken, "the other org's refresh token": cr.OtherOrgServiceAppRefreshToken,
		"the Integration access token": cr.IntegrationAccessToken, "the Integration refresh token": cr.IntegrationRefreshToken,
	}
	ps := stored(t, s)
	add := func(name string, tok *config.Token) {
		if tok == nil {
			return
		}
		if tok.AccessToken != "" {
			out["stored "+name+" access token"] = tok.AccessToken
		}
		if tok.RefreshToken != "" {
			out["stored "+name+" refresh token"] = tok.RefreshToken
		}
	}
	add("integration", ps.Integration)
	add("pat", ps.PAT)
	for org, tok := range ps.Orgs {
		add("org "+org, tok)
	}
	for id, sec := range ps.ClientSecrets {
		out["stored secret of "+id] = sec
	}
	return out
}
