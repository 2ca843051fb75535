package receiver_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byova/byova/api"
)

// tokenGate holds every Service App token request until released, like a Webex that takes
// 20 s to answer, and counts how many are inside at once per org.
type tokenGate struct {
	arrived chan struct{}
	release chan struct{}

	mu      sync.Mutex
	inside  map[string]int
	maxSame int
}

func newTokenGate() *tokenGate {
	return &tokenGate{arrived: make(chan struct{}, 64), release: make(chan struct{}), inside: map[string]int{}}
}

func (g *tokenGate) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/token") || !strings.HasPrefix(r.URL.Path, "/v1/applications/") {
			next.ServeHTTP(w, r)
			return
		}
		body, _ := readAll(r)
		g.mu.Lock()
		g.inside[body]++
		if g.inside[body] > g.maxSame {
			g.maxSame = g.inside[body]
		}
		g.mu.Unlock()
		g.arrived <- struct{}{}
		<-g.release
		g.mu.Lock()
		g.inside[body]--
		g.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

func readAll(r *http.Request) (string, error) {
	var b bytes.Buffer
	_, err := b.ReadFrom(r.Body)
	r.Body = http.NoBody
	if err == nil {
		r.Body = readCloser{bytes.NewReader(b.Bytes())}
	}
	return b.String(), err
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

// TestSlowWebexDoesNotHoldTheSender: five deliveries while Webex's token endpoint hangs are
// all answered (202) before Webex answers, acted on in parallel across orgs, one at a time
// per org, and logged with their real outcome once Webex answers.
func TestSlowWebexDoesNotHoldTheSender(t *testing.T) {
	gate := newTokenGate()
	r := newRigWith(t, "", gate.wrap)
	r.h.AnswerWithin = 50 * time.Millisecond
	released := false
	release := func() {
		if !released {
			released = true
			close(gate.release)
		}
	}
	t.Cleanup(release) // a failing test must not leave workers hanging in the gate

	orgs := []string{}
	for i := 0; i < 4; i++ {
		org := fmt.Sprintf("%08d-3333-4333-8333-333333333333", i)
		if err := r.fake.AuthorizeOrg(org); err != nil {
			t.Fatal(err)
		}
		orgs = append(orgs, org)
	}
	orgs = append(orgs, orgs[0]) // a second delivery for one org waits for the first
	client := &http.Client{Timeout: 10 * time.Second}
	type answer struct {
		status int
		err    error
	}
	answers := make(chan answer, len(orgs))
	for i, org := range orgs {
		body := []byte(fmt.Sprintf(`{"id":"d%d","resource":"serviceApp","event":"authorized","data":{"authorizerOrgId":"%s"}}`, i, api.EncodeID(api.KindOrganization, org)))
		go func() {
			req, _ := http.NewRequest(http.MethodPost, r.srv.URL+"/hook", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set(api.SignatureHeader, api.Signature(body, secret))
			res, err := client.Do(req)
			if err != nil {
				answers <- answer{err: err}
				return
			}
			res.Body.Close()
			answers <- answer{status: res.StatusCode}
		}()
	}
	for range orgs {
		a := <-answers // before release: a receiver that waits for Webex never gets here in 10 s
		if a.err != nil || a.status != http.StatusAccepted {
			t.Fatalf("answer while Webex hangs: %d %v; log %+v", a.status, a.err, r.out.lines())
		}
	}
	for range 4 { // four orgs at Webex at once: not one delivery at a time
		select {
		case <-gate.arrived:
		case <-time.After(10 * time.Second):
			t.Fatal("deliveries for different orgs did not reach Webex in parallel")
		}
	}
	release()
	r.h.Wait()
	for _, org := range orgs {
		if !r.hasOrg(t, org) {
			t.Errorf("org %s not stored", org)
		}
	}
	lines := r.out.lines()
	results := map[string]int{}
	for _, l := range lines {
		results[l.Result]++
		if l.Answered != http.StatusAccepted {
			t.Errorf("line without answered=202: %+v", l)
		}
	}
	if results["stored"] != 4 || results["already stored"] != 1 {
		t.Errorf("outcomes %v", results)
	}
	if gate.maxSame > 1 {
		t.Errorf("%d token requests for one org at once", gate.maxSame)
	}
}

func TestContentTypeMustBeJSON(t *testing.T) {
	r := newRig(t, "")
	org := r.fake.Creds().OtherOrgID
	b := event("authorized", "orgId", org)
	for _, tc := range []struct {
		ct     string
		status int
	}{
		{"", http.StatusUnsupportedMediaType},
		{"text/plain", http.StatusUnsupportedMediaType},
		{"application/x-www-form-urlencoded", http.StatusUnsupportedMediaType},
		{"multipart/form-data; boundary=x", http.StatusUnsupportedMediaType},
		{"application/jsonp", http.StatusUnsupportedMediaType},
		{"application/json; charset=utf-8", http.StatusOK},
		{"Application/JSON", http.StatusOK},
	} {
		req, _ := http.NewRequest(http.MethodPost, r.srv.URL+"/hook", bytes.NewReader(b))
		if tc.ct != "" {
			req.Header.Set("Content-Type", tc.ct)
		}
		req.Header.Set(api.SignatureHeader, api.Signature(b, secret))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		r.h.Wait()
		if res.StatusCode != tc.status {
			t.Errorf("Content-Type %q: %d, want %d", tc.ct, res.StatusCode, tc.status)
		}
		if tc.status != http.StatusOK && r.hasOrg(t, org) {
			t.Fatalf("Content-Type %q was acted on", tc.ct)
		}
	}
}

// TestOneOrgInArrivalOrder: an authorization and then a deauthorization for one org, both
// accepted while Webex hangs, are acted on in the order they arrived.
func TestOneOrgInArrivalOrder(t *testing.T) {
	gate := newTokenGate()
	r := newRigWith(t, "", gate.wrap)
	r.h.AnswerWithin = -1 // answer at once: the order must come from the queue, not the sender
	t.Cleanup(func() {
		select {
		case <-gate.release:
		default:
			close(gate.release)
		}
	})
	org := r.fake.Creds().OtherOrgID
	hi := event("authorized", "orgId", org)
	bye := event("deauthorized", "orgId", org)
	for _, b := range [][]byte{hi, bye} {
		req, _ := http.NewRequest(http.MethodPost, r.srv.URL+"/hook", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(api.SignatureHeader, api.Signature(b, secret))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusAccepted {
			t.Fatalf("answer: %d", res.StatusCode)
		}
	}
	select { // the authorization is at Webex; the deauthorization waits its turn
	case <-gate.arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("the authorization never reached Webex")
	}
	close(gate.release)
	r.h.Wait()
	lines := r.out.lines()
	if len(lines) != 2 || lines[0].Event != "authorized" || lines[0].Result != "stored" || lines[1].Event != "deauthorized" || lines[1].Result != "ignored" {
		t.Fatalf("outcomes %+v", lines)
	}
}
