package webhooks

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/byova/byova/api/webexfake"
)

// TestNoSecretInFull walks through every state of the screen against the fake and searches
// each frame for the fake's secrets: the webhooks' own secrets, the personal access token and
// every other credential it issued. None may appear in full; the only secret ever shown whole
// is one byova generated, in its one-time reveal.
func TestNoSecretInFull(t *testing.T) {
	fake, s := fakeSession(t, webexfake.Options{Seed: 7})
	cr := fake.Creds()
	secrets := map[string]string{
		"personal access token": cr.PersonalAccessToken, "integration secret": cr.IntegrationClientSecret,
		"integration access token": cr.IntegrationAccessToken, "integration refresh token": cr.IntegrationRefreshToken,
		"service app secret": cr.ServiceAppClientSecret, "service app access token": cr.ServiceAppAccessToken,
		"service app refresh token": cr.ServiceAppRefreshToken, "other org refresh token": cr.OtherOrgServiceAppRefreshToken,
	}
	cl, err := s.Caller()
	if err != nil {
		t.Fatal(err)
	}
	hooks, err := cl.ListWebhooks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hooks {
		if h.Secret != "" {
			secrets["secret of "+h.Name] = h.Secret
		}
	}
	if len(secrets) < 9 {
		t.Fatalf("the fake should seed webhook secrets: %d secrets", len(secrets))
	}

	j := startJourney(t, s, newWebhooks, 120, 40)
	var frames []string
	snap := func(what string) {
		j.idle()
		scr := j.screen()
		var banner string
		j.inspect(func(h *host) { banner = h.banner })
		frames = append(frames, what+"\n"+scr+"\n"+banner)
	}
	j.waitText("Webhooks 4")
	snap("list")
	j.press("/")
	j.typeText("service")
	snap("filter")
	j.press("esc")
	for range 4 {
		j.press("enter")
		j.waitText("Subscription")
		snap("detail")
		j.press("G")
		snap("detail end")
		j.press("e")
		j.waitText("Edit ")
		snap("edit")
		j.press("tab", "tab", "right", "right", "enter") // type a new secret
		snap("edit secret")
		j.press("esc", "d")
		snap("delete")
		j.press("esc", "esc", "j")
	}
	j.press("g", "E")
	j.waitText("Ensure the serviceApp")
	snap("ensure form")
	j.press("enter", "enter")
	snap("ensure confirm")
	j.press("y")
	j.waitText("Nothing to do")
	snap("ensure result")
	j.press("esc", "n")
	j.waitText("Create a webhook")
	snap("create form")
	j.typeText("Leak check")
	j.press("enter")
	j.typeText("https://leak.example.com/x")
	j.press("enter", "enter", "enter", "enter", "enter")
	j.waitText("Create this webhook?")
	snap("create confirm")
	j.press("y")
	j.waitText("only time byova shows this secret")
	reveal := j.screen()
	j.press("enter")
	j.waitText("Webhooks 5")
	snap("after the reveal")
	j.press("G", "enter")
	snap("detail of the new one")
	j.press("esc")
	fake.InjectFault(webexfake.Fault{Method: http.MethodGet, Path: "/v1/webhooks", Status: 403, Message: "lacks scope"})
	j.press("r")
	snap("banner")

	if testing.Verbose() {
		for _, f := range frames {
			t.Log(f[:min(len(f), 400)])
		}
	}
	for _, f := range append(frames, reveal) {
		for name, secret := range secrets {
			if secret != "" && strings.Contains(f, secret) {
				t.Errorf("the %s appears in full in the %s frame", name, strings.SplitN(f, "\n", 2)[0])
			}
		}
	}
	// The generated secret shows in the reveal only.
	var generated string
	for _, h := range mustList(t, cl) {
		if h.Name == "Leak check" {
			generated = h.Secret
		}
	}
	if generated == "" || !strings.Contains(reveal, generated) {
		t.Fatalf("the reveal shows the generated secret %q:\n%s", generated, reveal)
	}
	for _, f := range frames {
		if strings.Contains(f, generated) {
			t.Errorf("the generated secret appears after its reveal, in %s", strings.SplitN(f, "\n", 2)[0])
		}
	}
	j.quit()
}
