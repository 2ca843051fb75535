package serve

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/gateway"
	"github.com/byova/byova/gateway/gatewayfake"
	"github.com/byova/byova/ui/uitest"
)

// A viewer over SSH probes (p) and calls (c) a Voice Virtual Agent source against the fake
// gateway: the probe's verdict and the agent's welcome prompt appear in that console, esc hangs
// up (the gateway's last request is SESSION_END), and nothing is written: tokens.json keeps its
// bytes and the fake Webex sees no write. Neither probing nor calling writes to Webex, so a
// read-only session may do both (issue 18, §4).
func TestViewerProbesAndCallsOverSSH(t *testing.T) {
	var ag *gatewayfake.Server
	r := newRig(t, func(o *Options) {
		jwks, err := api.ResolveJWKSURL("", "", "", o.Session.Settings.BaseURL) // the fake Webex's key set
		if err != nil {
			t.Fatal(err)
		}
		ag, err = gatewayfake.Start("127.0.0.1:0", gatewayfake.Options{JWKSURL: jwks, Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(ag.Close)
		o.ProbeRoots = ag.Roots() // the consoles' p and c trust what the prober trusts
	})
	if n := r.fake.PointVoiceAgentsAt(ag.URL()); n == 0 {
		t.Fatal("no Voice Virtual Agent data sources in the fake")
	}
	// A probeable source whose audience no other source has: the filter then leaves it alone,
	// selected.
	c, _, err := r.sess.CurrentOrgClient()
	if err != nil {
		t.Fatal(err)
	}
	items, err := c.ListDataSources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, d := range items {
		seen[d.Audience]++
	}
	var target *api.DataSource
	for i := range items {
		if ok, _ := gateway.Probeable(&items[i], time.Now()); ok && seen[items[i].Audience] == 1 {
			target = &items[i]
			break
		}
	}
	if target == nil {
		t.Fatal("no probeable data source with an audience of its own in the fake")
	}
	tokens, err := os.ReadFile(r.sess.Store.Path())
	if err != nil {
		t.Fatal(err)
	}
	r.fake.ResetRequests()

	con := r.open(t, r.viewer, 120, 40)
	uitest.WaitText(t, con.screen, "bob · viewer", "READ-ONLY", target.Audience)
	con.press(t, "/"+target.Audience+"\r")
	uitest.WaitText(t, con.screen, `filter "`+strings.ToLower(target.Audience)+`" 1 of`)
	con.press(t, "p")
	uitest.WaitText(t, con.screen, "✓ up", "endpoint holds every step")

	// The turn never ends, so esc surely comes during the call.
	if _, err := ag.Fail(gatewayfake.FaultNoFinal, 0); err != nil {
		t.Fatal(err)
	}
	con.press(t, "c")
	uitest.WaitText(t, con.screen, "Test call to", "Welcome to the byova fake agent")
	con.press(t, "\x1b")
	uitest.WaitText(t, con.screen, "hung up")
	uitest.WaitFor(t, "SESSION_END at the gateway", func() string {
		got := ag.Requests()
		if len(got) == 0 {
			return ""
		}
		return got[len(got)-1].Input
	}, func(s string) bool { return s == "SESSION_END" })
	var inputs []string
	for _, q := range ag.Requests() {
		if q.Input != "" {
			inputs = append(inputs, q.Input)
		}
	}
	if got := strings.Join(inputs, " "); !strings.HasPrefix(got, "SESSION_START") {
		t.Errorf("the gateway saw %s", got)
	}

	for _, w := range writesAtAll(r) {
		t.Errorf("a viewer's probe and call sent %s", w)
	}
	if got, err := os.ReadFile(r.sess.Store.Path()); err != nil || !bytes.Equal(got, tokens) {
		t.Errorf("tokens.json changed (%v):\n%s\nwas\n%s", err, got, tokens)
	}
}
