package webexfake

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Scopes the fake knows by name.
const (
	ScopeSparkAll           = "spark:all"
	ScopeApplicationsToken  = "spark:applications_token"
	ScopeWebhooksRead       = "application:webhooks_read"
	ScopeWebhooksWrite      = "application:webhooks_write"
	ScopeDataSourceRead     = "spark-admin:datasource_read"
	ScopeDataSourceWrite    = "spark-admin:datasource_write"
	ScopeOrganizationsRead  = "spark-admin:organizations_read"
	refreshTokenLifetime    = 90 * 24 * time.Hour // 7776000 s, as Webex reports
	patLifetime             = 12 * time.Hour
	authorizationCodeExpiry = 5 * time.Minute
)

// Scopes carried by the seeded personal access token (and asked for by the SDK's Integration).
var developerScopes = []string{ScopeSparkAll, ScopeApplicationsToken, ScopeWebhooksRead, ScopeWebhooksWrite}

// Scopes a Service App's org token carries.
// organizations_read lets byova show the customer org's name (GET /organizations/{id}); a
// developer chooses a Service App's scopes, so a real one may lack it (docs/webex-fake.md, 22).
var serviceAppScopes = []string{ScopeDataSourceRead, ScopeDataSourceWrite, ScopeOrganizationsRead}

type tokenKind string

const (
	kindPAT         tokenKind = "pat"
	kindIntegration tokenKind = "integration"
	kindServiceApp  tokenKind = "service-app"
)

// oauthClient is an Integration or a Service App as registered on developer.webex.com.
type oauthClient struct {
	id, secret string
	name       string
	redirect   string // the Integration's registered redirect URI
}

// grant is who a token speaks for: the same fields on access and refresh tokens.
type grant struct {
	kind     tokenKind
	clientID string
	orgID    string // plain UUID: the customer org (Service App) or the person's org
	personID string // plain UUID: the developer, or the Service App's machine account
	scopes   []string
}

type accessToken struct {
	grant
	value     string
	expiresAt time.Time
	revoked   bool
}

type refreshToken struct {
	grant
	value     string
	expiresAt time.Time
	revoked   bool
	refreshes int // how often it was used; every second use omits refresh_token in the answer
}

type authCode struct {
	clientID, redirectURI string
	scopes                []string
	expiresAt             time.Time
	used                  bool
}

// issueAccess mints an access token; s.mu must be held.
func (s *Server) issueAccess(g grant, ttl time.Duration, value string) *accessToken {
	if value == "" {
		value = s.rt.token(g.orgID)
	}
	t := &accessToken{grant: g, value: value, expiresAt: s.now().Add(ttl)}
	t.scopes = slices.Clone(g.scopes)
	s.access[value] = t
	return t
}

// issueRefresh mints a refresh token; s.mu must be held.
func (s *Server) issueRefresh(g grant, value string) *refreshToken {
	if value == "" {
		value = s.rt.token(g.orgID)
	}
	t := &refreshToken{grant: g, value: value, expiresAt: s.now().Add(refreshTokenLifetime)}
	t.scopes = slices.Clone(g.scopes)
	s.refresh[value] = t
	return t
}

// tokenResponse is the body of both token endpoints.
type tokenResponse struct {
	AccessToken           string `json:"access_token"`
	ExpiresIn             int64  `json:"expires_in"`
	RefreshToken          string `json:"refresh_token,omitempty"`
	RefreshTokenExpiresIn int64  `json:"refresh_token_expires_in,omitempty"`
	TokenType             string `json:"token_type"`
	// Scope is what the access token carries, space separated. RFC 6749 §5.1 has the server
	// send it when it differs from what was asked; the fake always does, so clients (and the
	// auth & orgs screen) can show each token's scopes.
	Scope string `json:"scope,omitempty"`
}

func (s *Server) tokenBody(a *accessToken, r *refreshToken) tokenResponse {
	now := s.now()
	body := tokenResponse{
		AccessToken: a.value,
		ExpiresIn:   int64(a.expiresAt.Sub(now).Round(time.Second) / time.Second),
		TokenType:   "Bearer",
		Scope:       strings.Join(a.scopes, " "),
	}
	if r != nil {
		body.RefreshToken = r.value
		body.RefreshTokenExpiresIn = int64(r.expiresAt.Sub(now).Round(time.Second) / time.Second)
	}
	return body
}

// authenticate resolves the request's Bearer token to the grant behind it.
func (s *Server) authenticate(r *http.Request) (grant, *apiError) {
	scheme, value, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	value = strings.TrimSpace(value)
	if !strings.EqualFold(scheme, "Bearer") || value == "" {
		return grant{}, errUnauthorized()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.access[value]
	if !ok || t.revoked || !s.now().Before(t.expiresAt) {
		return grant{}, errUnauthorized()
	}
	g := t.grant
	g.scopes = slices.Clone(t.scopes)
	return g, nil
}

// requireScope passes when the grant carries at least one of scopes.
func requireScope(g grant, scopes ...string) *apiError {
	for _, sc := range scopes {
		if slices.Contains(g.scopes, sc) {
			return nil
		}
	}
	return errForbiddenScope(scopes...)
}

// SetScopes replaces the scopes an access token carries (for 403 tests). Unknown tokens are ignored.
func (s *Server) SetScopes(token string, scopes []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.access[token]; ok {
		t.scopes = slices.Clone(scopes)
	}
}

// TokenScopes returns the scopes an access or refresh token carries, and whether the fake
// knows the token at all (revoked and expired tokens included).
func (s *Server) TokenScopes(token string) ([]string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.access[token]; ok {
		return slices.Clone(t.scopes), true
	}
	if t, ok := s.refresh[token]; ok {
		return slices.Clone(t.scopes), true
	}
	return nil, false
}

// ExpireAuthorizationCodes makes every authorization code issued so far and not yet exchanged
// expire now, as if the person took longer than the codes' five minutes to come back. It
// returns how many codes it expired.
func (s *Server) ExpireAuthorizationCodes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	now := s.now()
	for _, c := range s.codes {
		if !c.used && now.Before(c.expiresAt) {
			c.expiresAt = now
			n++
		}
	}
	return n
}

// ExpireAccessTokens makes every access token issued by a grant (Integration and Service App,
// seeded ones included) answer 401 from now on; refresh tokens keep working. The personal
// access token is not issued by a grant and cannot be refreshed, so it is left alone: use
// RevokeToken for it.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.access {
		if t.kind != kindPAT {
			t.revoked = true
		}
	}
}

// RevokeToken makes one access or refresh token (the PAT included) invalid from now on.
// It reports whether the token was known.
func (s *Server) RevokeToken(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.access[token]; ok {
		t.revoked = true
		return true
	}
	if t, ok := s.refresh[token]; ok {
		t.revoked = true
		return true
	}
	return false
}

// revokeOrgTokens ends every Service App token of org (deauthorization); s.mu must be held.
func (s *Server) revokeOrgTokens(orgID string) {
	for _, t := range s.access {
		if t.kind == kindServiceApp && t.orgID == orgID {
			t.revoked = true
		}
	}
	for _, t := range s.refresh {
		if t.kind == kindServiceApp && t.orgID == orgID {
			t.revoked = true
		}
	}
}
