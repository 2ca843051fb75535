package api_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
)

func TestGetOrganization(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 7})
	c, _ := orgClient(t, s)
	cr := s.Creds()
	if err := s.SetOrgName(cr.OrgID, "Acme\x1b[31m Corp"); err != nil {
		t.Fatal(err)
	}
	o, err := c.GetOrganization(ctx(t), cr.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	// The API layer hands the name over as Webex sent it; the terminal side sanitises it.
	if o.DisplayName != "Acme\x1b[31m Corp" || o.ID != api.EncodeID(api.KindOrganization, cr.OrgID) {
		t.Errorf("got %+v", o)
	}
	_, err = c.GetOrganization(ctx(t), cr.OtherOrgID)
	var we *api.Error
	if !errors.As(err, &we) || we.Status != http.StatusForbidden {
		t.Errorf("another org's name: err = %v, want a 403 *api.Error", err)
	}
	if _, err := c.GetOrganization(ctx(t), "not-an-org"); err == nil {
		t.Error("a bad org was accepted")
	}
}
