package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	toml "github.com/pelletier/go-toml/v2"
)

func TestFileRoundTrip(t *testing.T) {
	setXDG(t)
	path := ConfigFile()

	f, err := LoadFile(path)
	if err != nil {
		t.Fatalf("missing file: %v", err)
	}
	if len(f.Profiles) != 0 || f.DefaultProfile != "" {
		t.Fatalf("missing file should load empty, got %+v", f)
	}

	f.DefaultProfile = "work"
	*f.Profile("work") = Profile{
		BaseURL:                "https://webexapis.com/v1",
		Org:                    "org-1",
		Orgs:                   []string{"org-1", "org-2"},
		ReadOnly:               true,
		IntegrationClientID:    "C123",
		IntegrationRedirectURI: "http://127.0.0.1:9000/cb",
		Scopes:                 []string{"spark:all", "spark-admin:datasource_read"},
		ServiceAppClientID:     "S456",
		ServiceAppID:           "Y2lz",
	}
	f.Profile("empty")
	if err := f.Save(path); err != nil {
		t.Fatal(err)
	}

	got, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, f) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, f)
	}
	assertMode(t, path, 0o600)
	assertMode(t, filepath.Dir(path), 0o700)
	assertOnly(t, filepath.Dir(path), "config.toml", "config.toml.lock")
}

func TestFileErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{"malformed", "default_profile = \"a\"\n[profiles.a\nbase_url = \"x\"\n", []string{"line 2", "expected ']'"}},
		{"unknown key", "[profiles.work]\nbase_url = \"x\"\nbase_uri = \"y\"\n", []string{"line 3", `unknown key "profiles.work.base_uri"`, "profiles.NAME.base_url"}},
		{"unknown table", "[profile.work]\norg = \"x\"\n", []string{"line 1", `unknown key "profile.work"`}},
		{"wrong type", "[profiles.work]\nreadonly = \"yes\"\n", []string{"line 2", "bool"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.toml")
			if err := os.WriteFile(path, []byte(tt.doc), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := LoadFile(path)
			if err == nil {
				t.Fatal("want an error")
			}
			msg := err.Error()
			for _, w := range append(tt.want, path) {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not mention %q", msg, w)
				}
			}
			var de *toml.DecodeError
			if !errors.As(err, &de) {
				t.Errorf("error should wrap the go-toml error, got %T", errors.Unwrap(err))
			}
		})
	}
}

func TestProfileNeverNil(t *testing.T) {
	var f File
	p := f.Profile("x")
	if p == nil || f.Profiles["x"] != p {
		t.Fatal("Profile must create and keep the entry")
	}
	p.RememberOrg("o1")
	p.RememberOrg("o2")
	p.RememberOrg("o1")
	if p.Org != "o1" || !reflect.DeepEqual(p.Orgs, []string{"o1", "o2"}) {
		t.Errorf("RememberOrg: org %q, orgs %v", p.Org, p.Orgs)
	}
}

func TestUpdateFileKeepsOtherChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "byova", "config.toml")
	if err := UpdateFile(path, func(f *File) error { f.Profile("a").Org = "x"; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := UpdateFile(path, func(f *File) error { f.Profile("b").Org = "y"; return nil }); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := UpdateFile(path, func(f *File) error { f.Profile("c"); return boom }); !errors.Is(err, boom) {
		t.Fatalf("fn error not returned: %v", err)
	}
	f, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if f.Profile("a").Org != "x" || f.Profile("b").Org != "y" {
		t.Errorf("lost an update: %+v %+v", f.Profiles["a"], f.Profiles["b"])
	}
	if _, ok := f.Profiles["c"]; ok {
		t.Error("a failed update was written")
	}
}

// assertMode checks permission bits (Unix only matters here; byova's CI runs Linux).
func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s: mode %04o, want %04o", path, got, want)
	}
}

// assertOnly checks that dir holds exactly the named entries (no stray temp files).
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !reflect.DeepEqual(got, names) {
		t.Errorf("%s holds %v, want %v", dir, got, names)
	}
}
