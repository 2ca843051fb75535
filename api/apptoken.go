package api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ServiceApp is a Service App's OAuth client, as registered on developer.webex.com.
type ServiceApp struct {
	ClientID     string
	ClientSecret string
	AppID        string // Webex application ID; derived from ClientID when empty
}

func (sa ServiceApp) appID() string {
	if sa.AppID != "" {
		return sa.AppID
	}
	return ApplicationID(sa.ClientID)
}

// TokenResponse is what Webex's token endpoints answer.
type TokenResponse struct {
	AccessToken           string `json:"access_token"`
	ExpiresIn             int64  `json:"expires_in"`
	RefreshToken          string `json:"refresh_token,omitempty"`
	RefreshTokenExpiresIn int64  `json:"refresh_token_expires_in,omitempty"`
	TokenType             string `json:"token_type,omitempty"`
	Scope                 string `json:"scope,omitempty"`
}

// Token converts the answer received at now.
func (r TokenResponse) Token(now time.Time) Token {
	t := Token{AccessToken: r.AccessToken, RefreshToken: r.RefreshToken, Scopes: strings.Fields(r.Scope)}
	exp := r.ExpiresIn
	if exp <= 0 {
		exp = 3600
	}
	t.Expiry = now.Add(time.Duration(exp) * time.Second)
	if r.RefreshTokenExpiresIn > 0 {
		t.RefreshExpiry = now.Add(time.Duration(r.RefreshTokenExpiresIn) * time.Second)
	}
	return t
}

// ServiceAppScopes are the scopes a Service App token carries for data sources.
var ServiceAppScopes = []string{"spark-admin:datasource_read", "spark-admin:datasource_write"}

// ServiceAppToken asks Webex for a Service App's token pair in a customer org
// (POST /applications/{id}/token). The client's token is the caller: an Integration token or
// personal access token with spark:applications_token.
func (c *Client) ServiceAppToken(ctx context.Context, sa ServiceApp, org string) (Token, error) {
	orgUUID, err := OrgUUID(org)
	if err != nil {
		return Token{}, err
	}
	body := map[string]string{
		"clientId": sa.ClientID, "clientSecret": sa.ClientSecret,
		// Webex's own example sends the org's Webex ID; the plain UUID is seen too.
		"targetOrgId": EncodeID(KindOrganization, orgUUID),
	}
	var tr TokenResponse
	now := time.Now()
	if _, err := c.doJSON(ctx, http.MethodPost, "/applications/"+url.PathEscape(sa.appID())+"/token", nil, body, &tr); err != nil {
		return Token{}, asClientRefused(err, "the Service App", FixServiceAppClient)
	}
	if tr.AccessToken == "" {
		return Token{}, &Error{Status: http.StatusOK, Method: http.MethodPost, Path: "/applications/…/token", Message: "the answer holds no access_token"}
	}
	t := tr.Token(now)
	t.Grant = GrantApplicationToken
	if len(t.Scopes) == 0 {
		t.Scopes = ServiceAppScopes
	}
	return t, nil
}

// ServiceAppRefresher keeps a Service App's token for one org fresh: the refresh grant with the
// Service App's credentials when a refresh token is held, else (or when that is refused) a new
// pair from /applications/{id}/token with the caller token, when there is one.
func ServiceAppRefresher(c *Client, sa ServiceApp, org string, caller TokenSource) RefreshFunc {
	return func(ctx context.Context, cur Token) (Token, error) {
		var refreshErr error
		if cur.RefreshToken != "" && (cur.RefreshExpiry.IsZero() || time.Now().Before(cur.RefreshExpiry)) {
			t, err := c.RefreshGrant(ctx, OAuthClient{ClientID: sa.ClientID, ClientSecret: sa.ClientSecret}, cur.RefreshToken)
			if err == nil {
				if len(t.Scopes) == 0 {
					t.Scopes = cur.Scopes
				}
				return t, nil
			}
			refreshErr = asClientRefused(err, "the Service App", FixServiceAppClient)
			var cr *ClientRefusedError
			if errors.As(refreshErr, &cr) {
				return Token{}, cr // the token request below would send the same credentials
			}
		}
		if caller == nil {
			if refreshErr != nil {
				return Token{}, refreshErr
			}
			return Token{}, &SignInError{Reason: "no Service App token for org " + org + " and no caller token to fetch one: run `byova auth login --method service-app` or set WEBEX_ACCESS_TOKEN"}
		}
		return c.WithToken(caller).ServiceAppToken(ctx, sa, org)
	}
}
