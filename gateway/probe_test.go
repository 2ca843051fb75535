package gateway_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/byova/byova/api"
	"github.com/byova/byova/gateway"
	"github.com/byova/byova/gateway/gatewayfake"
)

func probeFake(t *testing.T, is *issuer, s *gatewayfake.Server, o gateway.Options, edit func(map[string]any)) *gateway.Probe {
	t.Helper()
	req := gateway.ProbeRequest{ID: "ds-1", URL: s.URL(), Token: is.token(t, s.URL(), edit), OrgID: "org-1", Keys: is.keys}
	return gateway.Run(context.Background(), req, o)
}

func TestProbeEveryStepHolds(t *testing.T) {
	is := newIssuer(t)
	s := startFake(t, is, gatewayfake.Options{})
	p := probeFake(t, is, s, opts(s), nil)
	if !p.OK || p.Word != "up" {
		t.Fatalf("probe failed: %+v", p.Steps)
	}
	for _, name := range []string{gateway.StepDial, gateway.StepTLS, gateway.StepAuth, gateway.StepHealth, gateway.StepAgents, gateway.StepClaims} {
		if st := step(t, p, name); st.Result != gateway.OK {
			t.Errorf("%s: %s %s", name, st.Result, st.Verdict)
		}
	}
	if len(p.Agents) != 2 || !p.Agents[0].Default {
		t.Errorf("agents = %+v", p.Agents)
	}
	if d := time.Until(p.CertExpiry); d < 29*24*time.Hour || d > 31*24*time.Hour {
		t.Errorf("cert expiry %s", p.CertExpiry)
	}
	if c := step(t, p, gateway.StepClaims); len(c.Checks) != 9 {
		t.Errorf("claims checks = %+v", c.Checks)
	}
}

func TestProbeFaults(t *testing.T) {
	is := newIssuer(t)
	for _, tc := range []struct {
		fault, step, result, verdict string
	}{
		{gatewayfake.FaultAuth, gateway.StepAuth, gateway.Fail, "rejects Webex's current token"},
		{gatewayfake.FaultURLClaim, gateway.StepAuth, gateway.Fail, "url"},
		{gatewayfake.FaultNotServing, gateway.StepHealth, gateway.Fail, "NOT_SERVING"},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			s := startFake(t, is, gatewayfake.Options{})
			if _, err := s.Fail(tc.fault, 0); err != nil {
				t.Fatal(err)
			}
			p := probeFake(t, is, s, opts(s), nil)
			st := step(t, p, tc.step)
			if p.OK || st.Result != tc.result || !strings.Contains(st.Verdict, tc.verdict) {
				t.Fatalf("%s: %s %q (ok=%v)", tc.step, st.Result, st.Verdict, p.OK)
			}
			if _, err := s.Fail(gatewayfake.FaultReset, 0); err != nil {
				t.Fatal(err)
			}
			if p := probeFake(t, is, s, opts(s), nil); !p.OK {
				t.Fatalf("after reset: %+v", p.Steps)
			}
		})
	}
}

func TestProbeWarnsOnOpenHealth(t *testing.T) {
	is := newIssuer(t)
	s := startFake(t, is, gatewayfake.Options{HealthOpen: true})
	p := probeFake(t, is, s, opts(s), nil)
	if st := step(t, p, gateway.StepAuth); st.Result != gateway.Warn || !strings.Contains(st.Verdict, "without Webex's token") {
		t.Fatalf("auth: %s %q", st.Result, st.Verdict)
	}
	if !p.OK {
		t.Fatal("a warning is not a failure")
	}
}

func TestProbeBearerForms(t *testing.T) {
	is := newIssuer(t)
	for _, tc := range []struct {
		auth   string
		bearer bool
		ok     bool
	}{
		{"bearer", false, false}, {"bearer", true, true}, {"bare", true, false}, {"bare", false, true}, {"", true, true},
	} {
		s := startFake(t, is, gatewayfake.Options{Auth: tc.auth})
		o := opts(s)
		o.Bearer = tc.bearer
		p := probeFake(t, is, s, o, nil)
		if p.OK != tc.ok {
			t.Errorf("gateway %q, bearer=%v: ok=%v %+v", tc.auth, tc.bearer, p.OK, step(t, p, gateway.StepAuth))
		}
		if !tc.ok && step(t, p, gateway.StepAuth).Word != "auth" {
			t.Errorf("gateway %q, bearer=%v: auth word %q", tc.auth, tc.bearer, step(t, p, gateway.StepAuth).Word)
		}
		if got := s.Requests(); len(got) == 0 || (tc.bearer && got[len(got)-1].Auth != "bearer") || (!tc.bearer && got[len(got)-1].Auth != "bare") {
			t.Errorf("the gateway saw %+v", got)
		}
	}
}

