package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const (
	acmeUUID = "63b02f90-9cc6-43b8-aa6d-cad425ac554c"
	betaUUID = "0d3f1a7e-1111-4222-8333-944455556666"
)

func loadDoc(t *testing.T, doc string) (*File, string, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "byova", "config.toml")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := LoadFile(path)
	return f, path, err
}

func TestOrgAliasesLoadAndSave(t *testing.T) {
	doc := "default_profile = \"prod\"\n[profiles.prod]\norg = \"acme\"\n[profiles.prod.orgs]\nacme = \"" + strings.ToUpper(acmeUUID) + "\"\nbeta-2 = \"" + betaUUID + "\"\n"
	f, path, err := loadDoc(t, doc)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"acme": acmeUUID, "beta-2": betaUUID}
	if got := f.Profiles["prod"].Aliases; !reflect.DeepEqual(got, want) {
		t.Errorf("aliases = %v, want %v", got, want)
	}
	if got := f.Profiles["prod"].AliasOf(acmeUUID); got != "acme" {
		t.Errorf("AliasOf = %q", got)
	}
	if err := f.Save(path); err != nil {
		t.Fatal(err)
	}
	again, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, f) {
		t.Errorf("round trip:\n got %+v\nwant %+v", again.Profiles["prod"], f.Profiles["prod"])
	}
	body, _ := os.ReadFile(path)
	if !strings.Contains(string(body), "[profiles.prod.orgs]") {
		t.Errorf("aliases not written as a table:\n%s", body)
	}

	s := Resolve(Flags{}, func(string) string { return "" }, f)
	if s.Org != acmeUUID || s.OrgAlias != "acme" || s.AliasFor(betaUUID) != "beta-2" {
		t.Errorf("profile org alias: org %q alias %q", s.Org, s.OrgAlias)
	}
	env := map[string]string{EnvOrg: "beta-2"}
	s = Resolve(Flags{}, func(k string) string { return env[k] }, f)
	if s.Org != betaUUID || s.OrgAlias != "beta-2" || s.Source[SettingOrg] != SourceEnv {
		t.Errorf("WEBEX_ORG_ID alias: org %q alias %q", s.Org, s.OrgAlias)
	}
	s = Resolve(Flags{Org: acmeUUID}, func(string) string { return "" }, f)
	if s.Org != acmeUUID || s.OrgAlias != "" {
		t.Errorf("--org UUID: org %q alias %q", s.Org, s.OrgAlias)
	}
}

func TestOrgAliasesLegacyList(t *testing.T) {
	f, path, err := loadDoc(t, "[profiles.a]\norgs = [\""+acmeUUID+"\", \""+betaUUID+"\"]\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Profiles["a"].Orgs; !reflect.DeepEqual(got, []string{acmeUUID, betaUUID}) {
		t.Errorf("known orgs from the old list form = %v", got)
	}
	if err := f.Save(path); err != nil {
		t.Fatal(err)
	}
	body, _ := os.ReadFile(path)
	if !strings.Contains(string(body), "known_orgs") || strings.Contains(string(body), "\norgs") {
		t.Errorf("old list not moved to known_orgs:\n%s", body)
	}
}

func TestOrgAliasesRefused(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"bad uuid", "acme = \"63b02f90-nope\"", `profiles.p.orgs.acme: "63b02f90-nope" is not an org UUID`},
		{"braced uuid", "acme = \"{" + acmeUUID + "}\"", "profiles.p.orgs.acme"},
		{"not a string", "acme = 3", "profiles.p.orgs.acme: want the org's UUID in quotes"},
		{"bad alias", "\"ac me\" = \"" + acmeUUID + "\"", `alias "ac me"`},
		{"uuid as alias", "\"" + betaUUID + "\" = \"" + acmeUUID + "\"", "looks like an org UUID"},
		{"two aliases one org", "a = \"" + acmeUUID + "\"\nb = \"" + acmeUUID + "\"", "aliases a and b both name org"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, path, err := loadDoc(t, "[profiles.p.orgs]\n"+tt.body+"\n")
			if err == nil {
				t.Fatal("want an error")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not mention %q and the file", err, tt.want)
			}
		})
	}
	if _, _, err := loadDoc(t, "[profiles.p]\norgs = \"x\"\n"); err == nil || !strings.Contains(err.Error(), "want a table of aliases") {
		t.Errorf("orgs as a string: %v", err)
	}
}

func TestWarnWithin(t *testing.T) {
	f, _, err := loadDoc(t, "default_profile = \"p\"\n[profiles.p]\nwarn_within = \"90m\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if s := Resolve(Flags{}, func(string) string { return "" }, f); s.WarnWithin != 90*time.Minute {
		t.Errorf("WarnWithin = %s", s.WarnWithin)
	}
	if s := Resolve(Flags{}, func(string) string { return "" }, nil); s.WarnWithin != time.Hour {
		t.Errorf("default WarnWithin = %s", s.WarnWithin)
	}
	for _, bad := range []string{"soon", "0s", "30s", "25h"} {
		if _, _, err := loadDoc(t, "[profiles.p]\nwarn_within = \""+bad+"\"\n"); err == nil || !strings.Contains(err.Error(), "profiles.p.warn_within") {
			t.Errorf("warn_within %q: %v", bad, err)
		}
	}
}
