package config

import (
	"fmt"
	"maps"
	"strings"
	"time"
)

// Environment variables byova reads (see the Settings table in the CLI spec).
const (
	EnvBaseURL                 = "WEBEX_BASE_URL"
	EnvProfile                 = "BYOVA_PROFILE"
	EnvOrg                     = "WEBEX_ORG_ID"
	EnvIntegrationClientID     = "WEBEX_INTEGRATION_CLIENT_ID"
	EnvIntegrationClientSecret = "WEBEX_INTEGRATION_CLIENT_SECRET"
	EnvIntegrationRedirectURI  = "WEBEX_INTEGRATION_REDIRECT_URI"
	EnvServiceAppClientID      = "WEBEX_SA_CLIENT_ID"
	EnvServiceAppClientSecret  = "WEBEX_SA_CLIENT_SECRET"
	EnvServiceAppRefreshToken  = "WEBEX_SA_REFRESH_TOKEN"
	EnvAccessToken             = "WEBEX_ACCESS_TOKEN"
	EnvJWKSURL                 = "BYOVA_JWKS_URL"
)

// Defaults used when neither flag, environment nor config file sets a value.
const (
	DefaultBaseURL     = "https://webexapis.com/v1"
	DefaultProfile     = "default"
	DefaultRedirectURI = "http://127.0.0.1:8765/callback"
)

// Where a setting's value came from, as recorded in Settings.Source.
const (
	SourceFlag    = "flag"
	SourceEnv     = "env"
	SourceFile    = "file"
	SourceStore   = "store" // the token store, see Settings.ApplyStoredSecrets
	SourceDefault = "default"
)

// Setting names, the keys of Settings.Source. They match the config.toml keys where one exists.
const (
	SettingProfile                 = "profile"
	SettingBaseURL                 = "base_url"
	SettingOrg                     = "org"
	SettingReadOnly                = "readonly"
	SettingIntegrationClientID     = "integration_client_id"
	SettingIntegrationClientSecret = "integration_client_secret"
	SettingIntegrationRedirectURI  = "integration_redirect_uri"
	SettingServiceAppClientID      = "service_app_client_id"
	SettingServiceAppClientSecret  = "service_app_client_secret"
	SettingServiceAppRefreshToken  = "service_app_refresh_token"
	SettingAccessToken             = "access_token"
	SettingJWKSURL                 = "jwks_url"
)

// Flags holds the global command-line flags. An empty string means the flag was not given;
// ReadOnlySet says whether --readonly was given at all, so --readonly=false can win over a file.
type Flags struct {
	BaseURL, Profile, Org string
	ReadOnly              bool
	ReadOnlySet           bool
}

// Settings is the outcome of Resolve: every value byova runs with, and where each came from.
type Settings struct {
	Profile  string
	BaseURL  string
	Org      string
	ReadOnly bool

	IntegrationClientID, IntegrationClientSecret, IntegrationRedirectURI string
	ServiceAppClientID, ServiceAppClientSecret, ServiceAppRefreshToken   string

	AccessToken string // WEBEX_ACCESS_TOKEN (caller token)

	JWKSURL string // key set for `datasources verify`; empty: derived from BaseURL (cli/verify.go)

	// OrgAlias is the alias Org was given as (Org then holds its UUID); OrgAliases is the
	// profile's alias table (alias → org UUID), for display and for accepting names.
	OrgAlias   string
	OrgAliases map[string]string

	// WarnWithin is the profile's expiry warning window (warn_within, default 1h).
	WarnWithin time.Duration

	ExtendWithin time.Duration // the TUI's X: extend what expires within it (extend_within)
	Refresh      time.Duration // the TUI's data sources reload interval; 0 is off (refresh)
	Bell         bool          // ring the terminal bell on an expiry alert (bell)

	// Source maps a setting name (Setting*) to SourceFlag, SourceEnv, SourceFile, SourceStore
	// or SourceDefault, for `doctor` and the debug log. Every setting has an entry.
	Source map[string]string
}

