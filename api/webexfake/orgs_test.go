package webexfake

import (
	"net/http"
	"testing"
	"time"
)

func TestGetOrganization(t *testing.T) {
	s := start(t, Options{Now: func() time.Time { return fixedNow }})
	c := s.Creds()
	if err := s.SetOrgName(c.OrgID, "Acme, Inc."); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{HydraID("ORGANIZATION", c.OrgID), c.OrgID} {
		r := call(t, http.MethodGet, s.URL()+"/organizations/"+id, c.ServiceAppAccessToken, "", nil)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", id, r.status, r.body)
		}
		m := r.json(t)
		if m["id"] != HydraID("ORGANIZATION", c.OrgID) || m["displayName"] != "Acme, Inc." || m["created"] == "" {
			t.Errorf("GET %s = %v", id, m)
		}
	}
	cases := []struct {
		name, org, token string
		want             int
	}{
		{"another org", c.OtherOrgID, c.ServiceAppAccessToken, http.StatusForbidden},
		{"unknown org", "00000000-0000-4000-8000-000000000000", c.ServiceAppAccessToken, http.StatusNotFound},
		{"not an org id", "nope", c.ServiceAppAccessToken, http.StatusNotFound},
		{"personal token lacks the scope", c.OrgID, c.PersonalAccessToken, http.StatusForbidden},
		{"no token", c.OrgID, "", http.StatusUnauthorized},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, http.MethodGet, s.URL()+"/organizations/"+tc.org, tc.token, "", nil)
			if r.status != tc.want {
				t.Errorf("status %d, want %d: %s", r.status, tc.want, r.body)
			}
		})
	}
	r := call(t, http.MethodDelete, s.URL()+"/organizations/"+c.OrgID, c.ServiceAppAccessToken, "", nil)
	if r.status != http.StatusMethodNotAllowed {
		t.Errorf("DELETE: %d", r.status)
	}
}