func TestProbeClaimsNameTheMismatch(t *testing.T) {
	is := newIssuer(t)
	s := startFake(t, is, gatewayfake.Options{})
	for _, tc := range []struct {
		name string
		edit func(map[string]any)
	}{
		{"url", func(c map[string]any) { c["com.cisco.datasource.url"] = s.URL() + ":443" }},
		{"exp", func(c map[string]any) { c["exp"] = time.Now().Add(-time.Minute).Unix() }},
		{"jti", func(c map[string]any) { delete(c, "jti") }},
		{"aud", func(c map[string]any) { c["aud"] = "" }},
		{"sub", func(c map[string]any) { delete(c, "sub") }},
		{"schema", func(c map[string]any) { c["com.cisco.datasource.schema.uuid"] = "523e1b7f-4693-47bc-b84e-a7b7a505fb0b" }},
		{"iss", func(c map[string]any) { c["iss"] = "https://evil.example.com/idb" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := probeFake(t, is, s, opts(s), tc.edit)
			cl := step(t, p, gateway.StepClaims)
			if cl.Result != gateway.Fail || cl.Word != tc.name {
				t.Fatalf("claims: %s %s %q", cl.Result, cl.Word, cl.Verdict)
			}
			// The fake gateway makes the same check and says so when it refuses.
			if au := step(t, p, gateway.StepAuth); au.Result != gateway.Fail || !strings.Contains(au.Verdict, tc.name) {
				t.Fatalf("auth: %s %q", au.Result, au.Verdict)
			}
		})
	}
}

func TestClaimChecksSignature(t *testing.T) {
	is := newIssuer(t)
	tok := is.token(t, "https://gw", nil)
	i := strings.LastIndexByte(tok, '.')
	forged := tok[:i+1] + "AAAA" + tok[i+5:]
	checks := gateway.ClaimChecks(forged, "https://gw", is.keys, time.Now())
	if f := gateway.Failed(checks); f == nil || f.Name != "signature" {
		t.Fatalf("forged: %+v", checks)
	}
	if f := gateway.Failed(gateway.ClaimChecks(tok, "https://gw", is.keys, time.Now())); f != nil {
		t.Fatalf("genuine: %+v", f)
	}
	if c := gateway.ClaimChecks("not.a.jws!", "https://gw", nil, time.Now()); c[0].Result != gateway.Fail {
		t.Fatalf("garbage: %+v", c)
	}
	for _, c := range gateway.ClaimChecks(tok, "https://gw", is.keys, time.Now()) {
		if strings.Contains(c.Detail, tok[:40]) {
			t.Fatalf("a check shows the token: %+v", c)
		}
	}
}

func TestProbeNamedNetworkFailures(t *testing.T) {
	is := newIssuer(t)
	o := gateway.Options{Timeout: 500 * time.Millisecond}
	// Refused: a port nobody listens on any more.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "https://" + l.Addr().String()
	l.Close()
	// Never answers: accepts the connection, says nothing.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	for _, tc := range []struct{ name, url, step, want string }{
		{"refused", refused, gateway.StepDial, "connection refused"},
		{"no such host", "https://no-such-gateway.invalid", gateway.StepDial, "DNS"},
		{"never answers", "https://" + silent.Addr().String(), gateway.StepTLS, "no TLS handshake within 500ms"},
		{"http off loopback", "http://gw.example.com", gateway.StepDial, "plain http"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			p := gateway.Run(context.Background(), gateway.ProbeRequest{URL: tc.url, Token: is.token(t, tc.url, nil)}, o)
			st := step(t, p, tc.step)
			if st.Result != gateway.Fail || !strings.Contains(st.Verdict, tc.want) {
				t.Fatalf("%s: %s %q", tc.step, st.Result, st.Verdict)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Fatalf("took %s", d)
			}
		})
	}
}

