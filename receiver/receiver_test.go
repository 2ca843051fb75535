package receiver_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/receiver"
	"github.com/byova/byova/session"
)

type rig struct {
	fake  *webexfake.Server
	store *config.Store
	h     *receiver.Handler
	srv   *httptest.Server
	out   *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) lines() []receiver.Outcome {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []receiver.Outcome
	sc := bufio.NewScanner(bytes.NewReader(s.b.Bytes()))
	for sc.Scan() {
		var o receiver.Outcome
		json.Unmarshal(sc.Bytes(), &o)
		out = append(out, o)
	}
	return out
}

const secret = "whsec-0123456789abcdef"

func newRig(t *testing.T, tokensPath string) *rig { return newRigWith(t, tokensPath, nil) }

// newRigWith puts wrap (slowness, faults) between the receiver and the fake Webex.
func newRigWith(t *testing.T, tokensPath string, wrap func(http.Handler) http.Handler) *rig {
	t.Helper()
	fake := webexfake.New(webexfake.Options{Seed: 2})
	baseURL := ""
	if wrap == nil {
		if err := fake.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { fake.Close() })
		baseURL = fake.URL()
	} else {
		ws := httptest.NewServer(wrap(fake))
		t.Cleanup(ws.Close)
		baseURL = ws.URL + "/v1"
	}
	cr := fake.Creds()
	if tokensPath == "" {
		tokensPath = filepath.Join(t.TempDir(), "tokens.json")
	}
	store := config.NewStore(tokensPath)
	sess, err := session.New(config.Settings{Profile: "default", BaseURL: baseURL, AccessToken: cr.PersonalAccessToken,
		ServiceAppClientID: cr.ServiceAppClientID, ServiceAppClientSecret: cr.ServiceAppClientSecret, Source: map[string]string{}}, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := &syncBuffer{}
	h := &receiver.Handler{Session: sess, Secret: secret, Path: "/hook", Out: out}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	t.Cleanup(h.Wait) // no worker outlives the test
	return &rig{fake: fake, store: store, h: h, srv: srv, out: out}
}

