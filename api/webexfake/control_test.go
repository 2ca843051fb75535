package webexfake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/byova/byova/api"
)

func ctl(t *testing.T, s *Server, action string, req ControlRequest) (int, ControlAnswer) {
	t.Helper()
	body, _ := json.Marshal(req)
	hr, _ := http.NewRequest(http.MethodPost, strings.TrimSuffix(s.URL(), "/v1")+ControlPrefix+action, bytes.NewReader(body))
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set(ControlHeader, "1")
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var a ControlAnswer
	_ = json.NewDecoder(res.Body).Decode(&a)
	return res.StatusCode, a
}

func TestControlOnlyWithOption(t *testing.T) {
	off := start(t, Options{})
	if code, _ := ctl(t, off, "rotate-key", ControlRequest{}); code != http.StatusNotFound {
		t.Fatalf("a fake without Control answered the control surface: %d", code)
	}
	on := start(t, Options{Control: true})
	// Without the header (what a cross-origin form post looks like) nothing happens.
	res, err := http.Post(strings.TrimSuffix(on.URL(), "/v1")+ControlPrefix+"rotate-key", "text/plain", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("headerless control call: %d", res.StatusCode)
	}
	// A non-loopback peer is refused even on a controlled fake (handler level).
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, ControlPrefix+"rotate-key", strings.NewReader("{}"))
	r.RemoteAddr = "192.0.2.7:5555"
	r.Header.Set(ControlHeader, "1")
	r.Header.Set("Content-Type", "application/json")
	on.withControl().ServeHTTP(w, r)
	if w.Code != http.StatusForbidden {
		t.Fatalf("remote peer: %d", w.Code)
	}
	// The API itself is still served next to it.
	if got := call(t, http.MethodGet, on.URL()+"/dataSources", on.Creds().ServiceAppAccessToken, "", nil); got.status != 200 {
		t.Fatalf("API behind control: %d", got.status)
	}
}

