package api

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	jsonv2 "github.com/go-json-experiment/json"
)

// Claims are the JWS claims Webex puts in a data source token (spec §9.1).
type Claims struct {
	Issuer     string    `json:"iss,omitempty"`
	Audience   Audience  `json:"aud,omitempty"`
	Subject    string    `json:"sub,omitempty"`
	IssuedAt   int64     `json:"iat,omitempty"`
	Expiry     int64     `json:"exp,omitempty"`
	ID         string    `json:"jti,omitempty"`
	URL        string    `json:"com.cisco.datasource.url,omitempty"`
	SchemaUUID string    `json:"com.cisco.datasource.schema.uuid,omitempty"`
	OrgUUID    string    `json:"com.cisco.org.uuid,omitempty"`
	Raw        RawClaims `json:"-"`
}

// RawClaims keeps every claim as sent, for display.
type RawClaims map[string]json.RawMessage

// Audience is `aud`, a string or an array of strings.
type Audience []string

var errAudience = errors.New("aud is neither a string nor a list of strings")

func (a *Audience) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*a = Audience{s}
		return nil
	}
	var ss []string
	if err := json.Unmarshal(b, &ss); err != nil {
		return errAudience
	}
	*a = ss
	return nil
}

func (a Audience) MarshalJSON() ([]byte, error) {
	if len(a) == 1 {
		return json.Marshal(a[0])
	}
	return json.Marshal([]string(a))
}

// String returns the first audience.
func (a Audience) String() string {
	if len(a) == 0 {
		return ""
	}
	return a[0]
}

// ExpiresAt is `exp` as a time (zero when absent).
func (c *Claims) ExpiresAt() time.Time {
	if c.Expiry == 0 {
		return time.Time{}
	}
	return time.Unix(c.Expiry, 0)
}

// IssuedAtTime is `iat` as a time (zero when absent).
func (c *Claims) IssuedAtTime() time.Time {
	if c.IssuedAt == 0 {
		return time.Time{}
	}
	return time.Unix(c.IssuedAt, 0)
}

// JWSHeader is the protected header of a token.
type JWSHeader struct {
	Algorithm string `json:"alg"`
	KeyID     string `json:"kid,omitempty"`
	Type      string `json:"typ,omitempty"`
}

// DecodedJWS is a token decoded for display; its signature is not checked.
type DecodedJWS struct {
	Header JWSHeader
	Claims Claims
}

var jwsAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.ES256}

// DecodeJWS decodes a compact JWS without verifying it (to show and to derive fields).
func DecodeJWS(token string) (*DecodedJWS, error) {
	sig, err := jose.ParseSignedCompact(token, jwsAlgs)
	if err != nil {
		return nil, fmt.Errorf("the data source token is not a compact JWS: %w", err)
	}
	d := &DecodedJWS{}
	if len(sig.Signatures) > 0 {
		h := sig.Signatures[0].Header
		d.Header.Algorithm, d.Header.KeyID = h.Algorithm, h.KeyID
		if t, ok := h.ExtraHeaders[jose.HeaderType].(string); ok {
			d.Header.Type = t
		}
	}
	if err := decodeClaims(sig.UnsafePayloadWithoutVerification(), &d.Claims, true); err != nil {
		return nil, err
	}
	return d, nil
}

// peekClaims reads only the claims of a compact JWS, without the header or signature. It is
// the hot path of every list (one token per data source): go-jose's full parse costs several
// times more and buys nothing when the result is only displayed. DecodeJWS and VerifyJWS,
// which show or trust the token, parse it with go-jose; all three read the claims with
// decodeClaims.
func peekClaims(token string, c *Claims) error {
	first := strings.IndexByte(token, '.')
	last := strings.LastIndexByte(token, '.')
	if first < 0 || last <= first {
		return errors.New("the data source token is not a compact JWS (header.payload.signature)")
	}
	seg := token[first+1 : last]
	need := base64.RawURLEncoding.DecodedLen(len(seg))
	// A list decodes a payload per item, and the claims are copied out of it: the buffer is
	// reused (a list of 10,000 left 4 MB of them to collect). An outsized one is not kept.
	bp := payloadBufs.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= maxPooledPayload {
			payloadBufs.Put(bp)
		}
	}()
	if cap(*bp) < need {
		*bp = make([]byte, need)
	}
	buf := (*bp)[:need]
	n, err := base64.RawURLEncoding.Decode(buf, []byte(seg))
	if err != nil {
		return fmt.Errorf("the data source token's payload is not base64url: %w", err)
	}
	return decodeClaims(buf[:n], c, false)
}

// payloadBufs holds peekClaims' decoded payloads; one of up to maxPooledPayload bytes (a
// Webex token's is about 450) goes back for the next.
var payloadBufs = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

const maxPooledPayload = 8 << 10