func (r *rig) post(t *testing.T, body []byte, sig string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, r.srv.URL+"/hook", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if sig != "" {
		req.Header.Set("X-Spark-Signature", sig)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	r.h.Wait()
	return res
}

func (r *rig) hasOrg(t *testing.T, org string) bool {
	toks, err := r.store.Load()
	if err != nil {
		t.Fatal(err)
	}
	ps := toks.Profiles["default"]
	return ps != nil && ps.Orgs[org] != nil && ps.Orgs[org].AccessToken != ""
}

func event(kind, where, org string) []byte {
	hydra := api.EncodeID(api.KindOrganization, org)
	switch where {
	case "authorizerOrgId":
		return []byte(`{"resource":"serviceApp","event":"` + kind + `","orgId":"` + api.EncodeID(api.KindOrganization, "290a6e35-9e20-45cd-adbc-3531af00d33e") + `","data":{"authorizerOrgId":"` + hydra + `"}}`)
	case "orgId":
		return []byte(`{"resource":"serviceApp","event":"` + kind + `","orgId":"` + hydra + `"}`)
	default:
		return []byte(`{"resource":"serviceApp","event":"` + kind + `","data":{"orgId":"` + org + `"}}`)
	}
}

func TestSignedDeliveriesFromWebexStoreAndDropTokens(t *testing.T) {
	r := newRig(t, "")
	cr := r.fake.Creds()
	caller, _ := api.New(api.Options{BaseURL: r.fake.URL(), Token: api.StaticToken{Value: cr.PersonalAccessToken}})
	if _, err := caller.EnsureServiceAppWebhooks(context.Background(), r.srv.URL+"/hook", secret); err != nil {
		t.Fatal(err)
	}
	if err := r.fake.AuthorizeOrg(cr.OtherOrgID); err != nil {
		t.Fatalf("delivery: %v", err)
	}
	r.h.Wait()
	if !r.hasOrg(t, cr.OtherOrgID) {
		t.Fatalf("no token stored for %s; log %+v", cr.OtherOrgID, r.out.lines())
	}
	if err := r.fake.DeauthorizeOrg(cr.OtherOrgID); err != nil {
		t.Fatalf("delivery: %v", err)
	}
	r.h.Wait()
	if r.hasOrg(t, cr.OtherOrgID) {
		t.Fatal("token still stored after deauthorize")
	}
	lines := r.out.lines()
	if len(lines) != 2 || lines[0].Result != "stored" || lines[1].Result != "deleted" || lines[0].Org != cr.OtherOrgID {
		t.Fatalf("event log %+v", lines)
	}
	raw := r.out.b.String()
	for _, s := range []string{cr.PersonalAccessToken, cr.ServiceAppClientSecret, secret} {
		if strings.Contains(raw, s) {
			t.Errorf("event log holds a secret")
		}
	}
}

func TestDeliveriesAreCheckedAndIdempotent(t *testing.T) {
	r := newRig(t, "")
	org := r.fake.Creds().OrgID
	good := event("authorized", "authorizerOrgId", org)
	for _, tc := range []struct {
		name   string
		body   []byte
		sig    string
		status int
	}{
		{"no signature", good, "", http.StatusUnauthorized},
		{"wrong signature", good, api.Signature(good, "forged"), http.StatusUnauthorized},
		{"signature of another body", good, api.Signature([]byte("{}"), secret), http.StatusUnauthorized},
		{"not JSON", []byte("hello"), api.Signature([]byte("hello"), secret), http.StatusBadRequest},
		{"another resource", []byte(`{"resource":"messages","event":"created","orgId":"` + org + `"}`), api.Signature([]byte(`{"resource":"messages","event":"created","orgId":"`+org+`"}`), secret), http.StatusBadRequest},
		{"another Service App", []byte(`{"resource":"serviceApp","event":"authorized","orgId":"` + org + `","data":{"id":"` + api.EncodeID(api.KindApplication, "Cother") + `"}}`), "", http.StatusBadRequest},
	} {
		sig := tc.sig
		if tc.name == "another Service App" {
			sig = api.Signature(tc.body, secret)
		}
		if res := r.post(t, tc.body, sig); res.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, res.StatusCode, tc.status)
		}
	}
	if r.hasOrg(t, org) {
		t.Fatal("a refused delivery stored a token")
	}
	if n := len(r.fake.Requests()); n != 0 {
		t.Errorf("refused deliveries sent %d requests to Webex", n)
	}

	if res := r.post(t, good, api.Signature(good, secret)); res.StatusCode != http.StatusOK || !r.hasOrg(t, org) {
		t.Fatalf("good delivery: %d", res.StatusCode)
	}
	// Webex's retry of the same delivery is answered without acting; a new delivery for an org
	// whose token is newer than its authorization changes nothing either.
	before, _ := os.ReadFile(r.store.Path())
	tokenCalls := len(r.fake.Requests())
	if res := r.post(t, good, api.Signature(good, secret)); res.StatusCode != http.StatusOK {
		t.Fatalf("same delivery again: %d", res.StatusCode)
	}
	if n := len(r.fake.Requests()); n != tokenCalls {
		t.Errorf("a repeated delivery asked Webex again (%d requests, was %d)", n, tokenCalls)
	}
	lines := r.out.lines()
	if last := lines[len(lines)-1]; last.Result != "duplicate" {
		t.Errorf("repeated delivery: %+v", last)
	}
	other := []byte(strings.Replace(string(good), `"resource"`, `"id":"another-delivery","resource"`, 1))
	if res := r.post(t, other, api.Signature(other, secret)); res.StatusCode != http.StatusOK {
		t.Fatalf("another delivery for the same org: %d", res.StatusCode)
	}
	after, _ := os.ReadFile(r.store.Path())
	if !bytes.Equal(before, after) {
		t.Error("a second authorization for a stored org changed the store")
	}
	lines = r.out.lines()
	if last := lines[len(lines)-1]; last.Result != "already stored" {
		t.Errorf("second delivery: %+v", last)
	}
	if err := r.fake.DeauthorizeOrg(org); err != nil {
		t.Fatal(err)
	}
	bye := event("deauthorized", "orgId", org)
	bye2 := []byte(strings.Replace(string(bye), `"resource"`, `"id":"again","resource"`, 1))
	r.post(t, bye, api.Signature(bye, secret))
	r.post(t, bye2, api.Signature(bye2, secret))
	lines = r.out.lines()
	if lines[len(lines)-2].Result != "deleted" || lines[len(lines)-1].Result != "nothing to delete" {
		t.Errorf("deauthorize twice: %+v", lines[len(lines)-2:])
	}
}

