package webexfake

import (
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// DenyNextAuthorize makes the next valid /v1/authorize request come back as if the person had
// clicked "Decline": a redirect with error=access_denied.
func (s *Server) DenyNextAuthorize() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.denyNext = true
}

// redirectAllowed reports whether uri is registered on the Integration. Besides the seeded one,
// every http(s) loopback URI counts as registered, so tests can use a listener on any port.
func (s *Server) redirectAllowed(uri string) bool {
	if uri == "" {
		return false
	}
	if uri == s.integ.redirect {
		return true
	}
	u, err := url.Parse(uri)
	if err != nil || u.Fragment != "" || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	if u.Hostname() == "localhost" {
		return true
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.IsLoopback()
}

// redirectTo adds params to uri's query and sends the browser there.
func redirectTo(w http.ResponseWriter, r *http.Request, uri string, params url.Values) {
	u, _ := url.Parse(uri) // validated by redirectAllowed
	q := u.Query()
	for k, vs := range params {
		for _, v := range vs {
			if v != "" {
				q.Set(k, v)
			}
		}
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// handleAuthorize consents on the person's behalf (there is no browser in a fake) and sends
// them back to the Integration with a single-use code.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request, _ []byte) {
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	if q.Get("client_id") == "" || q.Get("client_id") != s.integ.id {
		writeError(w, newError(http.StatusBadRequest, "Invalid client_id",
			"The client_id parameter does not name a registered Integration."))
		return
	}
	redirect := q.Get("redirect_uri")
	if !s.redirectAllowed(redirect) {
		writeError(w, newError(http.StatusBadRequest, "Invalid redirect_uri",
			"The redirect_uri parameter must match a redirect URI registered on the Integration."))
		return
	}
	state := q.Get("state")
	deny := func(code, description string) {
		redirectTo(w, r, redirect, url.Values{"error": {code}, "error_description": {description}, "state": {state}})
	}
	if q.Get("response_type") != "code" {
		deny("unsupported_response_type", "response_type must be code")
		return
	}
	scopes := strings.Fields(q.Get("scope"))
	if len(scopes) == 0 {
		deny("invalid_scope", "At least one scope is required")
		return
	}
	if s.denyNext {
		s.denyNext = false
		deny("access_denied", "The user denied the authorization request")
		return
	}
	code := s.rt.token(s.devOrgID)
	s.codes[code] = &authCode{
		clientID: s.integ.id, redirectURI: redirect, scopes: scopes,
		expiresAt: s.now().Add(authorizationCodeExpiry),
	}
	redirectTo(w, r, redirect, url.Values{"code": {code}, "state": {state}})
}

// handleAccessToken is the OAuth token endpoint: authorization_code and refresh_token grants.
func (s *Server) handleAccessToken(w http.ResponseWriter, r *http.Request, body []byte) {
	if mediaType(r) == "application/json" {
		// The JS SDK (@webex/byods getServiceAppTokenUsingPAT) posts the Service App token
		// request here as JSON, with the body /applications/{id}/token documents. No source
		// says Webex refuses it, so the fake answers it as that endpoint would (spec §14, 13).
		s.handleAppToken(w, r, s.appIDForJSONTokenRequest(body), body)
		return
	}
	if mediaType(r) != "application/x-www-form-urlencoded" {
		writeError(w, newError(http.StatusUnsupportedMediaType, "",
			"The token endpoint takes application/x-www-form-urlencoded bodies."))
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		writeError(w, newError(http.StatusBadRequest, "Malformed form body."))
		return
	}
	// RFC 6749 §2.3.1: the client may authenticate with HTTP Basic instead of the form.
	basic := false
	if id, secret, ok := r.BasicAuth(); ok {
		basic = true
		if form.Get("client_id") == "" && form.Get("client_secret") == "" {
			form.Set("client_id", id)
			form.Set("client_secret", secret)
		}
	}
	switch gt := form.Get("grant_type"); gt {
	case "authorization_code":
		s.codeGrant(w, form, basic)
	case "refresh_token":
		s.refreshGrant(w, form, basic)
	case "":
		writeError(w, oauthError(http.StatusBadRequest, "invalid_request", "grant_type is required."))
	default:
		writeError(w, oauthError(http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant_type: "+gt))
	}
}

func missingFields(form url.Values, names ...string) *apiError {
	var problems []string
	for _, n := range names {
		if form.Get(n) == "" {
			problems = append(problems, n+" is required.")
		}
	}
	if problems == nil {
		return nil
	}
	e := validationError(problems)
	e.oauth = "invalid_request"
	return e
}

// errClientCredentials is RFC 6749 §5.2's invalid_client: 401 with a challenge when the client
// authenticated with HTTP Basic, else 400 — a 401 reads as "your bearer token expired" to
// clients that sent one (docs/webex-fake.md, 29).
func errClientCredentials(basic bool) *apiError {
	status := http.StatusBadRequest
	if basic {
		status = http.StatusUnauthorized
	}
	e := oauthError(status, "invalid_client", "Invalid client credentials",
		"The client_id and client_secret do not match a registered application.")
	if basic {
		e.challenge = `Basic realm="webexapis.com"`
	}
	return e
}

// errInvalidGrant is RFC 6749 §5.2's invalid_grant: a bad, used, expired or revoked code or
// refresh token, always 400.
func errInvalidGrant(message, description string) *apiError {
	return oauthError(http.StatusBadRequest, "invalid_grant", message, description)
}

// clientFor returns the registered app with these credentials; s.mu must be held.
func (s *Server) clientFor(id, secret string) (oauthClient, bool) {
	for _, c := range []oauthClient{s.integ, s.sa} {
		if id == c.id && secret == c.secret {
			return c, true
		}
	}
	return oauthClient{}, false
}

func (s *Server) codeGrant(w http.ResponseWriter, form url.Values, basic bool) {
	if e := missingFields(form, "code", "client_id", "client_secret", "redirect_uri"); e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clientFor(form.Get("client_id"), form.Get("client_secret"))
	if !ok {
		writeError(w, errClientCredentials(basic))
		return
	}
	if c.id != s.integ.id {
		writeError(w, oauthError(http.StatusBadRequest, "unauthorized_client", "Unauthorized grant type",
			"A Service App cannot use the authorization_code grant."))
		return
	}
	code, ok := s.codes[form.Get("code")]
	if !ok || code.used || !s.now().Before(code.expiresAt) || code.clientID != c.id {
		writeError(w, errInvalidGrant("Invalid authorization code",
			"The authorization code is invalid, expired or has already been used."))
		return
	}
	if code.redirectURI != form.Get("redirect_uri") {
		writeError(w, errInvalidGrant("Invalid authorization code",
			"redirect_uri does not match the one used to obtain the authorization code."))
		return
	}
	code.used = true
	g := grant{kind: kindIntegration, clientID: c.id, orgID: s.devOrgID, personID: s.developer.id, scopes: code.scopes}
	a := s.issueAccess(g, s.opts.AccessTokenTTL, "")
	rt := s.issueRefresh(g, "")
	writeJSON(w, http.StatusOK, s.tokenBody(a, rt))
}

func (s *Server) refreshGrant(w http.ResponseWriter, form url.Values, basic bool) {
	if e := missingFields(form, "refresh_token", "client_id", "client_secret"); e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clientFor(form.Get("client_id"), form.Get("client_secret"))
	if !ok {
		writeError(w, errClientCredentials(basic))
		return
	}
	rt, ok := s.refresh[form.Get("refresh_token")]
	if !ok || rt.clientID != c.id {
		writeError(w, errInvalidGrant("Invalid refresh token",
			"The refresh token is not known for this client."))
		return
	}
	if rt.revoked || !s.now().Before(rt.expiresAt) ||
		(rt.kind == kindServiceApp && !s.orgs[rt.orgID].authorized) {
		writeError(w, errInvalidGrant("Refresh token expired or revoked",
			"The refresh token has expired or was revoked; authorize again."))
		return
	}
	rt.refreshes++
	a := s.issueAccess(rt.grant, s.opts.AccessTokenTTL, "")
	// An opt-in fault: no Webex source shows refresh_token left out, but clients must survive it.
	if s.opts.OmitRefreshToken && rt.refreshes%2 == 0 {
		writeJSON(w, http.StatusOK, s.tokenBody(a, nil))
		return
	}
	writeJSON(w, http.StatusOK, s.tokenBody(a, rt))
}

// appIDForJSONTokenRequest names the application a JSON /access_token body asks about: the
// Hydra id of its clientId, or the fake's own Service App when clientId is missing, so that
// handleAppToken reports the missing field rather than an unknown application.
func (s *Server) appIDForJSONTokenRequest(body []byte) string {
	var b struct {
		ClientID string `json:"clientId"`
	}
	if json.Unmarshal(body, &b) != nil || b.ClientID == "" {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.saAppID
	}
	return HydraID("APPLICATION", b.ClientID)
}
