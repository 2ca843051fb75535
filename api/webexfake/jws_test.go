package webexfake

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// verifyJWS checks token against the fake's published JWKS the way a data-source server would
// and returns its header kid and claims.
func verifyJWS(t *testing.T, s *Server, token string) jwsClaims {
	t.Helper()
	resp, err := http.Get(s.Creds().JWKSURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		t.Fatal(err)
	}
	obj, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatalf("parse JWS: %v", err)
	}
	h := obj.Signatures[0].Header
	if h.Algorithm != "RS256" || h.ExtraHeaders["typ"] != "JWT" {
		t.Fatalf("header %+v", h)
	}
	keys := set.Key(h.KeyID)
	if len(keys) != 1 {
		t.Fatalf("kid %q not in JWKS", h.KeyID)
	}
	payload, err := obj.Verify(keys[0])
	if err != nil {
		t.Fatalf("signature does not verify: %v", err)
	}
	var c jwsClaims
	if err := json.Unmarshal(payload, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestJWKS(t *testing.T) {
	s := start(t, Options{})
	for _, path := range []string{JWKSPath, JWKSPath + "/"} {
		r := call(t, http.MethodGet, s.URL()[:len(s.URL())-len("/v1")]+path, "", "", nil)
		if r.status != 200 {
			t.Fatalf("%s: %d", path, r.status)
		}
		var raw struct{ Keys []map[string]any }
		if err := json.Unmarshal(r.body, &raw); err != nil || len(raw.Keys) != 1 {
			t.Fatalf("JWKS %s", r.body)
		}
		k := raw.Keys[0]
		if k["kty"] != "RSA" || k["use"] != "sig" || k["alg"] != "RS256" || k["kid"] == "" || k["n"] == "" || k["d"] != nil {
			t.Fatalf("JWK %v", k)
		}
	}
}

func TestDataSourceJWS(t *testing.T) {
	s := start(t, Options{Now: func() time.Time { return fixedNow }})
	c := s.Creds()
	created := call(t, http.MethodPost, s.URL()+"/dataSources", c.ServiceAppAccessToken, "", validCreate).json(t)
	claims := verifyJWS(t, s, created["jwsToken"].(string))
	want := jwsClaims{
		Iss: "https://idbroker.webex.com/idb", Aud: "MedDocVirtualAgent", Sub: "callAudioData",
		Iat: fixedNow.Unix(), Exp: fixedNow.Unix() + 60*60, Jti: claims.Jti,
		URL: "https://www.byods.example.com/service1", Schema: SchemaWebService, Org: c.OrgID,
	}
	if claims != want {
		t.Fatalf("claims\n got %+v\nwant %+v", claims, want)
	}
	if claims.Jti == "" {
		t.Fatal("no jti")
	}

	// Every PUT re-mints: new jti, same config, lifetime from the body.
	id := created["id"].(string)
	updated := call(t, http.MethodPut, s.URL()+"/dataSources/"+id, c.ServiceAppAccessToken, "",
		with(validCreate, "nonce", "fresh", "tokenLifetimeMinutes", 1440)).json(t)
	again := verifyJWS(t, s, updated["jwsToken"].(string))
	if again.Jti == claims.Jti || again.Exp-again.Iat != 1440*60 || again.Aud != claims.Aud {
		t.Fatalf("re-minted claims %+v", again)
	}
}

func TestSeededTokensVerify(t *testing.T) {
	s := start(t, Options{Now: func() time.Time { return fixedNow }})
	c := s.Creds()
	items := call(t, http.MethodGet, s.URL()+"/dataSources", c.ServiceAppAccessToken, "", nil).items(t)
	for _, it := range items {
		claims := verifyJWS(t, s, it["jwsToken"].(string))
		full, _ := s.DataSource(it["id"].(string))
		if claims.Exp-claims.Iat != int64(full["tokenLifetimeMinutes"].(float64))*60 {
			t.Errorf("%s: exp-iat %d, lifetime %v", it["id"], claims.Exp-claims.Iat, full["tokenLifetimeMinutes"])
		}
		if claims.Aud != full["audience"] || claims.Sub != full["subject"] || claims.URL != it["url"] ||
			claims.Schema != it["schemaId"] || claims.Org != c.OrgID {
			t.Errorf("claims %+v disagree with %v", claims, full)
		}
		if isoTime(time.Unix(claims.Exp, 0)) != full["tokenExpiryTime"] {
			t.Errorf("tokenExpiryTime %v, exp %d", full["tokenExpiryTime"], claims.Exp)
		}
	}
}
