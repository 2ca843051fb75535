package webexfake

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// SpreadOrgs deals the generated sources over that many authorized orgs, each listing its
// own share with its own Service App token; the primary keeps its 8 seeded ones.
func TestSpreadOrgs(t *testing.T) {
	s := start(t, Options{ExtraDataSources: 10, SpreadOrgs: 4, CheapSignatures: true})
	orgs := s.SpreadOrgTokens()
	if len(orgs) != 4 {
		t.Fatalf("%d spread orgs, want 4", len(orgs))
	}
	total := 0
	seen := map[string]bool{}
	for i, o := range orgs {
		if seen[o.OrgID] || o.OrgID == s.Creds().OrgID {
			t.Fatalf("org %s given twice", o.OrgID)
		}
		seen[o.OrgID] = true
		r := call(t, http.MethodGet, s.URL()+"/dataSources", o.AccessToken, "", nil)
		if r.status != http.StatusOK {
			t.Fatalf("org %d: %d %s", i, r.status, r.body)
		}
		items := r.items(t)
		if want := []int{3, 3, 2, 2}[i]; len(items) != want {
			t.Fatalf("org %d lists %d sources, want %d", i, len(items), want)
		}
		for _, it := range items {
			if it["orgId"] != o.OrgID {
				t.Fatalf("org %s lists a source of %v", o.OrgID, it["orgId"])
			}
		}
		total += len(items)
	}
	if total != 10 {
		t.Fatalf("%d sources over the spread orgs, want 10", total)
	}
	r := call(t, http.MethodGet, s.URL()+"/dataSources", s.Creds().ServiceAppAccessToken, "", nil)
	if n := len(r.items(t)); n != 8 {
		t.Fatalf("the primary org lists %d, want its 8 seeded ones", n)
	}
}

// A cheap signature has RS256's header and size and the real claims, and does not verify;
// the seeded sources keep real signatures.
func TestCheapSignatures(t *testing.T) {
	s := start(t, Options{ExtraDataSources: 3, CheapSignatures: true})
	r := call(t, http.MethodGet, s.URL()+"/dataSources", s.Creds().ServiceAppAccessToken, "", nil)
	items := r.items(t)
	if len(items) != 11 {
		t.Fatalf("%d items", len(items))
	}
	seeded := verifyJWS(t, s, items[0]["jwsToken"].(string))
	for _, it := range items[8:] {
		tok := it["jwsToken"].(string)
		obj, err := jose.ParseSignedCompact(tok, []jose.SignatureAlgorithm{jose.RS256})
		if err != nil {
			t.Fatalf("cheap token does not parse: %v", err)
		}
		h := obj.Signatures[0]
		if h.Header.KeyID == "" || h.Header.ExtraHeaders["typ"] != "JWT" || len(h.Signature) != 256 {
			t.Fatalf("header %+v, signature %d bytes", h.Header, len(h.Signature))
		}
		c := obj.UnsafePayloadWithoutVerification()
		if len(c) == 0 {
			t.Fatal("no claims")
		}
		key, err := signingKey()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := obj.Verify(key.public); err == nil {
			t.Fatal("a cheap signature verified")
		}
	}
	if seeded.Iss != jwsIssuer {
		t.Fatalf("seeded claims %+v", seeded)
	}
}

// Over RateLimit the fake answers 429 with a whole-second Retry-After (the wait for the next
// slot rounded up), and counts it. One slot a 100 s: a loaded machine cannot refill it mid-test.
func TestRateLimit(t *testing.T) {
	s := start(t, Options{RateLimit: 0.01, RateBurst: 2})
	tok := s.Creds().ServiceAppAccessToken
	for i := range 2 {
		if r := call(t, http.MethodGet, s.URL()+"/dataSources", tok, "", nil); r.status != http.StatusOK {
			t.Fatalf("request %d within the burst: %d", i, r.status)
		}
	}
	r := call(t, http.MethodGet, s.URL()+"/dataSources", tok, "", nil)
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("third request: %d, want 429", r.status)
	}
	ra, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || ra < 90 || ra > 100 {
		t.Fatalf("Retry-After %q, want the ~100 s to the next slot in whole seconds", r.header.Get("Retry-After"))
	}
	if s.RateLimited() != 1 {
		t.Fatalf("RateLimited %d, want 1", s.RateLimited())
	}
	if r := call(t, http.MethodGet, s.URL()+"/dataSources", s.Creds().ServiceAppAccessToken, "", nil); r.status != http.StatusTooManyRequests {
		t.Fatalf("a refused request took no slot, so the next is refused too: got %d", r.status)
	}
}
