package webexfake

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

type received struct {
	header http.Header
	body   []byte
}

// receiver is a webhook target on 127.0.0.1 that records what it gets.
func receiver(t *testing.T, status int) (*httptest.Server, func() []received) {
	t.Helper()
	var mu sync.Mutex
	var got []received
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, received{r.Header.Clone(), b})
		mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []received {
		mu.Lock()
		defer mu.Unlock()
		return append([]received(nil), got...)
	}
}

func createHook(t *testing.T, s *Server, body map[string]any) map[string]any {
	t.Helper()
	r := call(t, http.MethodPost, s.URL()+"/webhooks", s.Creds().PersonalAccessToken, "", body)
	if r.status != 200 {
		t.Fatalf("create webhook: %d %s", r.status, r.body)
	}
	return r.json(t)
}

func TestAuthorizeOrgDeliversSignedEvent(t *testing.T) {
	s := start(t, Options{Now: func() time.Time { return fixedNow }})
	c := s.Creds()
	srv, got := receiver(t, http.StatusAccepted)
	const secret = "shhh"
	signed := createHook(t, s, map[string]any{"name": "auth", "targetUrl": srv.URL + "/events", "resource": "serviceApp", "event": "authorized", "secret": secret})
	createHook(t, s, map[string]any{"name": "unsigned", "targetUrl": srv.URL + "/plain", "resource": "serviceApp", "event": "authorized", "filter": "id=" + c.ServiceAppID})
	createHook(t, s, map[string]any{"name": "other app", "targetUrl": srv.URL + "/other", "resource": "serviceApp", "event": "authorized", "filter": "id=" + HydraID("APPLICATION", "Cother")})
	createHook(t, s, map[string]any{"name": "deauth", "targetUrl": srv.URL + "/deauth", "resource": "serviceApp", "event": "deauthorized", "secret": secret})

	// The org authorizes the Service App: §4.1 starts working for it.
	body := map[string]string{"clientId": c.ServiceAppClientID, "clientSecret": c.ServiceAppClientSecret, "targetOrgId": c.UnauthorizedOrgID}
	tokenURL := s.URL() + "/applications/" + c.ServiceAppID + "/token"
	checkWebexError(t, call(t, http.MethodPost, tokenURL, c.PersonalAccessToken, "", body), 403, "")
	if err := s.AuthorizeOrg(HydraID("ORGANIZATION", c.UnauthorizedOrgID)); err != nil {
		t.Fatalf("AuthorizeOrg: %v", err)
	}
	r := call(t, http.MethodPost, tokenURL, c.PersonalAccessToken, "", body)
	if r.status != 200 {
		t.Fatalf("token after authorization: %d %s", r.status, r.body)
	}

	events := got()
	if len(events) != 2 {
		t.Fatalf("%d deliveries, want 2 (signed + matching filter)", len(events))
	}
	ev := events[0]
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write(ev.body)
	if want := hex.EncodeToString(mac.Sum(nil)); ev.header.Get("X-Spark-Signature") != want {
		t.Errorf("X-Spark-Signature %q, want %q", ev.header.Get("X-Spark-Signature"), want)
	}
	if events[1].header.Get("X-Spark-Signature") != "" {
		t.Error("webhook without secret got a signature")
	}
	if !strings.HasPrefix(ev.header.Get("Content-Type"), "application/json") {
		t.Errorf("Content-Type %q", ev.header.Get("Content-Type"))
	}
	var env map[string]any
	if err := json.Unmarshal(ev.body, &env); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"id": signed["id"], "name": "auth", "resource": "serviceApp", "event": "authorized",
		"orgId": HydraID("ORGANIZATION", c.DeveloperOrgID), "createdBy": HydraID("PEOPLE", c.DeveloperPersonID),
		"appId": signed["appId"], "ownedBy": "creator", "status": "active", "created": signed["created"],
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("envelope %s = %v, want %v", k, env[k], v)
		}
	}
	if kind, _, ok := parseHydra(env["actorId"].(string)); !ok || kind != "PEOPLE" {
		t.Errorf("actorId %v", env["actorId"])
	}
	data, _ := env["data"].(map[string]any)
	customer := HydraID("ORGANIZATION", c.UnauthorizedOrgID)
	if data["id"] != c.ServiceAppID || data["authorizerOrgId"] != customer || data["orgId"] != nil ||
		data["authorizationDate"] != isoTime(fixedNow) {
		t.Errorf("data %v", data)
	}

	// Deauthorization: tokens die, the token endpoint refuses, the deauthorized hook fires.
	access, _ := r.json(t)["access_token"].(string)
	refresh, _ := r.json(t)["refresh_token"].(string)
	if err := s.DeauthorizeOrg(c.UnauthorizedOrgID); err != nil {
		t.Fatalf("DeauthorizeOrg: %v", err)
	}
	checkWebexError(t, call(t, http.MethodGet, s.URL()+"/dataSources", access, "", nil), 401, "")
	checkWebexError(t, refreshGrant(t, s, refresh, c.ServiceAppClientID, c.ServiceAppClientSecret), 400, "")
	checkWebexError(t, call(t, http.MethodPost, tokenURL, c.PersonalAccessToken, "", body), 403, "")
	events = got()
	if len(events) != 3 || !strings.Contains(string(events[2].body), `"event":"deauthorized"`) ||
		!strings.Contains(string(events[2].body), `"authorizationDate":"`+isoTime(fixedNow)) {
		t.Fatalf("deauthorized delivery: %d events, last %s", len(events), events[len(events)-1].body)
	}

	// The seeded pair points at hooks.example.com: recorded, never sent.
	var skipped, sent int
	for _, d := range s.Deliveries() {
		if d.Skipped {
			skipped++
		} else if d.Status == http.StatusAccepted && d.Err == "" {
			sent++
		}
	}
	if skipped != 2 || sent != 3 {
		t.Errorf("deliveries: %d skipped, %d sent", skipped, sent)
	}
}

