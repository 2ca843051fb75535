package api_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
)

func TestServiceAppTokenWithCaller(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 9})
	cr := s.Creds()
	caller := callerClient(t, s)
	sa := api.ServiceApp{ClientID: cr.ServiceAppClientID, ClientSecret: cr.ServiceAppClientSecret}
	cx := ctx(t)

	tok, err := caller.ServiceAppToken(cx, sa, api.EncodeID(api.KindOrganization, cr.OrgID))
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == "" || tok.RefreshToken == "" || time.Until(tok.Expiry) < 30*time.Minute {
		t.Fatalf("token = expiry %v refresh %t", tok.Expiry, tok.RefreshToken != "")
	}
	orgC := fastClient(t, s, api.StaticToken{Value: tok.AccessToken})
	if _, err := orgC.ListDataSources(cx); err != nil {
		t.Fatalf("listing with the fetched token: %v", err)
	}
	if _, err := caller.ServiceAppToken(cx, sa, cr.UnauthorizedOrgID); !errors.Is(err, api.ErrForbidden) {
		t.Errorf("org that did not authorize: %v, want ErrForbidden", err)
	}
	wrong := sa
	wrong.ClientSecret = "nope"
	if _, err := caller.ServiceAppToken(cx, wrong, cr.OrgID); err == nil {
		t.Error("wrong secret accepted")
	}
}

func TestServiceAppRefresherFallsBackToCaller(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 9})
	cr := s.Creds()
	base := fastClient(t, s, nil)
	sa := api.ServiceApp{ClientID: cr.ServiceAppClientID, ClientSecret: cr.ServiceAppClientSecret}
	caller := api.StaticToken{Value: cr.PersonalAccessToken}
	src := api.NewSource(api.Token{RefreshToken: "revoked-or-unknown"}, api.ServiceAppRefresher(base, sa, cr.OrgID, caller))
	if _, err := base.WithToken(src).ListDataSources(ctx(t)); err != nil {
		t.Fatalf("refresh refused, caller fallback: %v", err)
	}
	if count(s, http.MethodPost, "/v1/applications/") != 1 {
		t.Error("the caller path was not used")
	}
	noCaller := api.NewSource(api.Token{RefreshToken: "revoked"}, api.ServiceAppRefresher(base, sa, cr.OrgID, nil))
	if _, err := base.WithToken(noCaller).ListDataSources(ctx(t)); !errors.Is(err, api.ErrNotSignedIn) {
		t.Errorf("no way to a token: %v, want ErrNotSignedIn", err)
	}
}

func TestRefreshKeepsRefreshTokenWhenOmitted(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 9})
	_, src := orgClient(t, s)
	cx := ctx(t)
	grants := 0
	for i := 0; i < 4; i++ { // the fake omits refresh_token on every other refresh
		if _, err := src.Refresh(cx, src.Current().AccessToken); err != nil {
			t.Fatalf("refresh %d: %v", i, err)
		}
		if src.Current().RefreshToken == "" {
			t.Fatalf("refresh %d lost the refresh token", i)
		}
	}
	for _, r := range s.Requests() {
		if r.Path == "/v1/access_token" && r.Status == 200 {
			grants++
		}
	}
	if grants != 4 {
		t.Errorf("%d grants logged, want 4", grants)
	}
}

func TestIntegrationCodeFlowThroughTheListener(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 11})
	cr := s.Creds()
	base := fastClient(t, s, nil)
	l, err := api.ListenRedirect("http://127.0.0.1:0/callback", "state-123")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	redirect := "http://" + l.Addr() + "/callback"
	oc := api.OAuthClient{ClientID: cr.IntegrationClientID, ClientSecret: cr.IntegrationClientSecret, RedirectURI: redirect, Scopes: api.DefaultIntegrationScopes}
	authURL := base.AuthorizeURL(oc, "state-123")
	u, _ := url.Parse(authURL)
	if u.Query().Get("state") != "state-123" || u.Query().Get("response_type") != "code" || !strings.Contains(u.Query().Get("scope"), "spark:applications_token") {
		t.Fatalf("authorize URL %s", authURL)
	}
	// The browser: follow Webex's redirect to the listener.
	resp, err := http.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("listener answered %d", resp.StatusCode)
	}
	code, err := l.Wait(ctx(t), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := base.ExchangeCode(ctx(t), oc, code)
	if err != nil || tok.AccessToken == "" || tok.RefreshToken == "" {
		t.Fatalf("exchange: %+v %v", tok, err)
	}
	if _, err := base.ExchangeCode(ctx(t), oc, code); !errors.Is(err, api.ErrNotSignedIn) {
		t.Errorf("reused code: %v, want a sign-in error", err)
	}
	ic := base.WithToken(api.NewSource(tok, api.IntegrationRefresher(base, oc)))
	if _, err := ic.ListWebhooks(ctx(t)); err != nil {
		t.Errorf("webhooks with the Integration token: %v", err)
	}
}

