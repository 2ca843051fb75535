package auth_test

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
	"github.com/byova/byova/signin"
	"github.com/byova/byova/tui"
	fixture "github.com/byova/byova/ui/uitest"
)

// twoOrgs is the fake behind a gate and a session of profile default in its primary org, with
// a personal access token (to get the other org's token) and both orgs remembered; more edits
// config.toml further.
func twoOrgs(t *testing.T, more func(f *config.File, gateURL string, cr webexfake.Credentials)) (*webexfake.Server, *fixture.Gate, *session.Session) {
	t.Helper()
	fake := startFake(t)
	cr := fake.Creds()
	gate := fixture.NewGate(t, fake)
	s := newSession(t, isolate(t), gate.URL+"/v1", func(st *config.Settings) {
		st.Org, st.AccessToken = cr.OrgID, cr.PersonalAccessToken
		st.ServiceAppClientID, st.ServiceAppClientSecret = cr.ServiceAppClientID, cr.ServiceAppClientSecret
	})
	if err := config.UpdateFile(s.ConfigPath, func(f *config.File) error {
		p := f.Profile("default")
		p.RememberOrg(cr.OtherOrgID)
		p.RememberOrg(cr.OrgID)
		if more != nil {
			more(f, gate.URL, cr)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return fake, gate, s
}

// TestSwitchOrgDropsStaleReplies: a slow reload of the data sources of org A is under way when
// the person switches to org B with o; B's list shows, and A's answer, arriving later, is
// dropped.
func TestSwitchOrgDropsStaleReplies(t *testing.T) {
	fake, gate, s := twoOrgs(t, nil)
	cr := fake.Creds()
	nameA, nameB := fake.OrgName(cr.OrgID), fake.OrgName(cr.OtherOrgID)

	before := settingsFile(t, s)
	j := startJourney(t, s, signin.Env{}, 100, 30)
	j.waitText("Data sources 8", "org "+nameA) // the org's name from Webex
	j.idle()

	gate.Hold(http.MethodGet, "/v1/dataSources")
	j.press("r") // org A, held
	gate.Arrived()

	j.press("o")
	scr := j.waitText("Switch org or profile", nameA, cr.OtherOrgID, "no token stored")
	if !strings.Contains(scr, "▸ ● "+nameA) {
		t.Fatalf("the picker starts on the current org:\n%s", scr)
	}
	j.press("down")
	j.waitText("▸   " + cr.OtherOrgID)
	j.press("enter")
	j.waitText("[1 Data sources]", "org "+nameB, "Data sources 3", "switched to org "+cr.OtherOrgID)
	gate.Release()
	j.idle() // A's answer has come back
	scr = j.screen()
	if !strings.Contains(scr, "Data sources 3") || strings.Contains(scr, "Data sources 8") || strings.Contains(scr, "failed") {
		t.Fatalf("the answer for the old org must be dropped:\n%s", scr)
	}
	if after := settingsFile(t, s); after != before {
		t.Errorf("o switches for this session only; config.toml changed:\n%s", after)
	}
	// B's token was fetched with the caller and stored; the picker lists it with a token now.
	j.press("o")
	j.waitText("Switch org or profile", "● "+nameB+"  ", "Service App token")
	j.press("esc")
	j.waitText("[1 Data sources]")
	j.quit()
}

// TestSwitchProfile: the picker opens another profile of config.toml; every screen reloads
// with its settings and tokens.
func TestSwitchProfile(t *testing.T) {
	fake := startFake(t)
	cr := fake.Creds()
	s := newSession(t, isolate(t), fake.URL(), nil)
	if err := config.UpdateFile(s.ConfigPath, func(f *config.File) error {
		p := f.Profile("sandbox")
		p.BaseURL, p.ServiceAppClientID = fake.URL(), cr.ServiceAppClientID
		p.RememberOrg(cr.OrgID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.Update(func(tk *config.Tokens) error {
		ps := tk.Profile("sandbox")
		ps.Orgs[cr.OrgID] = &config.Token{Kind: config.KindServiceApp, Org: cr.OrgID, ClientID: cr.ServiceAppClientID,
			AccessToken: cr.ServiceAppAccessToken, RefreshToken: cr.ServiceAppRefreshToken, Expiry: time.Now().Add(30 * time.Minute)}
		ps.ClientSecrets[cr.ServiceAppClientID] = cr.ServiceAppClientSecret
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	j := startJourney(t, s, signin.Env{Getenv: envs()}, 100, 30)
	j.waitText("profile default", "Not signed in.")
	j.press("o")
	j.waitText("Profiles", "sandbox  profile in config.toml")
	j.press("G", "enter")
	j.waitText("profile sandbox", "[1 Data sources]", "Data sources 8", "org "+fake.OrgName(cr.OrgID))
	j.press("4")
	j.waitText("profile sandbox · 1 credential")
	j.quit()
}

// TestSwitchesWhileAWriteIsHeld: a delete in org A of profile default is held at the gate
// while the person switches to org B, then to profile sandbox. When Webex answers, the
// answer is dropped (the list shown is sandbox's), and the audit line says what the delete
// was made under: profile default, org A. Run with -race: nothing a command holds is written
// by the switches.
func TestSwitchesWhileAWriteIsHeld(t *testing.T) {
	fake, gate, s := twoOrgs(t, func(f *config.File, gateURL string, cr webexfake.Credentials) {
		sb := f.Profile("sandbox")
		sb.BaseURL, sb.ServiceAppClientID, sb.Org = gateURL+"/v1", cr.ServiceAppClientID, cr.OtherOrgID
	})
	cr := fake.Creds()
	nameA, nameB := fake.OrgName(cr.OrgID), fake.OrgName(cr.OtherOrgID)
	if err := s.Store.Update(func(tk *config.Tokens) error {
		ps := tk.Profile("sandbox")
		ps.Orgs[cr.OtherOrgID] = &config.Token{Kind: config.KindServiceApp, Org: cr.OtherOrgID, ClientID: cr.ServiceAppClientID,
			RefreshToken: cr.OtherOrgServiceAppRefreshToken}
		ps.ClientSecrets[cr.ServiceAppClientID] = cr.ServiceAppClientSecret
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	before := settingsFile(t, s)

	j := startJourney(t, s, signin.Env{Getenv: envs()}, 100, 30)
	j.waitText("Data sources 8", "org "+nameA)
	j.idle()
	var id string
	j.inspect(func(m *tui.Model) {
		id = m.Screen(tui.ScreenDataSources).(interface{ Selected() *api.DataSource }).Selected().ID
	})
	gate.Hold(http.MethodDelete, "/v1/dataSources/")
	j.press("d")
	j.waitText("Delete the data source")
	j.press("y")
	gate.Arrived()

	j.press("o")
	j.waitText("Switch org or profile", cr.OtherOrgID)
	j.press("down", "enter") // org B
	j.waitText("org "+nameB, "Data sources 3")
	j.press("o")
	j.waitText("Profiles", "sandbox")
	j.press("G", "enter") // profile sandbox
	j.waitText("profile sandbox", "org "+nameB, "Data sources 3")

	gate.Release()
	j.idle()
	scr := j.screen()
	if !strings.Contains(scr, "profile sandbox") || !strings.Contains(scr, "Data sources 3") || strings.Contains(scr, "failed") {
		t.Fatalf("the answer for profile default, org A must not change what sandbox shows:\n%s", scr)
	}
	if n := len(fake.Requests()); n == 0 {
		t.Fatal("no request reached the fake")
	}
	b, err := os.ReadFile(s.AuditPath)
	if err != nil {
		t.Fatal(err)
	}
	var got []config.AuditEntry
	for line := range strings.SplitSeq(strings.TrimSpace(string(b)), "\n") {
		var e config.AuditEntry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		got = append(got, e)
	}
	if len(got) != 1 || got[0].Operation != "datasources.delete" || got[0].ID != id || got[0].Result != config.AuditOK ||
		got[0].Profile != "default" || got[0].Org != cr.OrgID {
		t.Fatalf("want one delete of %s audited under profile default, org %s; got %+v", id, cr.OrgID, got)
	}
	if got[0].TrackingID == "" {
		t.Error("the audit line lacks Webex's trackingId")
	}
	if after := settingsFile(t, s); after != before {
		t.Errorf("switches are for this session only; config.toml changed:\n%s", after)
	}
	j.quit()
}

// TestPickerShowsANameThatArrivesWhileOpen: the other org's name from Webex is held at the
// gate while the picker is open; the picker lists the org by UUID, then by name once Webex
// answers, without being reopened.
func TestPickerShowsANameThatArrivesWhileOpen(t *testing.T) {
	fake, gate, s := twoOrgs(t, nil)
	cr := fake.Creds()
	if err := s.SaveToken(config.KindServiceApp, cr.OtherOrgID, cr.ServiceAppClientID, cr.ServiceAppClientSecret,
		api.Token{RefreshToken: cr.OtherOrgServiceAppRefreshToken}); err != nil {
		t.Fatal(err)
	}
	nameB := fake.OrgName(cr.OtherOrgID)
	u, err := api.OrgUUID(cr.OtherOrgID)
	if err != nil {
		t.Fatal(err)
	}
	gate.Hold(http.MethodGet, "/v1/organizations/"+api.EncodeID(api.KindOrganization, u))

	j := startJourney(t, s, signin.Env{}, 100, 30)
	j.waitText("Data sources 8")
	j.press("o")
	gate.Arrived()
	scr := j.waitText("Switch org or profile", u+"  Service App token")
	if strings.Contains(scr, nameB) {
		t.Fatalf("the name is held at the gate, yet shown:\n%s", scr)
	}
	gate.Release()
	j.waitText("Switch org or profile", nameB+"  ", "Service App token")
	j.press("esc")
	j.quit()
}
