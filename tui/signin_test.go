package tui

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
)

// TestSignInExpiredShowsTheFix: once Webex refuses both the org's token and the Integration
// token that would fetch a new one, the data sources say at once which sign-in to renew: in
// the screen on the first load, in the banner when r reloads a list already shown. Before, each
// load stalled 10 s on the token store's lock and then blamed another byova.
func TestSignInExpiredShowsTheFix(t *testing.T) {
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	cr := fake.Creds()
	store := config.NewStore(filepath.Join(t.TempDir(), "tokens.json"))
	err := store.Update(func(tk *config.Tokens) error {
		ps := tk.Profile("default")
		ps.Integration = &config.Token{Kind: config.KindIntegration, ClientID: cr.IntegrationClientID,
			AccessToken: cr.IntegrationAccessToken, RefreshToken: cr.IntegrationRefreshToken, Expiry: time.Now().Add(time.Hour)}
		ps.ClientSecrets[cr.IntegrationClientID] = cr.IntegrationClientSecret
		ps.Orgs[cr.OrgID] = &config.Token{Kind: config.KindServiceApp, Org: cr.OrgID, ClientID: cr.ServiceAppClientID,
			RefreshToken: cr.ServiceAppRefreshToken}
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
	sess.AuditPath = filepath.Join(t.TempDir(), "audit.log")
	d := newDriver(t, Options{Session: sess, NoColor: true}, 160, 30)
	d.mustShow("Data sources")

	// Webex revokes everything byova holds.
	toks, err := store.Load()
	if err != nil {
		t.Fatal(err)
	}
	ps := toks.Profiles["default"]
	for _, tok := range []*config.Token{ps.Integration, ps.Orgs[cr.OrgID]} {
		fake.RevokeToken(tok.AccessToken)
		fake.RevokeToken(tok.RefreshToken)
	}
	fix := "sign-in expired for org " + cr.OrgID + ": run `byova auth login --method integration`"

	start := time.Now()
	d.press("r")
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the reload took %s, want under 2 s", took)
	}
	d.mustShow("Reloading data sources failed: "+fix, "then press r")

	// A fresh start (the first load) says the same in the screen.
	d = newDriver(t, Options{Session: sess, NoColor: true}, 160, 30)
	d.mustShow(fix)
}
