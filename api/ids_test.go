package api_test

import (
	"encoding/base64"
	"testing"

	"github.com/byova/byova/api"
)

func TestOrgIDs(t *testing.T) {
	const org = "63b02f90-9cc6-43b8-aa6d-cad425ac554c"
	hydra := api.EncodeID(api.KindOrganization, org)
	if hydra != base64.RawURLEncoding.EncodeToString([]byte("ciscospark://us/ORGANIZATION/"+org)) {
		t.Fatalf("EncodeID = %q", hydra)
	}
	padded := base64.StdEncoding.EncodeToString([]byte("ciscospark://us/ORGANIZATION/" + org))
	for _, in := range []string{org, hydra, padded, " " + org + " "} {
		got, err := api.OrgUUID(in)
		if err != nil || got != org {
			t.Errorf("OrgUUID(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "nonsense", api.EncodeID(api.KindPeople, org)} {
		if _, err := api.OrgUUID(in); err == nil {
			t.Errorf("OrgUUID(%q) accepted", in)
		}
	}
	if got := api.ApplicationID("Cabc"); got != api.EncodeID(api.KindApplication, "Cabc") || api.ApplicationID(got) != got {
		t.Errorf("ApplicationID = %q", got)
	}
}
