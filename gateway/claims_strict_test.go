package gateway_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/byova/byova/gateway"
)

func checkOf(cs []gateway.Check, name string) gateway.Check {
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	return gateway.Check{}
}

// probe's claims step reads and trusts a token as `ds verify` does: a 1024-bit key proves
// nothing, and a claim named twice is no token at all.
func TestClaimChecksAreAsStrictAsVerify(t *testing.T) {
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: weak, KeyID: "weak"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	set := &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &weak.PublicKey, KeyID: "weak", Algorithm: "RS256", Use: "sig"}}}
	keys := func(string) (*jose.JSONWebKeySet, error) { return set, nil }
	body := []byte(`{"iss":"https://idbroker.webex.com/idb","aud":"a","sub":"s","jti":"j","exp":4102444800,"com.cisco.datasource.url":"https://gw","com.cisco.datasource.schema.uuid":"` + gateway.SchemaVoiceVirtualAgent + `"}`)
	obj, err := signer.Sign(body)
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := obj.CompactSerialize()
	if c := checkOf(gateway.ClaimChecks(tok, "https://gw", keys, time.Now()), "signature"); c.Result != gateway.Fail || !strings.Contains(c.Detail, "2048") {
		t.Errorf("a 1024-bit key: signature %+v, want a failure naming the 2048-bit floor", c)
	}

	parts := strings.Split(tok, ".")
	twice := `{"iss":"https://idbroker.webex.com/idb","sub":"s","sub":"other"}`
	forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(twice)) + "." + parts[2]
	if c := checkOf(gateway.ClaimChecks(forged, "https://gw", nil, time.Now()), "parse"); c.Result != gateway.Fail {
		t.Errorf("a claim named twice: parse %+v, want a failure", c)
	}
}
