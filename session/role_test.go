package session_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
)

// viewerRig is a profile with a stored org token and a config.toml, and a viewer's session
// of it as `byova serve` makes one.
type viewerRig struct {
	fake            *webexfake.Server
	owner, viewer   *session.Session
	tokens, cfgPath string
}

func newViewerRig(t *testing.T) *viewerRig {
	t.Helper()
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Close() })
	dir := t.TempDir()
	cr := fake.Creds()
	st := settingsFor(fake)
	st.AccessToken = cr.PersonalAccessToken
	owner, err := session.New(st, config.NewStore(filepath.Join(dir, "tokens.json")), nil)
	if err != nil {
		t.Fatal(err)
	}
	owner.ConfigPath, owner.AuditPath = filepath.Join(dir, "config.toml"), filepath.Join(dir, "audit.log")
	if err := os.WriteFile(owner.ConfigPath, []byte("# kept by hand\n[profiles.default]\norg = \""+cr.OrgID+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := owner.SaveToken(config.KindServiceApp, cr.OrgID, cr.ServiceAppClientID, cr.ServiceAppClientSecret,
		api.Token{AccessToken: cr.ServiceAppAccessToken, RefreshToken: cr.ServiceAppRefreshToken, Expiry: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	v := owner.Clone()
	v.Actor, v.ActorKey, v.Role = "bob", "SHA256:bobkey", config.RoleViewer
	if err := v.SetHTTPClient(v.HTTP); err != nil {
		t.Fatal(err)
	}
	fake.ResetRequests()
	return &viewerRig{fake: fake, owner: owner, viewer: v, tokens: owner.Store.Path(), cfgPath: owner.ConfigPath}
}

func (r *viewerRig) snapshot(t *testing.T) func() {
	t.Helper()
	tok, _ := os.ReadFile(r.tokens)
	cfg, _ := os.ReadFile(r.cfgPath)
	return func() {
		t.Helper()
		if now, _ := os.ReadFile(r.tokens); !bytes.Equal(now, tok) {
			t.Errorf("tokens.json changed")
		}
		if now, _ := os.ReadFile(r.cfgPath); !bytes.Equal(now, cfg) {
			t.Errorf("config.toml changed")
		}
		for _, q := range r.fake.Requests() {
			if q.Method != http.MethodGet {
				t.Errorf("the fake got %s %s", q.Method, q.Path)
			}
		}
	}
}

func wantViewer(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, session.ErrViewer) || !strings.Contains(err.Error(), "viewer: read-only for bob") {
		t.Errorf("%s: got %v, want the viewer's refusal", what, err)
	}
}

// A viewer's session refuses each write where it happens, whatever screen or key asked.
func TestViewerSessionRefusesWrites(t *testing.T) {
	r := newViewerRig(t)
	check := r.snapshot(t)
	v, cr := r.viewer, r.fake.Creds()
	wantViewer(t, "SaveToken", v.SaveToken(config.KindPAT, "", "", "", api.Token{AccessToken: "x"}))
	wantViewer(t, "UpdateTokens", v.UpdateTokens("logging out", "auth.logout", cr.OrgID, config.KindServiceApp, func(tk *config.Tokens) error {
		delete(tk.Profile("default").Orgs, cr.OrgID)
		return nil
	}))
	wantViewer(t, "UpdateConfig", v.UpdateConfig("pinning the org", "config.update", cr.OrgID, "org pin", func(f *config.File) error {
		f.Profile("default").RememberOrg(cr.OtherOrgID)
		return nil
	}))
	_, err := v.RefreshNow(t.Context(), config.KindServiceApp, cr.OrgID)
	wantViewer(t, "RefreshNow", err)

	// Webex: reads go out, writes never leave the process.
	c, org, err := v.CurrentOrgClient()
	if err != nil {
		t.Fatal(err)
	}
	items, err := c.ListDataSources(t.Context())
	if err != nil || len(items) == 0 {
		t.Fatalf("a viewer's read: %d items, %v", len(items), err)
	}
	_, _, err = c.ExtendDataSource(t.Context(), items[0].ID, 60)
	wantViewer(t, "extend", err)
	wantViewer(t, "delete", c.DeleteDataSource(t.Context(), items[0].ID))
	caller, err := v.Caller()
	if err != nil {
		t.Fatal(err)
	}
	_, err = caller.CreateWebhook(context.Background(), api.WebhookCreate{Name: "x", TargetURL: "https://example.invalid/x", Resource: "dataSources", Event: "all"})
	wantViewer(t, "webhook", err)
	// An org without a stored token: fetching one with the caller token would store it.
	oc, err := v.OrgClient(cr.OtherOrgID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = oc.ListDataSources(t.Context())
	wantViewer(t, "a new org token", err)
	check()

	// A session made from it (an org or profile switch) is still the viewer's.
	for name, s := range map[string]*session.Session{"WithOrg": v.WithOrg(org), "Clone": v.Clone()} {
		wantViewer(t, name, s.SaveToken(config.KindPAT, "", "", "", api.Token{AccessToken: "x"}))
	}
	other, err := session.New(v.Settings, v.Store, nil)
	if err != nil {
		t.Fatal(err)
	}
	other.AuditPath = v.AuditPath
	if err := other.ActAs(v); err != nil {
		t.Fatal(err)
	}
	oc2, err := other.OrgClient(org)
	if err != nil {
		t.Fatal(err)
	}
	wantViewer(t, "after ActAs", oc2.DeleteDataSource(t.Context(), items[0].ID))
	check()

	// Every refused attempt is in the audit log with bob's name and key, none as a write.
	audit, _ := os.ReadFile(v.AuditPath)
	if n := strings.Count(string(audit), `"actor":"bob","actorKey":"SHA256:bobkey"`); n < 4 {
		t.Errorf("%d refusals audited with bob's key, want 4 or more:\n%s", n, audit)
	}
	if strings.Contains(string(audit), `"result":"ok"`) {
		t.Errorf("an audited write:\n%s", audit)
	}
}

// An operator's sign-in writes under serve are audited with the user and key like a Webex
// write; the local user's are not (the CLI reports them on screen).
func TestOperatorTokenWritesAreAudited(t *testing.T) {
	r := newViewerRig(t)
	op := r.owner.Clone()
	op.Actor, op.ActorKey, op.Role = "alice", "SHA256:alicekey", config.RoleOperator
	before, _ := os.ReadFile(op.AuditPath)
	if err := op.SaveToken(config.KindPAT, "", "", "", api.Token{AccessToken: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := op.UpdateConfig("pinning the org", "config.update", "o", "org pin", func(*config.File) error { return nil }); err != nil {
		t.Fatal(err)
	}
	audit, _ := os.ReadFile(op.AuditPath)
	added := string(audit[len(before):])
	for _, want := range []string{`"operation":"auth.store","id":"pat","result":"ok"`, `"operation":"config.update","id":"org pin","result":"ok"`} {
		if !strings.Contains(added, want) || !strings.Contains(added, `"actor":"alice","actorKey":"SHA256:alicekey"`) {
			t.Errorf("audit lacks %s by alice:\n%s", want, added)
		}
	}
	if len(before) != 0 {
		t.Errorf("the local user's SaveToken was audited:\n%s", before)
	}
}

// A console's outage (serve's shared store unreachable) makes its session read-only for as
// long as it lasts, says so, and follows the console into a clone and a profile switch.
func TestOutageIsReadOnlyWhileItLasts(t *testing.T) {
	var down error
	s := &session.Session{Outage: func() error { return down }}
	if s.ReadOnly() {
		t.Fatal("read-only with no outage")
	}
	down = errors.New("etcd unreachable")
	if !s.ReadOnly() || !strings.Contains(s.ReadOnlyNote(), "token store is unreachable") {
		t.Fatalf("during the outage: ReadOnly %v, note %q", s.ReadOnly(), s.ReadOnlyNote())
	}
	other := &session.Session{}
	if err := other.ActAs(s); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*session.Session{"clone": s.Clone(), "profile switch": other} {
		if !c.ReadOnly() {
			t.Errorf("%s: not read-only during the outage", name)
		}
	}
	down = nil
	if s.ReadOnly() || s.Clone().ReadOnly() || other.ReadOnly() {
		t.Fatal("still read-only once the store is back")
	}
}