// Resolve applies flag > environment > config file > default. The profile is chosen first
// (flag, BYOVA_PROFILE, the file's default_profile, "default"); the other settings then read
// that profile's table. getenv is usually os.Getenv; f may be nil. Values are trimmed, blank
// counts as unset, and the base URL loses any trailing slash.
func Resolve(flags Flags, getenv func(string) string, f *File) Settings {
	s := Settings{Source: map[string]string{}}
	env := func(name string) string { return strings.TrimSpace(getenv(name)) }

	fileDefault := ""
	if f != nil {
		fileDefault = f.DefaultProfile
	}
	s.Profile = pick(&s, SettingProfile, flags.Profile, env(EnvProfile), fileDefault, DefaultProfile)

	// Read the profile without adding it to f: resolving must not change what a later Save writes.
	p := &Profile{}
	if f != nil && f.Profiles[s.Profile] != nil {
		p = f.Profiles[s.Profile]
	}

	s.BaseURL = strings.TrimRight(
		pick(&s, SettingBaseURL, flags.BaseURL, env(EnvBaseURL), p.BaseURL, DefaultBaseURL), "/")
	s.Org = pick(&s, SettingOrg, flags.Org, env(EnvOrg), profileOrg(p), "")
	s.OrgAliases = maps.Clone(p.Aliases)
	if u, ok := p.Aliases[s.Org]; ok {
		s.OrgAlias, s.Org = s.Org, u
	}
	s.WarnWithin, _ = p.WarnWindow() // LoadFile already refused a bad one

	switch {
	case flags.ReadOnlySet:
		s.ReadOnly, s.Source[SettingReadOnly] = flags.ReadOnly, SourceFlag
	case p.ReadOnly:
		s.ReadOnly, s.Source[SettingReadOnly] = true, SourceFile
	default:
		s.Source[SettingReadOnly] = SourceDefault
	}

	// These have no flag: secrets must not show up in shell history or `ps`.
	s.IntegrationClientID = pick(&s, SettingIntegrationClientID, "", env(EnvIntegrationClientID), p.IntegrationClientID, "")
	s.IntegrationClientSecret = pick(&s, SettingIntegrationClientSecret, "", env(EnvIntegrationClientSecret), "", "")
	s.IntegrationRedirectURI = pick(&s, SettingIntegrationRedirectURI, "", env(EnvIntegrationRedirectURI), p.IntegrationRedirectURI, DefaultRedirectURI)
	s.ServiceAppClientID = pick(&s, SettingServiceAppClientID, "", env(EnvServiceAppClientID), p.ServiceAppClientID, "")
	s.ServiceAppClientSecret = pick(&s, SettingServiceAppClientSecret, "", env(EnvServiceAppClientSecret), "", "")
	s.ServiceAppRefreshToken = pick(&s, SettingServiceAppRefreshToken, "", env(EnvServiceAppRefreshToken), "", "")
	s.AccessToken = pick(&s, SettingAccessToken, "", env(EnvAccessToken), "", "")
	s.JWKSURL = pick(&s, SettingJWKSURL, "", env(EnvJWKSURL), p.JWKSURL, "")
	s.ExtendWithin = ExtendWithinOf(p)
	s.Refresh, s.Bell = RefreshOf(p), p.Bell == nil || *p.Bell
	return s
}

// pick returns the first non-blank of flag, env, file, def and records where it came from.
func pick(s *Settings, name, flag, env, file, def string) string {
	for _, c := range []struct{ v, src string }{
		{flag, SourceFlag}, {env, SourceEnv}, {file, SourceFile},
	} {
		if v := strings.TrimSpace(c.v); v != "" {
			s.Source[name] = c.src
			return v
		}
	}
	s.Source[name] = SourceDefault
	return def
}

// profileOrg is the org a profile implies: the last used one, else the only known one.
func profileOrg(p *Profile) string {
	if o := strings.TrimSpace(p.Org); o != "" {
		return o
	}
	if len(p.Orgs) == 1 {
		return p.Orgs[0]
	}
	return ""
}

// ApplyStoredSecrets fills the Integration and Service App client secrets from the token store
// when the environment did not set them, looking them up by client ID. The caller token
// (AccessToken) is left alone: the stored Integration token may need a refresh first, which is
// the API layer's job.
func (s *Settings) ApplyStoredSecrets(ps *ProfileSecrets) {
	if ps == nil {
		return
	}
	fill := func(secret *string, name, clientID string) {
		if *secret != "" || clientID == "" {
			return
		}
		if v := ps.ClientSecrets[clientID]; v != "" {
			*secret = v
			if s.Source == nil {
				s.Source = map[string]string{}
			}
			s.Source[name] = SourceStore
		}
	}
	fill(&s.IntegrationClientSecret, SettingIntegrationClientSecret, s.IntegrationClientID)
	fill(&s.ServiceAppClientSecret, SettingServiceAppClientSecret, s.ServiceAppClientID)
}

// DefaultWarnWithin is how long before expiry a token is shown as expiring when the profile
// sets no warn_within.
const DefaultWarnWithin = time.Hour

// WarnWindow is the profile's warn_within as a duration: DefaultWarnWithin when unset; a value
// that is not a Go duration between 1m and 24h (the longest data-source lifetime) is an error.
func (p *Profile) WarnWindow() (time.Duration, error) {
	v := strings.TrimSpace(p.WarnWithin)
	if v == "" {
		return DefaultWarnWithin, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Minute || d > 24*time.Hour {
		return DefaultWarnWithin, fmt.Errorf("%q: want a duration between 1m and 24h, e.g. \"1h\" or \"90m\"", v)
	}
	return d, nil
}

// AliasFor returns the alias naming org (a UUID) in this profile, or "".
func (s Settings) AliasFor(org string) string {
	org = strings.ToLower(strings.TrimSpace(org))
	for name, u := range s.OrgAliases {
		if u == org {
			return name
		}
	}
	return ""
}
