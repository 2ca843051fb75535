package api_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/byova/byova/api"
)

// FuzzParseServiceAppEvent: whatever arrives at the receiver (after the signature, which an
// attacker with the secret or a replay can satisfy), the parser never panics, and what it
// accepts is one of the two events for a well-formed org UUID taken from a named field.
// Seeds live in testdata/fuzz/FuzzParseServiceAppEvent; `go test -fuzz` adds what it finds.
func FuzzParseServiceAppEvent(f *testing.F) {
	org := "63b02f90-9cc6-43b8-aa6d-cad425ac554c"
	hydra := api.EncodeID(api.KindOrganization, org)
	for _, s := range []string{
		`{"resource":"serviceApp","event":"authorized","orgId":"` + hydra + `"}`,
		`{"resource":"serviceApp","event":"deauthorized","data":{"orgId":"` + org + `"}}`,
		`{"resource":"serviceApp","name":"Deauthorized","orgId":"x","data":{"authorizerOrgId":"` + hydra + `","id":"` + api.EncodeID(api.KindApplication, "C123") + `","authorizationDate":"2026-01-02T03:04:05.000Z"}}`,
		`{"resource":"serviceApp","event":"authorized","data":null}`,
		`{"resource":"serviceApp","event":"authorized","orgId":"` + api.EncodeID(api.KindPeople, org) + `"}`,
		`{"resource":"messages","event":"created"}`,
		`null`, `[]`, `{}`, `"serviceApp"`, ``, `{"resource":1}`,
		`{"resource":"serviceApp","event":"authorized","orgId":"` + strings.Repeat("A", 4096) + `"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := api.ParseServiceAppEvent(body)
		if err != nil {
			if ev != nil {
				t.Fatalf("an error and an event: %+v", ev)
			}
			return
		}
		if ev.Event != api.EventAuthorized && ev.Event != api.EventDeauthorized {
			t.Fatalf("accepted event %q", ev.Event)
		}
		if u, err := uuid.Parse(ev.Org); err != nil || u.String() != ev.Org {
			t.Fatalf("org %q is not a canonical UUID", ev.Org)
		}
		switch ev.OrgFrom {
		case "data.authorizerOrgId", "orgId", "data.orgId":
		default:
			t.Fatalf("org taken from %q", ev.OrgFrom)
		}
		// The signature check of the same body holds for its own signature only.
		sig := api.Signature(body, "k")
		if !api.VerifySignature(body, "k", sig) || api.VerifySignature(body, "other", sig) {
			t.Fatal("signature round trip")
		}
	})
}
