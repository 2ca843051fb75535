package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
)

func TestResolveJWKSURL(t *testing.T) {
	for _, tc := range []struct {
		explicit, region, configured, base string
		want, err                          string
	}{
		{base: "https://webexapis.com/v1", want: "https://idbroker.webex.com/idb/oauth2/v2/keys/verificationjwk"},
		{base: "https://integration.webexapis.com/v1", want: "https://idbrokerbts.webex.com/idb/oauth2/v2/keys/verificationjwk"},
		{base: "http://127.0.0.1:8080/v1", want: "http://127.0.0.1:8080" + api.JWKSPath},
		{region: "eu", base: "http://127.0.0.1:8080/v1", want: "https://idbroker-eu.webex.com/idb/oauth2/v2/keys/verificationjwk"},
		{configured: "https://keys.example/jwk", base: "https://webexapis.com/v1", want: "https://keys.example/jwk"},
		{explicit: "https://k.example/x", region: "", configured: "https://keys.example/jwk", want: "https://k.example/x"},
		{explicit: "ftp://k.example/x", err: "absolute http(s) URL"},
		{region: "ap", err: `region "ap"`},
		{base: "not a url", err: "is not a URL"},
	} {
		got, err := api.ResolveJWKSURL(tc.explicit, tc.region, tc.configured, tc.base)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%+v: err %v, want %q", tc, err, tc.err)
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("%+v: %q, %v; want %q", tc, got, err, tc.want)
		}
	}
}

// TestKeySetFetchesOnceMoreForAnUnknownKid: a rotation is followed once per run; a token that
// names a kid no key set has does not make every check fetch again.
func TestKeySetFetchesOnceMoreForAnUnknownKid(t *testing.T) {
	s := startFake(t, webexfake.Options{})
	c, _ := orgClient(t, s)
	cx := ctx(t)
	list, err := c.ListDataSources(cx)
	if err != nil || len(list) < 2 {
		t.Fatalf("list: %d, %v", len(list), err)
	}
	full := func(id string) *api.DataSource {
		d, err := c.GetDataSource(cx, id)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	ks := api.NewKeySet(s.Creds().JWKSURL)
	var ok *api.DataSource
	for _, it := range list {
		if d := full(it.ID); d.Expiry().After(time.Now().Add(time.Hour)) {
			ok = d
			break
		}
	}
	if ok == nil {
		t.Fatal("no current data source in the fake's seed")
	}
	if v := api.VerifyDataSource(cx, c, ks, ok, time.Now()); !v.OK || v.KeyID == "" {
		t.Fatalf("a genuine token: %+v", v)
	}
	fetches := func() int { return count(s, "GET", "/idb/") }
	if n := fetches(); n != 1 {
		t.Fatalf("%d key set fetches for one check, want 1", n)
	}
	if v := api.VerifyDataSource(cx, c, ks, ok, time.Now()); !v.OK || fetches() != 1 {
		t.Fatalf("a second check fetched again (%d) or failed: %+v", fetches(), v)
	}

	// Webex rotates its key: a token signed with the new one makes the set load once more.
	if _, err := s.RotateKey(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ExpireDataSource(ok.ID, 2*time.Hour); err != nil { // re-issued with the new key
		t.Fatal(err)
	}
	rotated := full(ok.ID)
	if v := api.VerifyDataSource(cx, c, ks, rotated, time.Now()); !v.OK {
		t.Fatalf("a token signed with the rotated key: %+v", v)
	}
	if n := fetches(); n != 2 {
		t.Fatalf("%d key set fetches after a rotation, want 2", n)
	}

	// A forged signature fails, names why, and fetches nothing more.
	if err := s.ForgeSignature(ok.ID); err != nil {
		t.Fatal(err)
	}
	if v := api.VerifyDataSource(cx, c, ks, full(ok.ID), time.Now()); v.OK || v.Reason == "" {
		t.Fatalf("a forged token passed: %+v", v)
	}
	if n := fetches(); n != 2 {
		t.Fatalf("%d key set fetches after a forged token, want still 2", n)
	}
}
