package api_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
)

func TestErrorClasses(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 2})
	c, src := orgClient(t, s)
	cx := ctx(t)
	if _, err := c.ListDataSources(cx); err != nil { // obtain a token
		t.Fatal(err)
	}

	_, err := c.CreateDataSource(cx, api.DataSourceCreate{SchemaID: voiceSchema, URL: "https://a.example/x", Audience: "a", Subject: "s", Nonce: "n", TokenLifetimeMinutes: 5000})
	var ae *api.Error
	if !errors.Is(err, api.ErrValidation) || !errors.As(err, &ae) {
		t.Fatalf("lifetime 5000: %v, want a validation *api.Error", err)
	}
	if ae.Status != 400 || ae.Message == "" || ae.TrackingID == "" || !strings.Contains(err.Error(), ae.TrackingID) {
		t.Errorf("400 error = %+v (%q): want message and trackingId", ae, err)
	}

	if _, err := c.GetDataSource(cx, "00000000-0000-4000-8000-000000000000"); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("unknown id: %v, want ErrNotFound", err)
	}

	s.SetScopes(src.Current().AccessToken, []string{"spark-admin:datasource_read"})
	if err := c.DeleteDataSource(cx, "00000000-0000-4000-8000-000000000000"); !errors.Is(err, api.ErrForbidden) {
		t.Errorf("write without scope: %v, want ErrForbidden", err)
	}

	bad := fastClient(t, s, api.StaticToken{Value: "not-a-token", Name: "WEBEX_ACCESS_TOKEN"})
	_, err = bad.ListWebhooks(cx)
	if !errors.Is(err, api.ErrNotSignedIn) || !strings.Contains(err.Error(), "WEBEX_ACCESS_TOKEN") {
		t.Errorf("rejected static token: %v, want ErrNotSignedIn naming the variable", err)
	}

	s.InjectFault(webexfake.Fault{Path: "/v1/dataSources", Status: 429, RetryAfter: "0", Times: 10})
	if _, err := c.ListDataSources(cx); !errors.Is(err, api.ErrRateLimited) {
		t.Errorf("429 forever: %v, want ErrRateLimited after retries", err)
	}
	s.ClearFaults()
	s.InjectFault(webexfake.Fault{Method: http.MethodGet, Path: "/v1/dataSources", Status: 500, Times: 1})
	if _, err := c.ListDataSources(cx); !errors.Is(err, api.ErrServer) {
		t.Errorf("500: %v, want ErrServer (500 is not retried)", err)
	}
}

func TestErrorBodyThatIsNotJSON(t *testing.T) {
	srv := newRawServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trackingid", "HDR_123")
		w.WriteHeader(http.StatusBadGateway)
		w.Write([]byte("<html>upstream broke</html>"))
	})
	c, _ := api.New(api.Options{BaseURL: srv + "/v1", Backoff: func(int) time.Duration { return 0 }})
	_, err := c.CreateDataSource(ctx(t), api.DataSourceCreate{})
	var ae *api.Error
	if !errors.As(err, &ae) || ae.Body != "<html>upstream broke</html>" || ae.TrackingID != "HDR_123" {
		t.Fatalf("err = %#v, want raw text and the header's trackingId", err)
	}
}

func TestUnauthorizedRefreshesOnceAndRetries(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 4})
	c, src := orgClient(t, s)
	cx := ctx(t)
	if _, err := c.ListDataSources(cx); err != nil {
		t.Fatal(err)
	}
	first := src.Current().AccessToken
	s.ExpireAccessTokens()
	s.ResetRequests()
	if _, err := c.ListDataSources(cx); err != nil {
		t.Fatalf("after expiry: %v, want refresh and retry to succeed", err)
	}
	if src.Current().AccessToken == first {
		t.Error("token was not refreshed")
	}
	if n := count(s, http.MethodPost, "/v1/access_token"); n != 1 {
		t.Errorf("%d refresh grants, want 1", n)
	}
	if n := count(s, http.MethodGet, "/v1/dataSources"); n != 2 {
		t.Errorf("%d list calls, want 2 (the 401 and the retry)", n)
	}

	// A second 401 right after the refresh is final: no loop.
	s.InjectFault(webexfake.Fault{Status: 401, Path: "/v1/dataSources", Times: 5})
	s.ResetRequests()
	if _, err := c.ListDataSources(cx); !errors.Is(err, api.ErrUnauthorized) {
		t.Errorf("persistent 401: %v, want ErrUnauthorized", err)
	}
	if n := count(s, http.MethodGet, "/v1/dataSources"); n != 2 {
		t.Errorf("persistent 401: %d calls, want exactly 2", n)
	}
}