func TestEachOrgLocation(t *testing.T) {
	for _, where := range []string{"authorizerOrgId", "orgId", "data.orgId"} {
		t.Run(where, func(t *testing.T) {
			r := newRig(t, "")
			org := r.fake.Creds().OtherOrgID
			b := event("authorized", where, org)
			if res := r.post(t, b, api.Signature(b, secret)); res.StatusCode != http.StatusOK || !r.hasOrg(t, org) {
				t.Fatalf("%s: %d, stored %v", where, res.StatusCode, r.hasOrg(t, org))
			}
		})
	}
}

func TestHTTPLimits(t *testing.T) {
	r := newRig(t, "")
	res, _ := http.Get(r.srv.URL + "/hook")
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "POST" {
		t.Errorf("GET: %d allow %q", res.StatusCode, res.Header.Get("Allow"))
	}
	res, _ = http.Post(r.srv.URL+"/elsewhere", "application/json", strings.NewReader("{}"))
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("other path: %d", res.StatusCode)
	}
	big := bytes.Repeat([]byte("a"), receiver.MaxBody+1)
	if res := r.post(t, big, api.Signature(big, secret)); res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized: %d", res.StatusCode)
	}
	unauthorized := r.fake.Creds().UnauthorizedOrgID
	b := event("authorized", "orgId", unauthorized)
	if res := r.post(t, b, api.Signature(b, secret)); res.StatusCode != http.StatusBadGateway {
		t.Errorf("org that did not authorize: %d", res.StatusCode)
	}
	if l := r.out.lines(); l[len(l)-1].TrackingID == "" || l[len(l)-1].Result != "failed" {
		t.Errorf("failure line %+v", l[len(l)-1])
	}
}

func TestSlowClientIsCutOff(t *testing.T) {
	srv := receiver.NewServer("127.0.0.1:0", &receiver.Handler{})
	if srv.ReadHeaderTimeout == 0 || srv.ReadTimeout == 0 || srv.WriteTimeout == 0 || srv.IdleTimeout == 0 {
		t.Fatalf("server without timeouts: %+v", srv)
	}
	srv.ReadHeaderTimeout = 200 * time.Millisecond // the behaviour, faster
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	go srv.Serve(ln)
	defer srv.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprint(c, "POST / HTTP/1.1\r\nHost: x\r\n") // and then nothing
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 512)
	start := time.Now()
	_, err = c.Read(buf)
	for err == nil {
		_, err = c.Read(buf)
	}
	if time.Since(start) > 4*time.Second {
		t.Fatal("the slow client was not cut off")
	}
}

// TestListenerAndAnotherProcessShareTheStore: while the receiver stores tokens for newly
// authorized orgs, another byova process keeps rewriting its own org's token; nothing is lost.
func TestListenerAndAnotherProcessShareTheStore(t *testing.T) {
	if os.Getenv("RECEIVER_CHILD") != "" {
		store := config.NewStore(os.Getenv("TOKENS"))
		for i := 0; i < 40; i++ {
			err := store.Update(func(tk *config.Tokens) error {
				tk.Profile("default").Orgs["11111111-1111-4111-8111-111111111111"] = &config.Token{Kind: config.KindServiceApp, AccessToken: fmt.Sprint("tui-", i)}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	path := filepath.Join(t.TempDir(), "tokens.json")
	r := newRig(t, path)
	child := exec.Command(os.Args[0], "-test.run", "^TestListenerAndAnotherProcessShareTheStore$")
	child.Env = append(os.Environ(), "RECEIVER_CHILD=1", "TOKENS="+path)
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	var orgs []string
	for i := 0; i < 6; i++ {
		org := fmt.Sprintf("%08d-2222-4222-8222-222222222222", i)
		if err := r.fake.AuthorizeOrg(org); err != nil { // known to the fake, authorized
			t.Fatal(err)
		}
		orgs = append(orgs, org)
		b := event("authorized", "authorizerOrgId", org)
		if res := r.post(t, b, api.Signature(b, secret)); res.StatusCode != http.StatusOK {
			t.Fatalf("org %d: %d %+v", i, res.StatusCode, r.out.lines())
		}
	}
	if err := child.Wait(); err != nil {
		t.Fatalf("other process: %v", err)
	}
	for _, org := range append(orgs, "11111111-1111-4111-8111-111111111111") {
		if !r.hasOrg(t, org) {
			t.Errorf("org %s lost", org)
		}
	}
}
