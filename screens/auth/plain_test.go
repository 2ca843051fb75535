package auth_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/byova/byova/screens/auth"
	"github.com/byova/byova/signin"
	"github.com/byova/byova/ui/signintext"
)

// TestPlainPAT answers the plain prompts from a pipe: the method by number, then the token.
func TestPlainPAT(t *testing.T) {
	fake := startFake(t)
	s := newSession(t, isolate(t), fake.URL(), nil)
	pat := fake.Creds().PersonalAccessToken
	var out bytes.Buffer
	o, err := auth.RunPlain(context.Background(), auth.PlainOptions{Session: s, Input: strings.NewReader("2\n" + pat + "\n"), Output: &out})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if o.Method != signin.MethodPAT || !strings.Contains(o.Who, "Ken Thompson") {
		t.Fatalf("outcome %+v", o)
	}
	text := out.String()
	for _, want := range []string{"How do you want to sign in?", "1. Integration", "Enter a number between 1 and 3", "Token:", "Checking the token"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, pat) || strings.Contains(text, "\x1b[") {
		t.Fatalf("plain prompts echo no secret and no escape sequence:\n%q", text)
	}
	if stored(t, s).PAT == nil {
		t.Fatal("not stored")
	}

	// A rejected token, then the input ends: nothing stored, the error says why.
	s2 := newSession(t, t.TempDir(), fake.URL(), nil)
	_, err = auth.RunPlain(context.Background(), auth.PlainOptions{Session: s2, Method: signin.MethodPAT, Input: strings.NewReader("nope\n"), Output: &out})
	if h, _ := signintext.Explain("", err); !strings.Contains(h, "rejected this personal access token") {
		t.Fatalf("error %v → %q", err, h)
	}
	_, err = auth.RunPlain(context.Background(), auth.PlainOptions{Session: s2, Method: signin.MethodPAT, Input: strings.NewReader(""), Output: &out})
	if err == nil || !strings.Contains(err.Error(), "input end early") {
		t.Fatalf("empty input: %v", err)
	}
	if stored(t, s2).PAT != nil {
		t.Fatal("nothing may be stored")
	}
}

// TestPlainIntegrationWaits keeps every prefilled answer (enter), waits for the browser on
// the listener, and signs in.
func TestPlainIntegrationWaits(t *testing.T) {
	fake := startFake(t)
	s := integrationSession(t, fake)
	var out bytes.Buffer
	env := signin.Env{Getenv: envs("DISPLAY", ":0"), GOOS: "linux", OpenURL: browserFollows(t, nil)}
	o, err := auth.RunPlain(context.Background(), auth.PlainOptions{Session: s, Env: env, Method: signin.MethodIntegration,
		Input: strings.NewReader("\n\n\n\n\n"), Output: &out})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{"Client ID [" + fake.Creds().IntegrationClientID + "]:", "Client secret (enter keeps the one already set):",
		"/authorize?", "It is open in your browser.", "How will you finish?", "Waiting up to 5m0s", "Exchanging the code"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, fake.Creds().IntegrationClientSecret) {
		t.Fatal("the client secret was printed")
	}
	if o.Method != signin.MethodIntegration || stored(t, s).Integration == nil {
		t.Fatalf("outcome %+v", o)
	}
}

// TestPlainIntegrationPaste is plain prompts over SSH: paste is the default way to finish.
func TestPlainIntegrationPaste(t *testing.T) {
	fake := startFake(t)
	s := integrationSession(t, fake)
	addr := redirectOf(t, s.Anonymous().AuthorizeURL(s.Integration(), "plain-state"))
	env := signin.Env{Getenv: envs("SSH_CONNECTION", "x"), NewState: func() string { return "plain-state" }}
	var out bytes.Buffer
	_, err := auth.RunPlain(context.Background(), auth.PlainOptions{Session: s, Env: env, Method: signin.MethodIntegration,
		Input: strings.NewReader("\n\n\n\n\n" + addr + "\n"), Output: &out})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if stored(t, s).Integration == nil {
		t.Fatal("not stored")
	}
	// The same address again: the code was used.
	_, err = auth.RunPlain(context.Background(), auth.PlainOptions{Session: s, Env: env, Method: signin.MethodIntegration,
		Input: strings.NewReader("\n\n\n\n\n" + addr + "\n"), Output: &out})
	if h, _ := signintext.Explain("", err); !strings.Contains(h, "expired or was already used") {
		t.Fatalf("reused code: %v → %q", err, h)
	}
	if !strings.Contains(settingsFile(t, s), "integration_redirect_uri") {
		t.Fatal("the redirect URI is remembered in the profile")
	}
}