func TestProbeTLSFailures(t *testing.T) {
	is := newIssuer(t)
	ca, err := gatewayfake.NewCA("test CA")
	if err != nil {
		t.Fatal(err)
	}
	expired, err := ca.Leaf([]string{"127.0.0.1"}, time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	wrongHost, err := ca.Leaf([]string{"gw.example.com"}, time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	soon, err := ca.Leaf([]string{"127.0.0.1"}, time.Now().Add(-time.Hour), time.Now().Add(3*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		o      gatewayfake.Options
		roots  bool
		result string
		word   string
	}{
		{"expired", gatewayfake.Options{Cert: &expired}, true, gateway.Fail, "expired"},
		{"wrong host", gatewayfake.Options{Cert: &wrongHost}, true, gateway.Fail, "wrong host"},
		{"unknown CA", gatewayfake.Options{}, false, gateway.Fail, "unknown CA"},
		{"expires soon", gatewayfake.Options{Cert: &soon}, true, gateway.Warn, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startFake(t, is, tc.o)
			o := gateway.Options{Timeout: 5 * time.Second}
			if tc.roots {
				o.Roots = ca.Pool()
			}
			p := probeFake(t, is, s, o, nil)
			st := step(t, p, gateway.StepTLS)
			if st.Result != tc.result || st.Word != tc.word {
				t.Fatalf("tls: %s %q %q", st.Result, st.Word, st.Verdict)
			}
		})
	}
}

func TestRunAllKeepsOrderAndBoundsWorkers(t *testing.T) {
	is := newIssuer(t)
	s := startFake(t, is, gatewayfake.Options{})
	var reqs []gateway.ProbeRequest
	for i := range 12 {
		url := s.URL()
		if i%3 == 0 {
			url = "https://127.0.0.1:1" // refused
		}
		reqs = append(reqs, gateway.ProbeRequest{ID: string(rune('a' + i)), URL: url, Token: is.token(t, url, nil), Keys: is.keys})
	}
	got := gateway.RunAll(context.Background(), reqs, opts(s), 3, nil)
	for i, p := range got {
		if p.ID != reqs[i].ID || p.OK == (i%3 == 0) {
			t.Errorf("row %d: %s ok=%v %s", i, p.ID, p.OK, p.Word)
		}
	}
}

// The fake gateway reads Webex's key set with api's reader and api's limits: a set of more
// keys than byova accepts is refused, as ds verify refuses it, however genuine the token.
// (Its own reader took any number of keys and let the token through.)
func TestFakeGatewayReadsKeysAsAPIDoes(t *testing.T) {
	is := newIssuer(t)
	set := jose.JSONWebKeySet{Keys: append([]jose.JSONWebKey{}, is.set.Keys...)}
	for i := range api.MaxJWKSKeys {
		k := is.set.Keys[0]
		k.KeyID = fmt.Sprint("other-", i)
		set.Keys = append(set.Keys, k)
	}
	many := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(many.Close)
	s, err := gatewayfake.Start("127.0.0.1:0", gatewayfake.Options{JWKSURL: many.URL, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	p := probeFake(t, is, s, opts(s), nil)
	if st := step(t, p, gateway.StepAuth); st.Result != gateway.Fail || !strings.Contains(st.Verdict, "byova accepts") {
		t.Fatalf("auth step %s %q; want the key set refused for its size", st.Result, st.Verdict)
	}
}

// ProbeRequestFor checks the signature with the key set it is given, fetched with its client;
// without one, the claims step says the signature was not checked.
func TestProbeRequestForKeys(t *testing.T) {
	is := newIssuer(t)
	d := &api.DataSource{ID: "ds-1", URL: "https://gw.example.com", JWSToken: is.token(t, "https://gw.example.com", nil), OrgID: "org-1"}
	if r := gateway.ProbeRequestFor(context.Background(), d, gateway.ProbeKeys{}, time.Now()); r.Keys != nil || r.ID != "ds-1" || r.Token != d.JWSToken || r.OrgID != "org-1" {
		t.Fatalf("without a key set: %+v", r)
	}
	c, err := api.New(api.Options{BaseURL: is.jwks.URL})
	if err != nil {
		t.Fatal(err)
	}
	r := gateway.ProbeRequestFor(context.Background(), d, gateway.ProbeKeys{Set: api.NewKeySet(is.jwks.URL), Client: c}, time.Now())
	set, err := r.Keys(is.kid)
	if err != nil || len(set.Key(is.kid)) == 0 {
		t.Fatalf("the request's keys: %v, %v", set, err)
	}
}
