package gateway

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/byova/byova/api"
	"github.com/byova/byova/safetext"
)

// SchemaVoiceVirtualAgent is the gRPC Voice Virtual Agent schema id (spec §1).
const SchemaVoiceVirtualAgent = "5397013b-7920-4ffc-807c-e8a3e0a18f43"

// Issuers are the token issuers gateways accept (spec §5, check 2), with their region.
var Issuers = map[string]string{
	"https://idbroker.webex.com/idb":       "us",
	"https://idbroker-b-us.webex.com/idb":  "us",
	"https://idbroker-eu.webex.com/idb":    "eu",
	"https://idbroker-ca.webex.com/idb":    "ca",
	"https://idbrokerbts.webex.com/idb":    "integration",
	"https://idbrokerbts-eu.webex.com/idb": "integration-eu",
}

// Result words of a check or a step.
const (
	OK   = "ok"
	Warn = "warn"
	Fail = "fail"
	Skip = "skip"
)

// Check is one named gateway-side check on a token.
type Check struct {
	Name   string `json:"name"`
	Result string `json:"result"`
	Detail string `json:"detail,omitempty"`
}

// KeysFunc returns the key set that should hold kid (nil, nil: no key set, the signature is
// not checked).
type KeysFunc func(kid string) (*jose.JSONWebKeySet, error)

// maxTokenBytes caps the token we decode: a registered JWS is about 1 KiB.
const maxTokenBytes = 64 << 10

// tokenClaims is what the gateway-side checks read.
type tokenClaims struct {
	Iss    string          `json:"iss"`
	Aud    json.RawMessage `json:"aud"`
	Sub    string          `json:"sub"`
	Exp    *float64        `json:"exp"`
	Jti    string          `json:"jti"`
	URL    *string         `json:"com.cisco.datasource.url"`
	Schema string          `json:"com.cisco.datasource.schema.uuid"`
}

// ClaimChecks makes the checks a gateway makes on Webex's token (spec §5), each by name, so a
// mismatch is named before anyone reads the gateway's logs: parse, iss (the allow-list, with
// its region), signature (RS256 with the key its kid names), exp, aud, sub, jti, url
// (com.cisco.datasource.url byte-equal to the registered url) and schema. Details are
// sanitised; the token itself never appears in them.
func ClaimChecks(token, registeredURL string, keys KeysFunc, now time.Time) []Check {
	var out []Check
	add := func(name, result, detail string) { out = append(out, Check{name, result, safetext.Line(detail)}) }
	if len(token) > maxTokenBytes {
		add("parse", Fail, fmt.Sprintf("the token is %d bytes; a Webex JWS is about 1 KiB", len(token)))
		return out
	}
	parts := strings.Split(token, ".")
	if token == "" || len(parts) != 3 {
		add("parse", Fail, "not a compact JWS (header.payload.signature): gateways reject it before any other check")
		return out
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	var cl *api.Claims
	if err == nil {
		cl, err = api.ParseClaims(payload) // the one strict reader: a claim named twice fails
	}
	if err != nil {
		add("parse", Fail, "the payload is not base64url JSON claims")
		return out
	}
	c := tokenClaims{Iss: cl.Issuer, Aud: cl.Raw["aud"], Sub: cl.Subject, Jti: cl.ID, Schema: cl.SchemaUUID}
	if _, ok := cl.Raw["exp"]; ok {
		exp := float64(cl.Expiry)
		c.Exp = &exp
	}
	if _, ok := cl.Raw["com.cisco.datasource.url"]; ok {
		c.URL = &cl.URL
	}
	add("parse", OK, "compact JWS")

	if region, ok := Issuers[c.Iss]; ok {
		add("iss", OK, c.Iss+" ("+region+")")
	} else {
		add("iss", Fail, fmt.Sprintf("issuer %q is not one gateways accept (idbroker*.webex.com/idb)", c.Iss))
	}

	add(signatureCheck(token, keys))

	switch {
	case c.Exp == nil:
		add("exp", Fail, "no exp claim: gateways that require it (Cisco's Java sample) reject the token")
	case !now.Before(time.Unix(int64(*c.Exp), 0)):
		add("exp", Fail, "expired at "+time.Unix(int64(*c.Exp), 0).UTC().Format(time.RFC3339)+": extend the data source (byova ds extend ID)")
	default:
		left := time.Unix(int64(*c.Exp), 0).Sub(now).Round(time.Minute)
		add("exp", OK, "valid for "+left.String())
	}
	aud := audienceOf(c.Aud)
	for _, p := range []struct{ name, v string }{{"aud", aud}, {"sub", c.Sub}, {"jti", c.Jti}} {
		if p.v == "" {
			add(p.name, Fail, p.name+" is missing or empty: gateways require it")
		} else {
			add(p.name, OK, "present")
		}
	}
	switch {
	case c.URL == nil:
		add("url", Fail, "no com.cisco.datasource.url claim")
	case *c.URL != registeredURL:
		add("url", Fail, fmt.Sprintf("com.cisco.datasource.url %q is not byte-equal to the registered url %q (gateways compare them byte for byte: a :443 or a trailing / counts)", *c.URL, registeredURL))
	default:
		add("url", OK, "com.cisco.datasource.url equals the registered url")
	}
	if strings.EqualFold(c.Schema, SchemaVoiceVirtualAgent) {
		add("schema", OK, "Voice Virtual Agent schema")
	} else {
		add("schema", Fail, fmt.Sprintf("com.cisco.datasource.schema.uuid %q is not the Voice Virtual Agent schema %s", c.Schema, SchemaVoiceVirtualAgent))
	}
	return out
}

func signatureCheck(token string, keys KeysFunc) (string, string, string) {
	sig, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return "signature", Fail, "not RS256: gateways pin RS256 (" + err.Error() + ")"
	}
	if len(sig.Signatures) != 1 {
		return "signature", Fail, "the JWS must carry exactly one signature"
	}
	kid := sig.Signatures[0].Header.KeyID
	if keys == nil {
		return "signature", Warn, "not checked: no key set (kid " + kid + ")"
	}
	set, err := keys(kid)
	if err != nil {
		return "signature", Warn, "not checked: " + err.Error()
	}
	if set == nil {
		return "signature", Warn, "not checked: no key set"
	}
	found := set.Key(kid)
	if kid == "" || len(found) == 0 {
		return "signature", Fail, fmt.Sprintf("no key with kid %q in the key set", kid)
	}
	if err := api.KeyStrong(kid, found[0]); err != nil {
		return "signature", Fail, err.Error()
	}
	if _, err := sig.Verify(found[0]); err != nil {
		return "signature", Fail, "does not verify with key " + kid + ": forged, or altered on the way"
	}
	return "signature", OK, "RS256, kid " + kid
}

func audienceOf(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var ss []string
	if json.Unmarshal(raw, &ss) == nil && len(ss) > 0 {
		return ss[0]
	}
	return ""
}

// Failed is the first failed check, or nil.
func Failed(checks []Check) *Check {
	for i := range checks {
		if checks[i].Result == Fail {
			return &checks[i]
		}
	}
	return nil
}

// Summary is one line for a list of checks: "9 checks hold" or the failed ones by name.
func Summary(checks []Check) string {
	var bad []string
	for _, c := range checks {
		if c.Result == Fail {
			bad = append(bad, c.Name+": "+c.Detail)
		}
	}
	if len(bad) == 0 {
		return fmt.Sprintf("%d checks hold", len(checks))
	}
	return strings.Join(bad, "; ")
}

var errNoToken = errors.New("the data source has no jwsToken")