// decodeClaims is the one reader of a token's claims, for a list, for display and for trust
// alike, so the three never disagree on what a token says. It is strict: a claim named twice
// or text that is not UTF-8 is an error, since no reader can tell which value the signer
// meant. withRaw also keeps every claim as sent, for display.
func decodeClaims(payload []byte, c *Claims, withRaw bool) error {
	if err := jsonv2.Unmarshal(payload, c); err != nil {
		return fmt.Errorf("the data source token's claims are not JSON: %w", err)
	}
	if !withRaw {
		return nil
	}
	if err := jsonv2.Unmarshal(payload, &c.Raw); err != nil {
		return fmt.Errorf("the data source token's claims are not a JSON object: %w", err)
	}
	return nil
}

// ParseClaims reads a token's claims from its decoded payload with the one strict reader, every
// claim kept in Raw: for the gateway-side checks, which must read a token as byova does.
func ParseClaims(payload []byte) (*Claims, error) {
	var c Claims
	if err := decodeClaims(payload, &c, true); err != nil {
		return nil, err
	}
	return &c, nil
}

// VerifyJWS checks an RS256 token against a JWKS, choosing the key by `kid`, and checks `exp`.
func VerifyJWS(token string, keys *jose.JSONWebKeySet, now time.Time) (*Claims, error) {
	sig, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return nil, fmt.Errorf("not an RS256 compact JWS: %w", err)
	}
	if len(sig.Signatures) != 1 {
		return nil, errors.New("the JWS must carry exactly one signature")
	}
	kid := sig.Signatures[0].Header.KeyID
	found := keys.Key(kid)
	if kid == "" || len(found) == 0 {
		return nil, fmt.Errorf("no key with kid %q in the JWKS", kid)
	}
	if err := KeyStrong(kid, found[0]); err != nil {
		return nil, err
	}
	payload, err := sig.Verify(found[0])
	if err != nil {
		// go-jose's reason ("error in cryptographic primitive") tells a person nothing more.
		return nil, fmt.Errorf("signature does not verify with key %q: the token was not signed by it (forged, or altered on the way)", kid)
	}
	var c Claims
	if err := decodeClaims(payload, &c, true); err != nil {
		return nil, err
	}
	if c.Expiry == 0 {
		return nil, errors.New("the token has no exp claim")
	}
	if !now.Before(c.ExpiresAt()) {
		return nil, fmt.Errorf("the token expired at %s", c.ExpiresAt().UTC().Format(time.RFC3339))
	}
	return &c, nil
}

// Key sets are small (Webex publishes one or two RSA keys, a few KB); these caps stop a wrong
// URL or a hostile server from sizing our memory or keeping us reading until the deadline.
const (
	MaxJWKSBytes = 1 << 20 // 1 MiB
	MaxJWKSKeys  = 100
)

// MinRSABits is the shortest RSA key a token may be signed with (NIST SP 800-131A: 1024-bit
// keys are disallowed for signatures; Webex publishes 2048-bit keys).
const MinRSABits = 2048

// KeyStrong refuses a key too weak to trust whatever it signed.
func KeyStrong(kid string, k jose.JSONWebKey) error {
	var n *big.Int
	switch pub := k.Public().Key.(type) {
	case *rsa.PublicKey:
		n = pub.N
	default:
		return nil // RS256 accepts RSA keys only; go-jose refuses any other kind
	}
	if n == nil || n.BitLen() < MinRSABits {
		bits := 0
		if n != nil {
			bits = n.BitLen()
		}
		return fmt.Errorf("key strength: key %q is a %d-bit RSA key, and byova refuses RSA keys under %d bits (a weak key's signature proves nothing)", kid, bits, MinRSABits)
	}
	return nil
}

// FetchJWKS downloads a JSON Web Key Set (no bearer token is sent). A body over MaxJWKSBytes
// or a set of more than MaxJWKSKeys keys is an error: nothing past the limit is read.
func (c *Client) FetchJWKS(ctx context.Context, jwksURL string) (*jose.JSONWebKeySet, error) {
	resp, err := c.send(ctx, call{method: http.MethodGet, url: jwksURL}, true)
	if err != nil {
		return nil, err
	}
	defer resp.stream.Close()
	body, err := io.ReadAll(io.LimitReader(resp.stream, MaxJWKSBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > MaxJWKSBytes {
		return nil, fmt.Errorf("the key set at %s is larger than 1 MiB, the most byova reads: check the JWKS URL", jwksURL)
	}
	// Count the keys before go-jose parses each one (an RSA key costs a big-int decode).
	var outline struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &outline); err != nil {
		return nil, fmt.Errorf("the JWKS at %s is not JSON: %w", jwksURL, err)
	}
	if len(outline.Keys) > MaxJWKSKeys {
		return nil, fmt.Errorf("the key set at %s has %d keys, more than the %d byova accepts: check the JWKS URL", jwksURL, len(outline.Keys), MaxJWKSKeys)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("the JWKS at %s is not JSON: %w", jwksURL, err)
	}
	return &set, nil
}
