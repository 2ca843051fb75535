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

// TestOrgCreatedSurvivesReauthorization: an org's created is when it came to be, not when it
// last authorized the Service App — for a seeded org and for one the fake made on authorize.
func TestOrgCreatedSurvivesReauthorization(t *testing.T) {
	clk := &clock{fixedNow}
	s := start(t, Options{Now: clk.now})
	c := s.Creds()
	fresh := "0f0f0f0f-0000-4000-8000-000000000001"
	if err := s.AuthorizeOrg(fresh); err != nil {
		t.Fatal(err)
	}
	created := func(org string) string {
		t.Helper()
		tok := call(t, http.MethodPost, s.URL()+"/applications/"+c.ServiceAppID+"/token", c.PersonalAccessToken, "",
			map[string]string{"clientId": c.ServiceAppClientID, "clientSecret": c.ServiceAppClientSecret, "targetOrgId": org}).json(t)
		access, _ := tok["access_token"].(string)
		r := call(t, http.MethodGet, s.URL()+"/organizations/"+org, access, "", nil)
		if r.status != http.StatusOK {
			t.Fatalf("GET org %s: %d %s", org, r.status, r.body)
		}
		v, _ := r.json(t)["created"].(string)
		if v == "" {
			t.Fatalf("org %s has no created", org)
		}
		return v
	}
	for _, org := range []string{c.OrgID, fresh} {
		before := created(org)
		clk.t = clk.t.Add(2 * time.Hour) // within the PAT's 12 h
		if err := s.DeauthorizeOrg(org); err != nil {
			t.Fatal(err)
		}
		clk.t = clk.t.Add(time.Hour)
		if err := s.AuthorizeOrg(org); err != nil {
			t.Fatal(err)
		}
		if after := created(org); after != before {
			t.Errorf("org %s: created %s became %s on re-authorizing", org, before, after)
		}
	}
}
