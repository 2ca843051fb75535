package api_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
)

// TestWrongServiceAppSecretIsNotAnExpiredSignIn: Webex refusing the Service App's client ID or
// secret (400 invalid_client, RFC 6749 §5.2) is reported as that, naming the settings to fix —
// never as "sign-in expired" — and costs the caller token no refresh.
func TestWrongServiceAppSecretIsNotAnExpiredSignIn(t *testing.T) {
	s := startFake(t, webexfake.Options{})
	cr := s.Creds()
	base := fastClient(t, s, nil)
	var callerRefreshes atomic.Int32
	caller := api.NewSource(api.Token{AccessToken: cr.PersonalAccessToken, Expiry: time.Now().Add(time.Hour)},
		func(context.Context, api.Token) (api.Token, error) {
			callerRefreshes.Add(1)
			return api.Token{AccessToken: cr.PersonalAccessToken, Expiry: time.Now().Add(time.Hour)}, nil
		})
	wrong := api.ServiceApp{ClientID: cr.ServiceAppClientID, ClientSecret: "not-the-secret"}
	check := func(t *testing.T, err error) {
		t.Helper()
		var refused *api.ClientRefusedError
		switch {
		case !errors.As(err, &refused):
			t.Fatalf("err %v (%T); want a *api.ClientRefusedError", err, err)
		case errors.Is(err, api.ErrNotSignedIn), errors.Is(err, api.ErrUnauthorized):
			t.Fatalf("%v reads as an expired or refused sign-in", err)
		case !strings.Contains(err.Error(), "WEBEX_SA_CLIENT_ID") || !strings.Contains(err.Error(), "WEBEX_SA_CLIENT_SECRET"):
			t.Fatalf("%v does not name WEBEX_SA_CLIENT_ID/SECRET", err)
		case strings.Contains(err.Error(), "not-the-secret"):
			t.Fatalf("%v shows the secret", err)
		}
		if n := callerRefreshes.Load(); n != 0 {
			t.Fatalf("the caller token was refreshed %d times over the Service App's credentials", n)
		}
	}

	t.Run("token request", func(t *testing.T) {
		_, err := base.WithToken(caller).ServiceAppToken(ctx(t), wrong, cr.OrgID)
		check(t, err)
		if api.TrackingIDOf(err) == "" {
			t.Errorf("%v lost Webex's trackingId", err)
		}
	})
	t.Run("refresh grant, then no token request with the same credentials", func(t *testing.T) {
		before := count(s, "POST", "/v1/applications/")
		refresh := api.ServiceAppRefresher(base, wrong, cr.OrgID, caller)
		_, err := refresh(ctx(t), api.Token{RefreshToken: cr.ServiceAppRefreshToken})
		check(t, err)
		if n := count(s, "POST", "/v1/applications/") - before; n != 0 {
			t.Errorf("%d token requests sent with credentials Webex had just refused", n)
		}
	})
	t.Run("a data source call through the refresher", func(t *testing.T) {
		src := api.NewSource(api.Token{RefreshToken: cr.ServiceAppRefreshToken}, api.ServiceAppRefresher(base, wrong, cr.OrgID, caller))
		_, err := base.WithToken(src).ListDataSources(ctx(t))
		check(t, err)
	})
	t.Run("a dead refresh token is still a sign-in to renew", func(t *testing.T) {
		right := api.ServiceApp{ClientID: cr.ServiceAppClientID, ClientSecret: cr.ServiceAppClientSecret}
		_, err := api.ServiceAppRefresher(base, right, cr.OrgID, nil)(ctx(t), api.Token{RefreshToken: "nope"})
		var refused *api.ClientRefusedError
		if errors.As(err, &refused) || !errors.Is(err, api.ErrNotSignedIn) {
			t.Fatalf("an unknown refresh token (400 invalid_grant): %v; want a sign-in error", err)
		}
	})
}
