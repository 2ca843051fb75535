package config

import (
	"testing"
)

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestResolvePrecedence(t *testing.T) {
	file := &File{Profiles: map[string]*Profile{
		"default": {
			BaseURL:                "https://file.example/v1",
			Org:                    "org-file",
			ReadOnly:               true,
			IntegrationClientID:    "int-file",
			IntegrationRedirectURI: "http://file/cb",
			ServiceAppClientID:     "sa-file",
		},
	}}
	env := map[string]string{
		EnvBaseURL:                 "https://env.example/v1",
		EnvOrg:                     "org-env",
		EnvIntegrationClientID:     "int-env",
		EnvIntegrationClientSecret: "int-secret-env",
		EnvIntegrationRedirectURI:  "http://env/cb",
		EnvServiceAppClientID:      "sa-env",
		EnvServiceAppClientSecret:  "sa-secret-env",
		EnvServiceAppRefreshToken:  "sa-refresh-env",
		EnvAccessToken:             "access-env",
	}
	flags := Flags{BaseURL: "https://flag.example/v1", Org: "org-flag", ReadOnly: false, ReadOnlySet: true}

	get := func(s Settings, name string) string {
		switch name {
		case SettingBaseURL:
			return s.BaseURL
		case SettingOrg:
			return s.Org
		case SettingReadOnly:
			if s.ReadOnly {
				return "true"
			}
			return "false"
		case SettingIntegrationClientID:
			return s.IntegrationClientID
		case SettingIntegrationClientSecret:
			return s.IntegrationClientSecret
		case SettingIntegrationRedirectURI:
			return s.IntegrationRedirectURI
		case SettingServiceAppClientID:
			return s.ServiceAppClientID
		case SettingServiceAppClientSecret:
			return s.ServiceAppClientSecret
		case SettingServiceAppRefreshToken:
			return s.ServiceAppRefreshToken
		case SettingAccessToken:
			return s.AccessToken
		}
		t.Fatalf("unknown setting %s", name)
		return ""
	}

	// Each row: the value and source expected with all layers, then with the flag removed,
	// then also without env, then with nothing at all. "-" marks a layer the setting lacks.
	type want struct{ v, src string }
	tests := []struct {
		name                 string
		flag, env, file, def want
	}{
		{SettingBaseURL, want{"https://flag.example/v1", SourceFlag}, want{"https://env.example/v1", SourceEnv}, want{"https://file.example/v1", SourceFile}, want{DefaultBaseURL, SourceDefault}},
		{SettingOrg, want{"org-flag", SourceFlag}, want{"org-env", SourceEnv}, want{"org-file", SourceFile}, want{"", SourceDefault}},
		{SettingReadOnly, want{"false", SourceFlag}, want{"true", SourceFile}, want{"true", SourceFile}, want{"false", SourceDefault}},
		{SettingIntegrationClientID, want{"int-env", SourceEnv}, want{"int-env", SourceEnv}, want{"int-file", SourceFile}, want{"", SourceDefault}},
		{SettingIntegrationClientSecret, want{"int-secret-env", SourceEnv}, want{"int-secret-env", SourceEnv}, want{"", SourceDefault}, want{"", SourceDefault}},
		{SettingIntegrationRedirectURI, want{"http://env/cb", SourceEnv}, want{"http://env/cb", SourceEnv}, want{"http://file/cb", SourceFile}, want{DefaultRedirectURI, SourceDefault}},
		{SettingServiceAppClientID, want{"sa-env", SourceEnv}, want{"sa-env", SourceEnv}, want{"sa-file", SourceFile}, want{"", SourceDefault}},
		{SettingServiceAppClientSecret, want{"sa-secret-env", SourceEnv}, want{"sa-secret-env", SourceEnv}, want{"", SourceDefault}, want{"", SourceDefault}},
		{SettingServiceAppRefreshToken, want{"sa-refresh-env", SourceEnv}, want{"sa-refresh-env", SourceEnv}, want{"", SourceDefault}, want{"", SourceDefault}},
		{SettingAccessToken, want{"access-env", SourceEnv}, want{"access-env", SourceEnv}, want{"", SourceDefault}, want{"", SourceDefault}},
	}
	layers := []struct {
		name  string
		flags Flags
		env   map[string]string
		file  *File
		pick  func(r int) want
	}{
		{"flag", flags, env, file, func(r int) want { return tests[r].flag }},
		{"env", Flags{}, env, file, func(r int) want { return tests[r].env }},
		{"file", Flags{}, nil, file, func(r int) want { return tests[r].file }},
		{"default", Flags{}, nil, nil, func(r int) want { return tests[r].def }},
	}
	for _, l := range layers {
		s := Resolve(l.flags, envMap(l.env), l.file)
		for r, tt := range tests {
			w := l.pick(r)
			if got := get(s, tt.name); got != w.v {
				t.Errorf("%s layer: %s = %q, want %q", l.name, tt.name, got, w.v)
			}
			if got := s.Source[tt.name]; got != w.src {
				t.Errorf("%s layer: source of %s = %q, want %q", l.name, tt.name, got, w.src)
			}
		}
	}
}

