package receiver_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/receiver"
)

// TestReplayedDeauthorizeKeepsFreshTokens: an org deauthorizes, authorizes again, and then the
// old signed "deauthorized" is sent again (after a restart, so no digest remembers it). Webex
// still grants the org's token, so the tokens stay.
func TestReplayedDeauthorizeKeepsFreshTokens(t *testing.T) {
	r := newRig(t, "")
	org := r.fake.Creds().OtherOrgID
	old := event("deauthorized", "authorizerOrgId", org)
	if err := r.fake.DeauthorizeOrg(org); err != nil {
		t.Fatal(err)
	}
	r.post(t, old, api.Signature(old, secret)) // the genuine one: nothing stored yet
	if err := r.fake.AuthorizeOrg(org); err != nil {
		t.Fatal(err)
	}
	fresh := event("authorized", "authorizerOrgId", org)
	if res := r.post(t, fresh, api.Signature(fresh, secret)); res.StatusCode != http.StatusOK || !r.hasOrg(t, org) {
		t.Fatalf("authorize: %d %+v", res.StatusCode, r.out.lines())
	}

	restarted := &receiver.Handler{Session: r.h.Session, Secret: secret, Path: "/hook", Out: r.out}
	srv := httptest.NewServer(restarted)
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/hook", strings.NewReader(string(old)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(api.SignatureHeader, api.Signature(old, secret))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	restarted.Wait()
	if !r.hasOrg(t, org) {
		t.Fatalf("a replayed deauthorization deleted fresh tokens; log %+v", r.out.lines())
	}
	lines := r.out.lines()
	last := lines[len(lines)-1]
	if res.StatusCode != http.StatusOK || last.Result != "ignored" || !strings.HasPrefix(last.Reason, "still authorized") {
		t.Errorf("replay answered %d, logged %+v", res.StatusCode, last)
	}

	// The same replay to the receiver that saw it: a repeat, answered without asking Webex.
	before := len(r.fake.Requests())
	if res := r.post(t, old, api.Signature(old, secret)); res.StatusCode != http.StatusOK {
		t.Errorf("repeat: %d", res.StatusCode)
	}
	if l := r.out.lines(); l[len(l)-1].Result != "duplicate" || len(r.fake.Requests()) != before || !r.hasOrg(t, org) {
		t.Errorf("repeat acted: %+v", l[len(l)-1])
	}
}

// TestUnconfirmedDeauthorizeKeepsTokens: when Webex cannot say (a 400, neither a token nor 403), the tokens stay and the
// delivery fails (502) so that Webex's retry is acted on rather than answered as a repeat.
func TestUnconfirmedDeauthorizeKeepsTokens(t *testing.T) {
	r := newRig(t, "")
	org := r.fake.Creds().OtherOrgID
	fresh := event("authorized", "orgId", org)
	r.post(t, fresh, api.Signature(fresh, secret))
	if err := r.fake.DeauthorizeOrg(org); err != nil {
		t.Fatal(err)
	}
	r.fake.InjectFault(webexfake.Fault{Status: http.StatusBadRequest, Path: "/v1/applications/", Times: 1})
	bye := event("deauthorized", "orgId", org)
	if res := r.post(t, bye, api.Signature(bye, secret)); res.StatusCode < 500 || !r.hasOrg(t, org) {
		t.Fatalf("unconfirmed: %d, stored %v", res.StatusCode, r.hasOrg(t, org))
	}
	if res := r.post(t, bye, api.Signature(bye, secret)); res.StatusCode != http.StatusOK || r.hasOrg(t, org) {
		t.Fatalf("retry after Webex recovered: %d, stored %v; log %+v", res.StatusCode, r.hasOrg(t, org), r.out.lines())
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8000":       true,
		"127.1.2.3:8000":       true,
		"[::1]:8000":           true,
		"localhost:8000":       true,
		"LOCALHOST:8000":       true,
		"[::ffff:127.0.0.1]:1": true,
		"::1":                  true,
		"0.0.0.0:8000":         false,
		":8000":                false,
		"[::]:8000":            false,
		"127.evil.example:80":  false,
		"127.0.0.1.nip.io:80":  false,
		"10.0.0.5:8000":        false,
		"localhost.evil.com:1": false,
		"example.com:443":      false,
		"":                     false,
	} {
		if got := receiver.IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}
