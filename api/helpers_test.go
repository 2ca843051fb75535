package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
)

func startFake(t testing.TB, o webexfake.Options) *webexfake.Server {
	t.Helper()
	s := webexfake.New(o)
	if err := s.Start(); err != nil {
		t.Fatalf("start fake: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func fastClient(t testing.TB, s *webexfake.Server, ts api.TokenSource) *api.Client {
	t.Helper()
	c, err := api.New(api.Options{BaseURL: s.URL(), Token: ts, Backoff: func(int) time.Duration { return time.Millisecond }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// orgClient is a client holding the Service App token of the fake's primary org, obtained
// through the sandbox path (refresh grant with the Service App's credentials).
func orgClient(t testing.TB, s *webexfake.Server) (*api.Client, *api.Source) {
	t.Helper()
	cr := s.Creds()
	base := fastClient(t, s, nil)
	sa := api.ServiceApp{ClientID: cr.ServiceAppClientID, ClientSecret: cr.ServiceAppClientSecret}
	src := api.NewSource(api.Token{RefreshToken: cr.ServiceAppRefreshToken}, api.ServiceAppRefresher(base, sa, cr.OrgID, nil))
	return base.WithToken(src), src
}

func callerClient(t testing.TB, s *webexfake.Server) *api.Client {
	return fastClient(t, s, api.StaticToken{Value: s.Creds().PersonalAccessToken, Name: "the PAT"})
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// count returns how many logged requests match method and path prefix.
func count(s *webexfake.Server, method, prefix string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Method == method && len(r.Path) >= len(prefix) && r.Path[:len(prefix)] == prefix {
			n++
		}
	}
	return n
}
