package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// DefaultIntegrationScopes are what a BYODS developer's Integration needs: fetching Service
// App tokens, managing webhooks and reading who is signed in.
var DefaultIntegrationScopes = []string{
	"spark:applications_token", "application:webhooks_read", "application:webhooks_write", "spark:people_read",
}

// DefaultRedirectURI is the loopback address byova listens on for the OAuth redirect.
const DefaultRedirectURI = "http://127.0.0.1:8765/callback"

// OAuthClient is an Integration's (or a Service App's) OAuth client.
type OAuthClient struct {
	ClientID     string
	ClientSecret string
	RedirectURI  string
	Scopes       []string
}

func (c *Client) oauthConfig(oc OAuthClient) *oauth2.Config {
	return &oauth2.Config{
		ClientID: oc.ClientID, ClientSecret: oc.ClientSecret, RedirectURL: oc.RedirectURI, Scopes: oc.Scopes,
		Endpoint: oauth2.Endpoint{
			AuthURL: c.baseStr + "/authorize", TokenURL: c.baseStr + "/access_token",
			AuthStyle: oauth2.AuthStyleInParams, // Webex reads client_id/secret from the form
		},
	}
}

// AuthorizeURL is the address the user opens to grant the Integration access.
func (c *Client) AuthorizeURL(oc OAuthClient, state string) string {
	return c.oauthConfig(oc).AuthCodeURL(state)
}

// ExchangeCode trades an authorization code for tokens.
func (c *Client) ExchangeCode(ctx context.Context, oc OAuthClient, code string) (Token, error) {
	t, err := c.oauthConfig(oc).Exchange(c.oauthContext(ctx), code)
	if err != nil {
		return Token{}, c.grantError(err, "the code may have expired or been used already: sign in again")
	}
	tok := fromOAuth(t)
	tok.Scopes, tok.Grant = oc.Scopes, GrantAuthorizationCode
	return tok, nil
}

// RefreshGrant uses a refresh token (Integration or Service App) for a new access token. When
// Webex omits refresh_token in its answer the old one is kept.
func (c *Client) RefreshGrant(ctx context.Context, oc OAuthClient, refreshToken string) (Token, error) {
	if refreshToken == "" {
		return Token{}, &SignInError{Reason: "no refresh token stored: sign in again with `byova auth login`"}
	}
	t, err := c.oauthConfig(oc).TokenSource(c.oauthContext(ctx), &oauth2.Token{RefreshToken: refreshToken}).Token()
	if err != nil {
		return Token{}, c.grantError(err, "the refresh token was refused: sign in again with `byova auth login`")
	}
	tok := fromOAuth(t)
	tok.Grant = GrantRefresh
	return tok, nil
}

// IntegrationRefresher refreshes an Integration token with its refresh grant.
func IntegrationRefresher(c *Client, oc OAuthClient) RefreshFunc {
	return func(ctx context.Context, cur Token) (Token, error) {
		t, err := c.RefreshGrant(ctx, oc, cur.RefreshToken)
		if err == nil && len(t.Scopes) == 0 {
			t.Scopes = cur.Scopes
		}
		return t, asClientRefused(err, "the Integration", FixIntegrationClient)
	}
}

func fromOAuth(t *oauth2.Token) Token {
	tok := Token{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, Expiry: t.Expiry}
	if n := extraSeconds(t.Extra("refresh_token_expires_in")); n > 0 {
		tok.RefreshExpiry = time.Now().Add(time.Duration(n) * time.Second)
	}
	if tok.Expiry.IsZero() {
		tok.Expiry = time.Now().Add(time.Hour) // Webex's documented default when expires_in is absent
	}
	if s, ok := t.Extra("scope").(string); ok && s != "" {
		tok.Scopes = strings.Fields(s)
	}
	return tok
}

func extraSeconds(v any) int64 {
	switch n := v.(type) {
	case float64:
		return int64(n)
	case int64:
		return n
	case string:
		var x int64
		fmt.Sscan(n, &x)
		return x
	}
	return 0
}

// uaTransport adds byova's User-Agent to the OAuth grant requests.
type uaTransport struct {
	ua   string
	base http.RoundTripper
}

func (t uaTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("User-Agent", t.ua)
	return t.base.RoundTrip(r)
}

func (c *Client) oauthContext(ctx context.Context) context.Context {
	base := c.hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	hc := &http.Client{Transport: uaTransport{ua: c.ua, base: base}, Timeout: c.timeout}
	return context.WithValue(ctx, oauth2.HTTPClient, hc)
}

// grantError turns an OAuth library error into a Webex *Error (with trackingId) and marks
// refusals (400/401) as needing a new sign-in.
func (c *Client) grantError(err error, hint string) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		apiErr := newError(http.MethodPost, pathOf(c.baseStr+"/access_token"), re.Response.StatusCode, re.Response.Header, re.Body)
		if apiErr.Code == "" {
			apiErr.Code = re.ErrorCode // a body oauth2 parsed that is not Webex's shape
		}
		if apiErr.clientRefused() {
			// Not a sign-in that expired: the same credentials fail the same way again.
			return &ClientRefusedError{Answer: apiErr}
		}
		if s := re.Response.StatusCode; s == http.StatusBadRequest || s == http.StatusUnauthorized {
			return &SignInError{Reason: hint, Err: apiErr}
		}
		return apiErr
	}
	return &NetError{Op: "POST " + pathOf(c.baseStr+"/access_token"), Host: c.base.Host, Err: stripURL(err)}
}
