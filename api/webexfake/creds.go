package webexfake

import (
	"fmt"
	"io"
	"strings"
)

// Credentials is everything the fake accepts, for wiring clients and tests to it.
type Credentials struct {
	IntegrationClientID, IntegrationClientSecret string
	IntegrationRedirectURI                       string // registered; any http loopback URI is accepted too
	ServiceAppClientID, ServiceAppClientSecret   string
	ServiceAppID                                 string // Hydra APPLICATION id of the Service App (URL-safe base64, no padding)
	PersonalAccessToken                          string // scopes spark:all spark:applications_token application:webhooks_read application:webhooks_write; valid 12 h
	OrgID                                        string // primary customer org UUID (authorized the Service App)
	OtherOrgID                                   string // second authorized customer org UUID, with data sources of its own
	UnauthorizedOrgID                            string // an org that has NOT authorized the Service App
	ServiceAppRefreshToken                       string // SA refresh token for OrgID (refresh grant with the SA client id/secret)
	ServiceAppAccessToken                        string // a ready SA access token for OrgID (expires after AccessTokenTTL)
	OtherOrgServiceAppRefreshToken               string // SA refresh token for OtherOrgID
	IntegrationAccessToken                       string // a ready Integration access token (the developer; same scopes as the PAT)
	IntegrationRefreshToken                      string // its refresh token
	DeveloperOrgID                               string // the developer's own org (owner of the webhooks, the PAT's person)
	DeveloperPersonID                            string // the developer (plain UUID)
	JWKSURL                                      string // absolute URL of the JWKS; empty until started
}

// OrgToken is one Options.SpreadOrgs org and its Service App tokens.
type OrgToken struct {
	OrgID        string // org UUID
	AccessToken  string // a ready Service App access token (expires after AccessTokenTTL)
	RefreshToken string // its refresh token (refresh grant with the Service App's client id/secret)
}

// SpreadOrgTokens lists the Options.SpreadOrgs orgs in the order their data sources were dealt.
func (s *Server) SpreadOrgTokens() []OrgToken {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]OrgToken(nil), s.spread...)
}

// Creds returns what the fake accepts. Seeded values depend only on Options.Seed.
func (s *Server) Creds() Credentials {
	origin := s.origin()
	s.mu.Lock()
	defer s.mu.Unlock()
	c := Credentials{
		IntegrationClientID: s.integ.id, IntegrationClientSecret: s.integ.secret,
		IntegrationRedirectURI: s.integ.redirect,
		ServiceAppClientID:     s.sa.id, ServiceAppClientSecret: s.sa.secret, ServiceAppID: s.saAppID,
		PersonalAccessToken:            s.seeded.pat,
		OrgID:                          s.orgOrder[0],
		OtherOrgID:                     s.orgOrder[1],
		UnauthorizedOrgID:              s.orgOrder[2],
		ServiceAppRefreshToken:         s.seeded.saRefresh,
		ServiceAppAccessToken:          s.seeded.saAccess,
		OtherOrgServiceAppRefreshToken: s.seeded.otherSARefresh,
		IntegrationAccessToken:         s.seeded.integAccess,
		IntegrationRefreshToken:        s.seeded.integRefresh,
		DeveloperOrgID:                 s.devOrgID,
		DeveloperPersonID:              s.developer.id,
	}
	if origin != "" {
		c.JWKSURL = origin + JWKSPath
	}
	return c
}

// Describe writes what `byova fake serve` shows: where the fake listens, the orgs, every
// credential it accepts (a dev fake printing its own secrets is intended) and the export lines
// that point byova at it.
func (s *Server) Describe(w io.Writer) {
	c := s.Creds()
	base := s.URL()
	if base == "" {
		base = "(not listening)"
	}
	s.mu.Lock()
	type orgLine struct{ label, id, name, state string }
	var orgs []orgLine
	for i, id := range s.orgOrder {
		o := s.orgs[id]
		state := "has not authorized the Service App"
		if o.authorized {
			state = "authorized the Service App"
		}
		label := "customer" // made later: SpreadOrgs, AuthorizeOrg
		if i < 3 {
			label = []string{"primary", "other", "unauthorized"}[i]
		}
		orgs = append(orgs, orgLine{label, id, o.name, state})
	}
	orgs = append(orgs, orgLine{"developer", s.devOrgID, s.orgs[s.devOrgID].name, "owns the webhooks and the PAT"})
	saName, dev := s.sa.name, s.developer
	s.mu.Unlock()

	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("Fake Webex API (seed %d)", s.opts.Seed)
	p("  REST base URL   %s", base)
	p("  authorize       %s/authorize", base)
	p("  token           %s/access_token", base)
	p("  JWKS            %s", orDash(c.JWKSURL))
	p("")
	p("Orgs")
	for _, o := range orgs {
		p("  %-13s %s  %s — %s", o.label, o.id, o.name, o.state)
		p("  %-13s Webex id %s", "", HydraID("ORGANIZATION", o.id))
	}
	p("")
	p("Developer        %s <%s>  (person %s)", dev.displayName(), dev.email, dev.id)
	p("")
	p("Integration (authorize auto-consents; any http://127.0.0.1 redirect URI is accepted)")
	p("  client id       %s", c.IntegrationClientID)
	p("  client secret   %s", c.IntegrationClientSecret)
	p("  redirect URI    %s", c.IntegrationRedirectURI)
	p("  access token    %s", c.IntegrationAccessToken)
	p("  refresh token   %s", c.IntegrationRefreshToken)
	p("")
	p("Service App %q", saName)
	p("  client id       %s", c.ServiceAppClientID)
	p("  client secret   %s", c.ServiceAppClientSecret)
	p("  app id          %s", c.ServiceAppID)
	p("  access token    %s  (primary org)", c.ServiceAppAccessToken)
	p("  refresh token   %s  (primary org)", c.ServiceAppRefreshToken)
	p("  refresh token   %s  (other org)", c.OtherOrgServiceAppRefreshToken)
	p("")
	p("Personal access token (%s)", strings.Join(developerScopes, " "))
	p("  %s", c.PersonalAccessToken)
	p("")
	p("Point byova at it:")
	for _, kv := range [][2]string{
		{"WEBEX_BASE_URL", s.URL()},
		{"WEBEX_ACCESS_TOKEN", c.PersonalAccessToken},
		{"WEBEX_SA_CLIENT_ID", c.ServiceAppClientID},
		{"WEBEX_SA_CLIENT_SECRET", c.ServiceAppClientSecret},
		{"WEBEX_SA_REFRESH_TOKEN", c.ServiceAppRefreshToken},
		{"WEBEX_ORG_ID", c.OrgID},
		{"WEBEX_INTEGRATION_CLIENT_ID", c.IntegrationClientID},
		{"WEBEX_INTEGRATION_CLIENT_SECRET", c.IntegrationClientSecret},
		{"WEBEX_INTEGRATION_REDIRECT_URI", c.IntegrationRedirectURI},
	} {
		p("export %s=%s", kv[0], shellQuote(kv[1]))
	}
	_, _ = io.WriteString(w, b.String())
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// shellQuote leaves plain values alone and single-quotes anything a shell would mangle.
func shellQuote(v string) string {
	if v != "" && strings.Trim(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@") == "" {
		return v
	}
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}