func TestDeliveryErrors(t *testing.T) {
	s := start(t, Options{})
	c := s.Creds()
	srv, _ := receiver(t, http.StatusInternalServerError)
	createHook(t, s, map[string]any{"name": "broken", "targetUrl": srv.URL, "resource": "serviceApp", "event": "authorized"})
	createHook(t, s, map[string]any{"name": "gone", "targetUrl": "http://127.0.0.1:1/x", "resource": "serviceApp", "event": "authorized"})
	err := s.AuthorizeOrg(c.OtherOrgID)
	if err == nil || !strings.Contains(err.Error(), "broken") || !strings.Contains(err.Error(), "500") || !strings.Contains(err.Error(), "gone") {
		t.Fatalf("err %v", err)
	}
	if err := s.AuthorizeOrg("not-an-org"); err == nil {
		t.Error("AuthorizeOrg accepted garbage")
	}
	if err := s.DeauthorizeOrg("00000000-0000-4000-8000-000000000000"); err == nil {
		t.Error("DeauthorizeOrg of an unknown org")
	}
	// A brand-new org can authorize too.
	fresh := "11111111-2222-4333-8444-555555555555"
	_ = s.AuthorizeOrg(fresh) // the broken receivers fail again; the org is authorized anyway
	r := call(t, http.MethodPost, s.URL()+"/applications/"+c.ServiceAppID+"/token", c.PersonalAccessToken, "",
		map[string]string{"clientId": c.ServiceAppClientID, "clientSecret": c.ServiceAppClientSecret, "targetOrgId": fresh})
	if r.status != 200 {
		t.Fatalf("token for the new org: %d %s", r.status, r.body)
	}
	if items := call(t, http.MethodGet, s.URL()+"/dataSources", r.json(t)["access_token"].(string), "", nil).items(t); len(items) != 0 {
		t.Fatalf("new org has %d data sources", len(items))
	}
}
