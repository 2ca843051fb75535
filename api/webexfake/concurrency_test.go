package webexfake

import (
	"net/http"
	"sync"
	"testing"
)

// TestConcurrentUse is mostly for -race: clients and test helpers at once.
func TestConcurrentUse(t *testing.T) {
	s := start(t, Options{ExtraDataSources: 50})
	c := s.Creds()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 5 {
				created := call(t, http.MethodPost, s.URL()+"/dataSources", c.ServiceAppAccessToken, "", validCreate)
				if created.status != 200 {
					t.Errorf("create: %d", created.status)
					return
				}
				id := created.json(t)["id"].(string)
				call(t, http.MethodPut, s.URL()+"/dataSources/"+id, c.ServiceAppAccessToken, "", map[string]any{"nonce": "n"})
				call(t, http.MethodGet, s.URL()+"/dataSources?max=20", c.ServiceAppAccessToken, "", nil)
				call(t, http.MethodDelete, s.URL()+"/dataSources/"+id, c.ServiceAppAccessToken, "", nil)
				if i%2 == 0 {
					refreshGrant(t, s, c.ServiceAppRefreshToken, c.ServiceAppClientID, c.ServiceAppClientSecret)
				}
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			s.Requests()
			s.InjectFault(Fault{Status: 503, Path: "/v1/webhooks"})
			s.SetScopes(c.IntegrationAccessToken, developerScopes)
			s.DataSource("x")
			s.Presign()
		}
	})
	wg.Wait()
	items := call(t, http.MethodGet, s.URL()+"/dataSources?max=1000", c.ServiceAppAccessToken, "", nil).items(t)
	if len(items) != 58 {
		t.Fatalf("%d data sources left, want 58", len(items))
	}
}