func TestTooManyRequestsWaitsRetryAfter(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 4})
	var mu sync.Mutex
	var waits []time.Duration
	base, err := api.New(api.Options{BaseURL: s.URL(), Sleep: func(_ context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		waits = append(waits, d) // recorded, not taken: the test does not wait 2 s
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	cr := s.Creds()
	sa := api.ServiceApp{ClientID: cr.ServiceAppClientID, ClientSecret: cr.ServiceAppClientSecret}
	c := base.WithToken(api.NewSource(api.Token{RefreshToken: cr.ServiceAppRefreshToken}, api.ServiceAppRefresher(base, sa, cr.OrgID, nil)))
	cx := ctx(t)
	c.ListDataSources(cx)
	s.InjectFault(webexfake.Fault{Path: "/v1/dataSources", Status: 429, RetryAfter: "1", Times: 2})
	s.ResetRequests()
	if _, err := c.ListDataSources(cx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(waits) != 2 || waits[0] != time.Second || waits[1] != time.Second {
		t.Errorf("waited %v: Retry-After 1 twice means two waits of 1s", waits)
	}
	if n := count(s, http.MethodGet, "/v1/dataSources"); n != 3 {
		t.Errorf("%d calls, want 3", n)
	}
}

func TestRetryAfterIsCappedAndCancellable(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 4})
	cr := s.Creds()
	c, err := api.New(api.Options{BaseURL: s.URL(), Token: api.StaticToken{Value: cr.PersonalAccessToken}, MaxRetryAfter: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	// Beyond the cap: waiting the cap and asking again would be refused too, so fail at once,
	// naming the value.
	s.InjectFault(webexfake.Fault{Path: "/v1/webhooks", Status: 429, RetryAfter: "3600", Times: 1})
	s.ResetRequests()
	if _, err := c.ListWebhooks(ctx(t)); !errors.Is(err, api.ErrRateLimited) || !strings.Contains(err.Error(), "Retry-After: 3600") {
		t.Fatalf("wait beyond the cap: %v, want a rate-limit error naming Retry-After: 3600", err)
	}
	if n := count(s, http.MethodGet, "/v1/webhooks"); n != 1 {
		t.Errorf("%d calls, want 1: a wait beyond the cap is not retried", n)
	}

	slow, _ := api.New(api.Options{BaseURL: s.URL(), Token: api.StaticToken{Value: cr.PersonalAccessToken}})
	s.InjectFault(webexfake.Fault{Path: "/v1/webhooks", Status: 429, RetryAfter: "30", Times: 1})
	cx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := slow.ListWebhooks(cx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled wait: %v, want the context's error", err)
	}
}

func TestServerErrorsRetryGETOnly(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 4})
	c, _ := orgClient(t, s)
	cx := ctx(t)
	c.ListDataSources(cx)

	s.InjectFault(webexfake.Fault{Method: http.MethodGet, Path: "/v1/dataSources", Status: 503, Times: 2})
	s.ResetRequests()
	if _, err := c.ListDataSources(cx); err != nil {
		t.Fatalf("two 503s then OK: %v", err)
	}
	if n := count(s, http.MethodGet, "/v1/dataSources"); n != 3 {
		t.Errorf("%d GETs, want 3", n)
	}

	s.InjectFault(webexfake.Fault{Method: http.MethodPost, Path: "/v1/dataSources", Status: 503, Times: 1})
	s.ResetRequests()
	_, err := c.CreateDataSource(cx, api.DataSourceCreate{SchemaID: voiceSchema, URL: "https://a.example/x", Audience: "a", Subject: "s", Nonce: "n", TokenLifetimeMinutes: 60})
	if !errors.Is(err, api.ErrServer) {
		t.Fatalf("POST 503: %v, want ErrServer", err)
	}
	if n := count(s, http.MethodPost, "/v1/dataSources"); n != 1 {
		t.Errorf("POST sent %d times after a 503, want 1", n)
	}

	s.InjectFault(webexfake.Fault{Method: http.MethodGet, Path: "/v1/dataSources", Status: 502, Times: 4})
	s.ResetRequests()
	if _, err := c.ListDataSources(cx); !errors.Is(err, api.ErrServer) {
		t.Errorf("four 502s: %v, want ErrServer", err)
	}
	if n := count(s, http.MethodGet, "/v1/dataSources"); n != 4 {
		t.Errorf("%d GETs, want 1 + 3 retries", n)
	}
}

func TestUserAgent(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 4})
	callerClient(t, s).ListWebhooks(ctx(t))
	reqs := s.Requests()
	if len(reqs) == 0 || !strings.HasPrefix(reqs[0].Header.Get("User-Agent"), "byova/") {
		t.Fatalf("User-Agent = %q", reqs[0].Header.Get("User-Agent"))
	}
}
