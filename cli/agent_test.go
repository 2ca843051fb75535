package cli_test

import (
	"context"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/byova/byova/api"
	"github.com/byova/byova/gateway"
	"github.com/byova/byova/gateway/gatewayfake"
)

// cmdFakeAgent starts a fake gateway beside the script's fake Webex (as `fake serve --agent`
// does), points the Voice Virtual Agent data sources at it, and sets AGENT_URL, BYOVA_CA_FILE
// and DS_VA (a probeable one). Turns are short: the fake hears 100 ms of audio.
func cmdFakeAgent(ts *testscript.TestScript, neg bool, args []string) {
	s := fakeOf(ts)
	ag, err := gatewayfake.Start("127.0.0.1:0", gatewayfake.Options{JWKSURL: s.Creds().JWKSURL, Utterance: 100 * time.Millisecond, Dir: ts.MkAbs("agent")})
	if err != nil {
		ts.Fatalf("fake agent: %v", err)
	}
	ts.Defer(ag.Close)
	s.PointVoiceAgentsAt(ag.URL())
	s.SetAgentControl(ag.Fail)
	ts.Setenv("AGENT_URL", ag.URL())
	ts.Setenv("BYOVA_CA_FILE", ag.CAFile())
	cr := s.Creds()
	base, _ := api.New(api.Options{BaseURL: s.URL()})
	src := api.NewSource(api.Token{RefreshToken: cr.ServiceAppRefreshToken},
		api.ServiceAppRefresher(base, api.ServiceApp{ClientID: cr.ServiceAppClientID, ClientSecret: cr.ServiceAppClientSecret}, cr.OrgID, nil))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	items, err := base.WithToken(src).ListDataSources(ctx)
	if err != nil {
		ts.Fatalf("list: %v", err)
	}
	for i := range items {
		if ok, _ := gateway.Probeable(&items[i], time.Now()); ok {
			ts.Setenv("DS_VA", items[i].ID)
			break
		}
	}
	s.ResetRequests()
}
