package gateway_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/byova/byova/gateway"
	"github.com/byova/byova/gateway/gatewayfake"
)

// issuer signs data source tokens as Webex does and serves its key set on loopback.
type issuer struct {
	kid    string
	signer jose.Signer
	set    jose.JSONWebKeySet
	jwks   *httptest.Server
}

var testKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

func newIssuer(t testing.TB) *issuer {
	t.Helper()
	key := testKey()
	is := &issuer{kid: "test-kid-1"}
	var err error
	is.signer, err = jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: is.kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	is.set = jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: is.kid, Algorithm: "RS256", Use: "sig"}}}
	is.jwks = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(is.set)
	}))
	t.Cleanup(is.jwks.Close)
	return is
}

// token is a data source token for url; edit changes claims before signing.
func (is *issuer) token(t testing.TB, url string, edit func(map[string]any)) string {
	t.Helper()
	c := map[string]any{
		"iss": "https://idbroker.webex.com/idb", "aud": "byova-test", "sub": "va", "jti": "nonce-1",
		"iat": time.Now().Add(-time.Minute).Unix(), "exp": time.Now().Add(time.Hour).Unix(),
		"com.cisco.datasource.url": url, "com.cisco.datasource.schema.uuid": gateway.SchemaVoiceVirtualAgent,
		"com.cisco.org.uuid": "org-1",
	}
	if edit != nil {
		edit(c)
	}
	payload, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := is.signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	s, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (is *issuer) keys(string) (*jose.JSONWebKeySet, error) { return &is.set, nil }

// startFake starts a fake gateway checking tokens against is.
func startFake(t testing.TB, is *issuer, o gatewayfake.Options) *gatewayfake.Server {
	t.Helper()
	o.JWKSURL = is.jwks.URL
	o.Dir = t.TempDir()
	if o.Utterance == 0 {
		o.Utterance = 100 * time.Millisecond
	}
	s, err := gatewayfake.Start("127.0.0.1:0", o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func opts(s *gatewayfake.Server) gateway.Options {
	return gateway.Options{Roots: s.Roots(), Timeout: 5 * time.Second}
}

func step(t testing.TB, p *gateway.Probe, name string) gateway.Step {
	t.Helper()
	for _, s := range p.Steps {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no step %s in %+v", name, p.Steps)
	return gateway.Step{}
}

func writeFile(path string, b []byte) error { return os.WriteFile(path, b, 0o600) }
