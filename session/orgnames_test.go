package session_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
)

func orgRequests(s *webexfake.Server) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method == http.MethodGet && strings.HasPrefix(r.Path, "/v1/organizations/") {
			n++
		}
	}
	return n
}

func TestOrgNameIsFetchedOnceThenCached(t *testing.T) {
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	cr := fake.Creds()
	if err := fake.SetOrgName(cr.OrgID, "Acme Health"); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "byova")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	open := func() *session.Session {
		sess, err := session.New(settingsFor(fake), config.NewStore(filepath.Join(dir, "tokens.json")), nil)
		if err != nil {
			t.Fatal(err)
		}
		sess.OrgNamesPath = filepath.Join(dir, "cache", "org-names.json")
		return sess
	}
	sess := open()
	if got := sess.CachedOrgName(cr.OrgID); got != "" {
		t.Fatalf("cached name before any fetch: %q", got)
	}
	name, err := sess.OrgName(context.Background(), cr.OrgID)
	if err != nil || name != "Acme Health" {
		t.Fatalf("OrgName = %q, %v", name, err)
	}
	// A later run (a new session) reads the cache: no second request.
	if err := fake.SetOrgName(cr.OrgID, "Renamed"); err != nil {
		t.Fatal(err)
	}
	sess2 := open()
	if name, err := sess2.OrgName(context.Background(), webexfake.HydraID("ORGANIZATION", cr.OrgID)); err != nil || name != "Acme Health" {
		t.Errorf("second OrgName = %q, %v", name, err)
	}
	if got := sess2.CachedOrgName(cr.OrgID); got != "Acme Health" {
		t.Errorf("CachedOrgName = %q", got)
	}
	if n := orgRequests(fake); n != 1 {
		t.Errorf("%d GET /organizations requests, want 1", n)
	}
	if got := sess2.CachedOrgNames(); len(got) != 1 || got[cr.OrgID] != "Acme Health" {
		t.Errorf("CachedOrgNames = %v", got)
	}

	// Another Webex (another base URL) does not see this one's names.
	other := open()
	other.Settings.BaseURL = "http://127.0.0.1:1/v1"
	if got := other.CachedOrgNames(); len(got) != 0 {
		t.Errorf("names leaked across base URLs: %v", got)
	}
	if got := other.CachedOrgName(cr.OrgID); got != "" {
		t.Errorf("name leaked across base URLs: %q", got)
	}
}

func TestOrgNameRefusalIsRememberedAndDamagedCacheIgnored(t *testing.T) {
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	cr := fake.Creds()
	dir := t.TempDir()
	cache := filepath.Join(dir, "org-names.json")
	if err := os.WriteFile(cache, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	st := settingsFor(fake)
	sess, err := session.New(st, config.NewStore(filepath.Join(dir, "tokens.json")), nil)
	if err != nil {
		t.Fatal(err)
	}
	sess.OrgNamesPath = cache
	// Strip the org token's organizations_read scope so Webex refuses the name.
	c, err := sess.OrgClient(cr.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListDataSources(context.Background()); err != nil {
		t.Fatal(err)
	}
	toks, _ := sess.Store.Load()
	fake.SetScopes(toks.Profiles["default"].Orgs[cr.OrgID].AccessToken, []string{webexfake.ScopeDataSourceRead})
	for range 2 {
		if name, err := sess.OrgName(context.Background(), cr.OrgID); err == nil || name != "" {
			t.Fatalf("OrgName without the scope = %q, %v", name, err)
		}
	}
	if n := orgRequests(fake); n != 1 {
		t.Errorf("%d GET /organizations requests, want 1 (the refusal is cached)", n)
	}
}

func TestOrgLabel(t *testing.T) {
	for _, tc := range []struct{ alias, name, org, want string }{
		{"acme", "Acme Health", "u", "acme (Acme Health)"},
		{"acme", "ACME", "u", "acme"},
		{"", "Acme Health", "u", "Acme Health"},
		{"acme", "", "u", "acme"},
		{"", " ", "u", "u"},
	} {
		if got := session.OrgLabel(tc.alias, tc.name, tc.org); got != tc.want {
			t.Errorf("OrgLabel(%q, %q) = %q, want %q", tc.alias, tc.name, got, tc.want)
		}
	}
}

func TestOrgUnknownAliasSaysWhichExist(t *testing.T) {
	st := config.Settings{Profile: "prod", Org: "acmee", OrgAliases: map[string]string{"acme": "63b02f90-9cc6-43b8-aa6d-cad425ac554c"}}
	sess, err := session.New(st, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = sess.Org()
	if err == nil || !strings.Contains(err.Error(), `"acmee"`) || !strings.Contains(err.Error(), "aliases: acme") {
		t.Errorf("unknown alias: %v", err)
	}
}

func TestResolveOrg(t *testing.T) {
	const acme = "63b02f90-9cc6-43b8-aa6d-cad425ac554c"
	sess, err := session.New(config.Settings{Profile: "p", OrgAliases: map[string]string{"acme": acme}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"acme", " acme ", acme, strings.ToUpper(acme), webexfake.HydraID("ORGANIZATION", acme)} {
		if got, err := sess.ResolveOrg(in); err != nil || got != acme {
			t.Errorf("ResolveOrg(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := sess.ResolveOrg("ACME"); err == nil {
		t.Error("aliases are exact")
	}
}