func TestResolveProfileSelection(t *testing.T) {
	file := &File{
		DefaultProfile: "work",
		Profiles: map[string]*Profile{
			"default": {BaseURL: "https://default.example"},
			"work":    {BaseURL: "https://work.example"},
			"lab":     {BaseURL: "https://lab.example"},
			"sandbox": {BaseURL: "https://sandbox.example"},
		},
	}
	tests := []struct {
		name     string
		flag     string
		env      string
		file     *File
		want     string
		wantSrc  string
		wantBase string
	}{
		{"flag wins", "lab", "sandbox", file, "lab", SourceFlag, "https://lab.example"},
		{"env over file", "", "sandbox", file, "sandbox", SourceEnv, "https://sandbox.example"},
		{"file default_profile", "", "", file, "work", SourceFile, "https://work.example"},
		{"default", "", "", &File{Profiles: file.Profiles}, "default", SourceDefault, "https://default.example"},
		{"nil file", "", "", nil, "default", SourceDefault, DefaultBaseURL},
		{"unknown profile falls back to defaults", "nope", "", file, "nope", SourceFlag, DefaultBaseURL},
		{"blank flag is not given", "  ", "", file, "work", SourceFile, "https://work.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Resolve(Flags{Profile: tt.flag}, envMap(map[string]string{EnvProfile: tt.env}), tt.file)
			if s.Profile != tt.want || s.Source[SettingProfile] != tt.wantSrc {
				t.Errorf("profile = %q (%s), want %q (%s)", s.Profile, s.Source[SettingProfile], tt.want, tt.wantSrc)
			}
			if s.BaseURL != tt.wantBase {
				t.Errorf("base URL = %q, want %q", s.BaseURL, tt.wantBase)
			}
		})
	}
	if _, ok := file.Profiles["nope"]; ok {
		t.Error("Resolve added the unknown profile to the file")
	}
}

func TestResolveOrgAndCleanup(t *testing.T) {
	tests := []struct {
		name string
		p    *Profile
		want string
	}{
		{"last used", &Profile{Org: "a", Orgs: []string{"a", "b"}}, "a"},
		{"only known org", &Profile{Orgs: []string{" b "}}, "b"},
		{"several, none used", &Profile{Orgs: []string{"a", "b"}}, ""},
		{"none", &Profile{}, ""},
	}
	for _, tt := range tests {
		s := Resolve(Flags{}, envMap(nil), &File{Profiles: map[string]*Profile{"default": tt.p}})
		if s.Org != tt.want {
			t.Errorf("%s: org = %q, want %q", tt.name, s.Org, tt.want)
		}
	}

	s := Resolve(Flags{BaseURL: "  https://x.example/v1/  "}, envMap(map[string]string{EnvOrg: " org \n"}), nil)
	if s.BaseURL != "https://x.example/v1" || s.Org != "org" {
		t.Errorf("trim: base %q, org %q", s.BaseURL, s.Org)
	}
	s = Resolve(Flags{}, envMap(map[string]string{EnvBaseURL: "   "}), nil)
	if s.BaseURL != DefaultBaseURL || s.Source[SettingBaseURL] != SourceDefault {
		t.Errorf("blank env should not count: %q from %s", s.BaseURL, s.Source[SettingBaseURL])
	}
}

func TestApplyStoredSecrets(t *testing.T) {
	ps := (&Tokens{}).Profile("default")
	ps.ClientSecrets["int-id"] = "int-stored"
	ps.ClientSecrets["sa-id"] = "sa-stored"

	s := Resolve(Flags{}, envMap(map[string]string{
		EnvIntegrationClientID:    "int-id",
		EnvServiceAppClientID:     "sa-id",
		EnvServiceAppClientSecret: "sa-env",
	}), nil)
	s.ApplyStoredSecrets(ps)
	if s.IntegrationClientSecret != "int-stored" || s.Source[SettingIntegrationClientSecret] != SourceStore {
		t.Errorf("integration secret %q from %s", s.IntegrationClientSecret, s.Source[SettingIntegrationClientSecret])
	}
	if s.ServiceAppClientSecret != "sa-env" || s.Source[SettingServiceAppClientSecret] != SourceEnv {
		t.Errorf("env must win over the store: %q from %s", s.ServiceAppClientSecret, s.Source[SettingServiceAppClientSecret])
	}
}
