package webhooks

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/byova/byova/api/webexfake"
	fixture "github.com/byova/byova/ui/uitest"
)

// TestNoSecretInFull walks through every state of the screen against the fake and searches
// each frame for the fake's secrets: the webhooks' own secrets, the personal access token and
// every other credential it issued. None may appear in full; the only secret ever shown whole
// is one byova generated, in its one-time reveal.
func TestNoSecretInFull(t *testing.T) {
	fake, s := fixture.FakeSession(t, webexfake.Options{Seed: 7})
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

	j := fixture.StartJourney(t, s, newWebhooks, 120, 40)
	var frames []string
	snap := func(what string) {
		j.Idle()
		scr := j.Screen()
		var banner string
		j.Inspect(func(h *fixture.Host) { banner = h.Banner })
		frames = append(frames, what+"\n"+scr+"\n"+banner)
	}
	j.WaitText("Webhooks 4")
	snap("list")
	j.Press("/")
	j.TypeText("service")
	snap("filter")
	j.Press("esc")
	for range 4 {
		j.Press("enter")
		j.WaitText("Subscription")
		snap("detail")
		j.Press("G")
		snap("detail end")
		j.Press("e")
		j.WaitText("Edit ")
		snap("edit")
		j.Press("tab", "tab", "right", "right", "enter") // type a new secret
		snap("edit secret")
		j.Press("esc", "y", "d") // leave the edit (it asks: a value changed), then delete
		snap("delete")
		j.Press("esc", "esc", "j")
	}
	j.Press("g", "E")
	j.WaitText("Ensure the serviceApp")
	snap("ensure form")
	j.Press("enter", "enter")
	j.WaitText("y/enter ensure") // keys typed ahead never confirm: the dialog must be up
	snap("ensure confirm")
	j.Press("y")
	j.WaitText("Nothing to do")
	snap("ensure result")
	j.Press("esc", "n")
	j.WaitText("Create a webhook")
	snap("create form")
	j.TypeText("Leak check")
	j.Press("enter")
	j.TypeText("https://leak.example.com/x")
	j.Press("enter", "enter", "enter", "enter", "enter")
	j.WaitText("Create this webhook?")
	snap("create confirm")
	j.Press("y")
	j.WaitText("only time byova shows this secret")
	reveal := j.Screen()
	j.Press("enter")
	j.WaitText("Webhooks 5")
	snap("after the reveal")
	j.Press("G", "enter")
	snap("detail of the new one")
	j.Press("esc")
	fake.InjectFault(webexfake.Fault{Method: http.MethodGet, Path: "/v1/webhooks", Status: 403, Message: "lacks scope"})
	j.Press("r")
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
	j.Quit()
}
