package config

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// readmeTOML is the README's config.toml examples: the profiles example and the [serve] one.
func readmeTOML(t *testing.T) (profiles, serve string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile("(?s)```toml\n(.*?)```").FindAllStringSubmatch(string(b), -1) {
		switch {
		case strings.Contains(m[1], "[profiles."):
			profiles = m[1]
		case strings.Contains(m[1], "[serve]"):
			serve = m[1]
		}
	}
	if profiles == "" || serve == "" {
		t.Fatal("the README has no profiles or no [serve] config.toml example")
	}
	return profiles, serve
}

// kept fails unless every line of before not in changed appears in after, in the same order.
func kept(t *testing.T, before, after string, changed ...string) {
	t.Helper()
	rest := strings.Split(after, "\n")
	for _, line := range strings.Split(before, "\n") {
		if slices.ContainsFunc(changed, func(c string) bool { return strings.HasPrefix(strings.TrimSpace(line), c+" ") }) {
			continue
		}
		i := slices.Index(rest, line)
		if i < 0 {
			t.Errorf("line %q was lost or moved; file now:\n%s", line, after)
			return
		}
		rest = rest[i+1:]
	}
}

const readmeOrg = "0d3f1a7e-1111-4222-8333-944455556666"

// TestEditsKeepTheREADMEsConfig: `auth login` and `orgs use` writes on the README's own
// config.toml keep every comment, default-valued line and untouched line, [serve] included,
// and the changed lines keep their comments.
func TestEditsKeepTheREADMEsConfig(t *testing.T) {
	profiles, serve := readmeTOML(t)
	doc := profiles + "\n" + serve
	_, path, err := loadDoc(t, doc)
	if err != nil {
		t.Fatalf("the README's example does not load: %v", err)
	}
	read := func() string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	// auth login --method service-app (signin.ServiceApp's write).
	if err := UpdateFile(path, func(f *File) error {
		p := f.Profile("default")
		p.ServiceAppClientID = "C-new-client"
		p.RememberOrg(readmeOrg)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	got := read()
	kept(t, doc, got, "org", "service_app_client_id")
	for _, want := range []string{
		`org = "` + readmeOrg + `"                      # an alias, a UUID or a Webex org ID`,
		`service_app_client_id = "C-new-client"`,
		`known_orgs = ["` + readmeOrg + `"]`,
		"readonly = false",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in:\n%s", want, got)
		}
	}

	// orgs use acme: the alias is what is pinned, and its UUID joins the known orgs.
	if err := UpdateFile(path, func(f *File) error {
		f.Profile("default").RememberOrg("acme")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	after := read()
	kept(t, got, after, "org", "known_orgs")
	if !strings.Contains(after, `org = "acme"                      # an alias, a UUID or a Webex org ID`) ||
		!strings.Contains(after, `known_orgs = ["`+readmeOrg+`", "acme"]`) {
		t.Errorf("orgs use:\n%s", after)
	}

	// auth login --method integration, on a profile the file does not have yet.
	if err := UpdateFile(path, func(f *File) error {
		p := f.Profile("prod")
		p.IntegrationClientID, p.IntegrationRedirectURI = "C-integ", DefaultRedirectURI
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	final := read()
	kept(t, after, final)
	if !strings.HasSuffix(final, "\n[profiles.prod]\nintegration_client_id = \"C-integ\"\nintegration_redirect_uri = \""+DefaultRedirectURI+"\"\n") {
		t.Errorf("the new profile is not a table at the end:\n%s", final)
	}
	f, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if p := f.Profiles["default"]; p.Org != "acme" || p.ServiceAppClientID != "C-new-client" || f.Serve == nil || f.Serve.Keep.Within != "3h" {
		t.Errorf("loaded back: %+v, serve %+v", p, f.Serve)
	}
}

// TestEditsInPlace: the editor's cases — a removed key loses its line, a multi-line array
// and a quoted profile name are rewritten, a new top-level key goes below the file's header.
func TestEditsInPlace(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		edit      func(f *File)
		want      string
	}{
		{"a removed key loses its line only",
			"# mine\n[profiles.p]\n# scopes I chose\nscopes = [\"a\"]   # two\norg = \"x\"\n",
			func(f *File) { f.Profile("p").Scopes = nil },
			"# mine\n[profiles.p]\n# scopes I chose\norg = \"x\"\n"},
		{"a multi-line array",
			"[profiles.p]\nknown_orgs = [\n  \"a\", # first\n  \"b\",\n]  # mine\norg = \"a\"\n",
			func(f *File) { f.Profile("p").RememberOrg("c") },
			"[profiles.p]\nknown_orgs = [\"a\", \"b\", \"c\"]  # mine\norg = \"c\"\n"},
		{"a quoted profile name",
			"[profiles.\"my prod\"] # quoted\norg = 'x'\n",
			func(f *File) { f.Profile("my prod").Org = "y" },
			"[profiles.\"my prod\"] # quoted\norg = \"y\"\n"},
		{"a new top-level key below the header",
			"# my settings\n\n[profiles.p]\norg = \"x\"\n",
			func(f *File) { f.DefaultProfile = "p" },
			"# my settings\n\ndefault_profile = \"p\"\n[profiles.p]\norg = \"x\"\n"},
		{"a new alias table",
			"[profiles.p]\norg = \"x\"  # keep\n\n[serve]\nmax_sessions = 3\n",
			func(f *File) { f.Profile("p").Aliases = map[string]string{"acme": readmeOrg} },
			"[profiles.p]\norg = \"x\"  # keep\n\n[serve]\nmax_sessions = 3\n\n[profiles.p.orgs]\nacme = \"" + readmeOrg + "\"\n"},
		{"a value with quotes and a newline",
			"[profiles.p]\norg = \"x\"\n",
			func(f *File) { f.Profile("p").WarnWithin = "1h"; f.Profile("p").JWKSURL = "http://127.0.0.1/\"k\"" },
			"[profiles.p]\norg = \"x\"\njwks_url = \"http://127.0.0.1/\\\"k\\\"\"\nwarn_within = \"1h\"\n"},
		{"the first profile of a file that has only [serve]",
			"[serve]  # by hand\nmax_sessions = 3\n",
			func(f *File) { f.Profile("p").Org = "x" },
			"[serve]  # by hand\nmax_sessions = 3\n\n[profiles.p]\norg = \"x\"\n"},
		{"an empty profile",
			"[profiles.p]\norg = \"x\"\n",
			func(f *File) { f.Profile("q") },
			"[profiles.p]\norg = \"x\"\n\n[profiles.q]\n"},
		{"CRLF stays CRLF",
			"[profiles.p]\r\norg = \"x\"\r\n",
			func(f *File) { f.Profile("p").ServiceAppClientID = "C" },
			"[profiles.p]\r\norg = \"x\"\r\nservice_app_client_id = \"C\"\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, path, err := loadDoc(t, tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			if err := UpdateFile(path, func(f *File) error { tc.edit(f); return nil }); err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(path)
			if string(got) != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// TestEditRefusedLeavesTheFile: a change the editor cannot make where the text spells it
// (an inline table) writes nothing and says what to do.
func TestEditRefusedLeavesTheFile(t *testing.T) {
	doc := "[profiles.p]\norgs = { acme = \"" + readmeOrg + "\" }  # inline\n"
	_, path, err := loadDoc(t, doc)
	if err != nil {
		t.Fatal(err)
	}
	err = UpdateFile(path, func(f *File) error {
		f.Profile("p").Aliases["beta"] = "63b02f90-9cc6-43b8-aa6d-cad425ac554c"
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "by hand") || !strings.Contains(err.Error(), path) {
		t.Fatalf("err %v; want one naming the file and saying to edit it by hand", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, []byte(doc)) {
		t.Errorf("the file changed:\n%s", got)
	}
}
