package api_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/byova/byova/api"
)

func TestVerifySignature(t *testing.T) {
	body := []byte(`{"resource":"serviceApp","event":"authorized"}`)
	sig := api.Signature(body, "s3cret")
	for _, tc := range []struct {
		name, secret, header string
		want                 bool
	}{
		{"good", "s3cret", sig, true},
		{"upper-case hex", "s3cret", strings.ToUpper(sig), true},
		{"wrong secret", "other", sig, false},
		{"missing", "s3cret", "", false},
		{"not hex", "s3cret", "zz" + sig[2:], false},
		{"truncated", "s3cret", sig[:20], false},
	} {
		if got := api.VerifySignature(body, tc.secret, tc.header); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if api.VerifySignature(append(body, ' '), "s3cret", sig) {
		t.Error("a changed body verified")
	}
}

func TestParseServiceAppEventOrgLocations(t *testing.T) {
	const customer = "63b02f90-9cc6-43b8-aa6d-cad425ac554c"
	const developer = "290a6e35-9e20-45cd-adbc-3531af00d33e"
	hc, hd := api.EncodeID(api.KindOrganization, customer), api.EncodeID(api.KindOrganization, developer)
	for _, tc := range []struct{ name, body, from string }{
		{"authorizerOrgId wins over the owner's orgId", `{"resource":"serviceApp","event":"authorized","orgId":"` + hd + `","data":{"authorizerOrgId":"` + hc + `"}}`, "data.authorizerOrgId"},
		{"top-level orgId (SDK form)", `{"resource":"serviceApp","event":"authorized","orgId":"` + hc + `"}`, "orgId"},
		{"data.orgId", `{"resource":"serviceApp","event":"deauthorized","data":{"orgId":"` + customer + `"}}`, "data.orgId"},
		{"event from name", `{"resource":"serviceApp","name":"Authorized","orgId":"` + customer + `"}`, "orgId"},
	} {
		ev, err := api.ParseServiceAppEvent([]byte(tc.body))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if ev.Org != customer || ev.OrgFrom != tc.from {
			t.Errorf("%s: org %s from %s", tc.name, ev.Org, ev.OrgFrom)
		}
	}
	for _, body := range []string{`{"resource":"messages","event":"created","orgId":"` + customer + `"}`, `{"resource":"serviceApp","event":"updated","orgId":"` + customer + `"}`} {
		if _, err := api.ParseServiceAppEvent([]byte(body)); !errors.Is(err, api.ErrNotServiceAppEvent) {
			t.Errorf("%s: %v", body, err)
		}
	}
	for _, body := range []string{`not json`, `{"resource":"serviceApp","event":"authorized"}`, `{"resource":"serviceApp","event":"authorized","orgId":"garbage"}`} {
		if _, err := api.ParseServiceAppEvent([]byte(body)); err == nil {
			t.Errorf("%s accepted", body)
		}
	}
}
