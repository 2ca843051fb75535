package config

import (
	"encoding/json"
	"strings"
	"testing"

	toml "github.com/pelletier/go-toml/v2"
)

// FuzzLoadTokens: whatever tokens.json holds, loading it never panics; an error names the file
// and what to do; a store that loads can be used the way byova uses it and saved again.
func FuzzLoadTokens(f *testing.F) {
	for _, seed := range []string{
		``, `null`, `{}`, `[]`, `{"version":1,"profiles":{}}`,
		`{"version":1,"profiles":{"default":{"orgs":{"63b02f90-9cc6-43b8-aa6d-cad425ac554c":null}}}}`,
		`{"version":1,"profiles":{"default":null}}`,
		`{"version":1,"profiles":{"default":{"integration":{"kind":"integration","accessToken":"a","refreshToken":"r","expiry":"2026-01-02T03:04:05Z"},"orgs":{"o":{"kind":"service-app","scopes":null}},"clientSecrets":{"c":"s"}}}}`,
		`{"version":2}`, `{"version":-1,"profiles":{"x":{"pat":null,"orgs":null,"clientSecrets":null}}}`,
		`{"version":1,"profiles":{"d":{"orgs":{"o":{"expiry":"10000-01-01T00:00:00Z"}}}}}`,
		"{\n  \"version\": 1,\n  \"profiles\": {\n    oops\n",
	} {
		f.Add([]byte(seed))
	}
	const path = "/x/byova/tokens.json"
	f.Fuzz(func(t *testing.T, data []byte) {
		tk, err := parseTokens(path, data)
		if err != nil {
			msg := err.Error()
			if !strings.Contains(msg, path) || !(strings.Contains(msg, "move it aside") || strings.Contains(msg, "upgrade byova")) {
				t.Fatalf("error without the file or the fix: %v", err)
			}
			return
		}
		for name, ps := range tk.Profiles {
			p := tk.Profile(name)
			for org, tok := range ps.Orgs {
				_ = org + tok.Kind + tok.AccessToken
			}
			for _, tok := range []*Token{p.Integration, p.PAT} {
				if tok != nil {
					_ = tok.Expiry.IsZero()
				}
			}
		}
		out, err := json.MarshalIndent(tk, "", "  ")
		if err != nil {
			return // Update reports it as "save token store …: …"; nothing is written
		}
		if _, err := parseTokens(path, out); err != nil {
			t.Fatalf("byova could not read back what it would write: %v\n%s", err, out)
		}
	})
}

// FuzzLoadConfig: whatever config.toml holds, loading it never panics; an error names the file;
// a file that loads resolves to settings and saves to a file that loads again.
func FuzzLoadConfig(f *testing.F) {
	for _, seed := range []string{
		``, "default_profile = \"prod\"\n",
		"[profiles.default]\nbase_url = \"https://example.com/v1\"\norg = \"63b02f90-9cc6-43b8-aa6d-cad425ac554c\"\norgs = [\"a\", \"b\"]\nreadonly = true\nscopes = [\"spark:all\"]\n",
		"[profiles.default]\nbase_uri = \"typo\"\n", "[profiles]\ndefault = 1\n", "[profiles.x]\n[profiles.x]\n",
		"profiles = []\n", "[profiles.p.orgs]\nacme = \"63b02f90-9cc6-43b8-aa6d-cad425ac554c\"\n",
		"[profiles.p]\norgs = {a = \"63b02f90-9cc6-43b8-aa6d-cad425ac554c\", b = 1}\nwarn_within = \"2h\"\n", "[profiles.\"\\u001b[2J\"]\nreadonly = false\n", "a = \n", "[[profiles.p]]\n",
	} {
		f.Add([]byte(seed))
	}
	const path = "/x/byova/config.toml"
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := parseFile(path, data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), path+": ") {
				t.Fatalf("error without the file: %v", err)
			}
			return
		}
		for name := range file.Profiles {
			_ = file.Profile(name).Org
			_ = Resolve(Flags{Profile: name}, func(string) string { return "" }, file)
		}
		_ = Resolve(Flags{}, func(string) string { return "" }, file)
		body, err := toml.Marshal(file.wire())
		if err != nil {
			return // Save reports it; nothing is written
		}
		if _, err := parseFile(path, append([]byte(fileHeader), body...)); err != nil {
			t.Fatalf("byova could not read back what it would save: %v\n%s", err, body)
		}
	})
}

// FuzzEditConfig: whatever config.toml holds, editing it in place never panics, and an edit
// that is made loads back as exactly the settings meant (or nothing is written).
func FuzzEditConfig(f *testing.F) {
	for _, seed := range []string{
		"", "# only a comment\n", "default_profile = \"p\"\n[profiles.p]\norg = \"x\" # c\n",
		"[profiles.p]\nknown_orgs = [\n \"a\", # one\n]\n[profiles.p.orgs]\nacme = \"63b02f90-9cc6-43b8-aa6d-cad425ac554c\"\n",
		"[profiles.'q r']\nscopes = ['''a''', \"\"\"b\"\"\"]\n[serve]\nmax_sessions = 0\n[serve.users.al]\nrole = \"viewer\"\n",
		"profiles.p.org = \"dotted\"\n", "[profiles.p]\r\norg = \"x\"\r\n", "[keys]\nquit = [\"q\", \"ctrl+c\"]\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := parseFile("config.toml", data)
		if err != nil {
			return
		}
		p := cfg.Profile("p")
		p.RememberOrg("63b02f90-9cc6-43b8-aa6d-cad425ac554c")
		p.ServiceAppClientID = "C\"x\n"
		cfg.Profile("new one").Scopes = []string{"a"}
		want, err := toml.Marshal(cfg.wire())
		if err != nil {
			return
		}
		body, err := editTOML(data, want)
		if err != nil {
			return
		}
		_ = sameSettings("config.toml", body, want) // refused or not, as write does: no panic
	})
}