func TestControlFail(t *testing.T) {
	s := start(t, Options{Control: true})
	if code, a := ctl(t, s, "fail", ControlRequest{Path: "/v1/dataSources", Status: 418}); code != 400 || !strings.Contains(a.Error, "429") {
		t.Fatalf("status 418: %d %+v", code, a)
	}
	if code, a := ctl(t, s, "fail", ControlRequest{Path: "/v1/dataSources", Status: 429, RetryAfter: 2, Times: 1}); code != 200 {
		t.Fatalf("%d %+v", code, a)
	}
	tok := s.Creds().ServiceAppAccessToken
	r := call(t, http.MethodGet, s.URL()+"/dataSources", tok, "", nil)
	if r.status != 429 || r.header.Get("Retry-After") != "2" {
		t.Fatalf("first call: %d Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	if r := call(t, http.MethodGet, s.URL()+"/dataSources", tok, "", nil); r.status != 200 {
		t.Fatalf("second call: %d", r.status)
	}
	_, a := ctl(t, s, "requests", ControlRequest{Tail: 2})
	if len(a.Log) != 2 || a.Log[0].Status != 429 || a.Log[1].Status != 200 {
		t.Fatalf("requests tail: %+v", a.Log)
	}
}

func jwks(t *testing.T, s *Server) *jose.JSONWebKeySet {
	t.Helper()
	res, err := http.Get(s.Creds().JWKSURL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(res.Body).Decode(&set); err != nil {
		t.Fatal(err)
	}
	return &set
}

func TestControlSignatures(t *testing.T) {
	s := start(t, Options{Control: true})
	c := s.Creds()
	items := call(t, http.MethodGet, s.URL()+"/dataSources", c.ServiceAppAccessToken, "", nil).items(t)
	id, tok := items[0]["id"].(string), items[0]["jwsToken"].(string)
	if _, err := api.VerifyJWS(tok, jwks(t, s), time.Now()); err != nil {
		t.Fatalf("seeded token: %v", err)
	}
	if code, a := ctl(t, s, "mint-bad-signature", ControlRequest{DataSource: id}); code != 200 {
		t.Fatalf("%d %+v", code, a)
	}
	bad := call(t, http.MethodGet, s.URL()+"/dataSources/"+id, c.ServiceAppAccessToken, "", nil).json(t)["jwsToken"].(string)
	if _, err := api.VerifyJWS(bad, jwks(t, s), time.Now()); err == nil || !strings.Contains(err.Error(), "signature") {
		t.Fatalf("forged token verified: %v", err)
	}
	_, a := ctl(t, s, "rotate-key", ControlRequest{})
	set := jwks(t, s)
	if len(set.Keys) != 2 || set.Keys[0].KeyID != a.KeyID {
		t.Fatalf("JWKS after rotation: %d keys, first %q, want %q", len(set.Keys), set.Keys[0].KeyID, a.KeyID)
	}
	if _, err := api.VerifyJWS(items[1]["jwsToken"].(string), set, time.Now()); err != nil {
		t.Fatalf("a token from before the rotation: %v", err)
	}
	// expire data-source re-mints with the new key and the asked expiry.
	code, a := ctl(t, s, "expire-data-source", ControlRequest{DataSource: id, In: "10m"})
	if code != 200 {
		t.Fatalf("%d %+v", code, a)
	}
	fresh := call(t, http.MethodGet, s.URL()+"/dataSources/"+id, c.ServiceAppAccessToken, "", nil).json(t)["jwsToken"].(string)
	claims, err := api.VerifyJWS(fresh, set, time.Now())
	if err != nil || claims.ExpiresAt().Sub(time.Now()) > 11*time.Minute {
		t.Fatalf("expire in 10m: %v, exp %v", err, claims)
	}
	if code, _ := ctl(t, s, "expire-data-source", ControlRequest{DataSource: "nope"}); code != 400 {
		t.Fatalf("unknown data source: %d", code)
	}
}

func TestControlDeliverAndTokens(t *testing.T) {
	s := start(t, Options{Control: true})
	c := s.Creds()
	var got []byte
	var sig string
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		sig = r.Header.Get("X-Spark-Signature")
		w.WriteHeader(http.StatusAccepted)
	}))
	defer rcv.Close()
	code, a := ctl(t, s, "deliver", ControlRequest{Event: "authorized", Org: c.UnauthorizedOrgID, To: rcv.URL, Secret: "s3cret"})
	if code != 200 || a.Status != http.StatusAccepted {
		t.Fatalf("%d %+v", code, a)
	}
	if sig != api.Signature(got, "s3cret") {
		t.Fatalf("signature %q does not match the body", sig)
	}
	ev, err := api.ParseServiceAppEvent(got)
	if err != nil || ev.Org != c.UnauthorizedOrgID || ev.OrgFrom != "data.authorizerOrgId" {
		t.Fatalf("event %+v, %v", ev, err)
	}
	// The org now authorized: the developer can get its Service App token.
	r := call(t, http.MethodPost, s.URL()+"/applications/"+c.ServiceAppID+"/token", c.PersonalAccessToken, "",
		map[string]any{"targetOrgId": c.UnauthorizedOrgID, "clientId": c.ServiceAppClientID, "clientSecret": c.ServiceAppClientSecret})
	if r.status != 200 {
		t.Fatalf("token after deliver authorized: %d %s", r.status, r.body)
	}
	// expire token: the org's access token answers 401, refresh still works.
	if code, a := ctl(t, s, "expire-token", ControlRequest{Org: c.OrgID}); code != 200 || !strings.Contains(a.Done, "1 Service App access tokens") {
		t.Fatalf("%d %+v", code, a)
	}
	if r := call(t, http.MethodGet, s.URL()+"/dataSources", c.ServiceAppAccessToken, "", nil); r.status != 401 {
		t.Fatalf("expired token: %d", r.status)
	}
	if code, _ := ctl(t, s, "expire-token", ControlRequest{Org: "not-an-org"}); code != 400 {
		t.Fatalf("bad org: %d", code)
	}
}