func TestListenerOutcomes(t *testing.T) {
	l, err := api.ListenRedirect("http://127.0.0.1:0/cb", "good")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	base := "http://" + l.Addr()
	if r, _ := http.Get(base + "/other"); r.StatusCode != http.StatusNotFound {
		t.Errorf("other path: %d", r.StatusCode)
	}
	if r, _ := http.Get(base + "/cb"); r.StatusCode != http.StatusBadRequest {
		t.Errorf("no code: %d", r.StatusCode)
	}
	if r, _ := http.Get(base + "/cb?code=abc&state=evil"); r.StatusCode != http.StatusBadRequest {
		t.Errorf("bad state: %d", r.StatusCode)
	}
	if _, err := l.Wait(ctx(t), time.Second); !errors.Is(err, api.ErrStateMismatch) {
		t.Errorf("state mismatch: %v", err)
	}

	l2, _ := api.ListenRedirect("http://127.0.0.1:0/cb", "s")
	defer l2.Close()
	http.Get("http://" + l2.Addr() + "/cb?error=access_denied&error_description=User+declined")
	var denied *api.OAuthDenied
	if _, err := l2.Wait(ctx(t), time.Second); !errors.As(err, &denied) || denied.Code != "access_denied" {
		t.Errorf("denial: %v", err)
	}

	l3, _ := api.ListenRedirect("http://127.0.0.1:0/cb", "s")
	defer l3.Close()
	if _, err := l3.Wait(ctx(t), 20*time.Millisecond); !errors.Is(err, api.ErrAuthTimeout) {
		t.Errorf("timeout: %v", err)
	}

	if _, err := api.ListenRedirect("http://192.0.2.1:8765/cb", "s"); err == nil {
		t.Error("non-loopback redirect host accepted")
	}
}

func TestParseRedirect(t *testing.T) {
	if code, err := api.ParseRedirect("http://127.0.0.1:8765/callback?code=C1&state=S", "S"); err != nil || code != "C1" {
		t.Errorf("good: %q %v", code, err)
	}
	if _, err := api.ParseRedirect("http://127.0.0.1:8765/callback?code=C1&state=X", "S"); !errors.Is(err, api.ErrStateMismatch) {
		t.Errorf("mismatch: %v", err)
	}
	var d *api.OAuthDenied
	if _, err := api.ParseRedirect("http://h/cb?error=access_denied", "S"); !errors.As(err, &d) {
		t.Errorf("denied: %v", err)
	}
	if _, err := api.ParseRedirect("C1", "S"); err == nil {
		t.Error("bare code accepted as an address")
	}
}

func TestJWSVerifiesAgainstJWKS(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 12})
	c, _ := orgClient(t, s)
	cx := ctx(t)
	items, err := c.ListDataSources(cx)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := c.FetchJWKS(cx, s.Creds().JWKSURL)
	if err != nil {
		t.Fatal(err)
	}
	verified := 0
	for _, d := range items {
		claims, err := api.VerifyJWS(d.JWSToken, keys, time.Now())
		if d.Expiry().Before(time.Now()) {
			if err == nil {
				t.Errorf("%s: expired token verified", d.ID)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", d.ID, err)
			continue
		}
		if claims.Audience.String() != d.Audience || claims.URL != d.URL {
			t.Errorf("claims %+v vs %+v", claims, d)
		}
		verified++
	}
	if verified == 0 {
		t.Fatal("nothing verified")
	}
	tampered := items[0].JWSToken[:len(items[0].JWSToken)-4] + "AAAA"
	if _, err := api.VerifyJWS(tampered, keys, time.Now()); err == nil {
		t.Error("tampered token verified")
	}
}

func TestWebhooksEverythingAndEnsure(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 13, ExtraWebhooks: 260})
	c := callerClient(t, s)
	cx := ctx(t)
	all, err := c.ListWebhooks(cx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 260 {
		t.Fatalf("%d webhooks, want every page", len(all))
	}
	target := "https://hooks.example.net/byova"
	res, err := c.EnsureServiceAppWebhooks(cx, target, "s3cret-value")
	if err != nil || len(res.Created) != 2 {
		t.Fatalf("first ensure: %+v %v", res, err)
	}
	res2, err := c.EnsureServiceAppWebhooks(cx, target, "s3cret-value")
	if err != nil || len(res2.Created) != 0 || len(res2.Existing) != 2 {
		t.Fatalf("second ensure: %+v %v", res2, err)
	}
	w := res.Created[0]
	upd, err := c.UpdateWebhook(cx, w.ID, api.WebhookUpdate{Name: "renamed", TargetURL: w.TargetURL})
	if err != nil || upd.Name != "renamed" {
		t.Fatalf("update: %+v %v", upd, err)
	}
	if err := c.DeleteWebhook(cx, w.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetWebhook(cx, w.ID); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	res3, err := c.EnsureServiceAppWebhooks(cx, target, "")
	if err != nil || len(res3.Created) != 1 || len(res3.Existing) != 1 {
		t.Errorf("ensure after deleting one: %+v %v", res3, err)
	}
}
