package webexfake

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"
)

// JWKSPath is where the fake publishes its verification keys (Webex: idbroker.webex.com/idb/…).
const JWKSPath = "/idb/oauth2/v2/keys/verificationjwk"

const jwsIssuer = "https://idbroker.webex.com/idb"

// signingKey is one RSA key per process: Webex signs every data source's JWS with the same
// key set, and generating a 2048-bit key costs ~50 ms, which every test would otherwise pay.
var signingKey = sync.OnceValues(newKeyPair)

// newKeyPair makes an RS256 key with a fresh kid (~50 ms).
func newKeyPair() (*keyPair, error) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("generate JWS key: %w", err)
	}
	kid := uuid.NewString()
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: priv, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return nil, fmt.Errorf("JWS signer: %w", err)
	}
	pub := jose.JSONWebKey{Key: &priv.PublicKey, KeyID: kid, Algorithm: string(jose.RS256), Use: "sig"}
	return &keyPair{kid: kid, signer: signer, public: pub}, nil
}

type keyPair struct {
	kid    string
	signer jose.Signer // safe for concurrent use: Sign only reads the signer's state
	public jose.JSONWebKey
}

// jwsClaims is what Webex puts in a data source's token (spec §9.1).
type jwsClaims struct {
	Iss    string `json:"iss"`
	Aud    string `json:"aud"`
	Sub    string `json:"sub"`
	Iat    int64  `json:"iat"`
	Exp    int64  `json:"exp"`
	Jti    string `json:"jti"`
	URL    string `json:"com.cisco.datasource.url"`
	Schema string `json:"com.cisco.datasource.schema.uuid"`
	Org    string `json:"com.cisco.org.uuid"`
}

// jwsToken is a data source's token, signed on first use and then cached.
//
// Signing is lazy because an RSA-2048 signature costs ~0.9 ms (measured on the 2-vCPU build
// machine, where two goroutines sign no faster than one): signing 10,000 seeded data sources
// eagerly would take ~9 s, while New with 10,000 takes ~15 ms this way. A token is signed
// when it is first shown — a list page signs its unsigned items on all cores (signAll) — and
// never again until a PUT replaces it. Presign pays the whole cost up front when wanted.
type jwsToken struct {
	claims  jwsClaims
	key     *keyPair // nil: the process-wide signingKey
	forged  bool     // the signature is made not to verify (control surface: mint-bad-signature)
	cheap   bool     // Options.CheapSignatures: a signature-sized stand-in, not RSA's (cheapSign)
	once    sync.Once
	compact string
}

func newJWSToken(c jwsClaims, key *keyPair) *jwsToken { return &jwsToken{claims: c, key: key} }

// String returns the compact token, signing it on first use.
func (t *jwsToken) String() string {
	t.sign()
	return t.compact
}

func (t *jwsToken) sign() {
	t.once.Do(func() {
		key := t.key
		if key == nil {
			var err error
			if key, err = signingKey(); err != nil {
				panic(err) // key generation only fails when the platform has no randomness
			}
		}
		payload, err := json.Marshal(t.claims)
		if err != nil {
			panic(err)
		}
		if t.cheap {
			t.compact = cheapSign(key.kid, payload)
			return
		}
		obj, err := key.signer.Sign(payload)
		if err != nil {
			panic(fmt.Sprintf("webexfake: sign JWS: %v", err))
		}
		t.compact, err = obj.CompactSerialize()
		if err != nil {
			panic(fmt.Sprintf("webexfake: serialize JWS: %v", err))
		}
		if t.forged {
			t.compact = forgeSignature(t.compact)
		}
	})
}

// signAll signs the tokens of a list page on all cores before the page is written.
func signAll(tokens []*jwsToken) {
	if len(tokens) < 8 {
		for _, t := range tokens {
			t.sign()
		}
		return
	}
	workers := min(runtime.GOMAXPROCS(0), len(tokens))
	next := make(chan *jwsToken)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for t := range next {
				t.sign()
			}
		})
	}
	for _, t := range tokens {
		next <- t
	}
	close(next)
	wg.Wait()
}

// Presign signs every data source token that has not been signed yet, on all cores, so that
// later list calls are not charged for it (~1 ms per token). Benchmarks call it before their
// timer starts; `fake serve` may run it in the background.
func (s *Server) Presign() {
	s.mu.Lock()
	tokens := make([]*jwsToken, 0, len(s.dsOrder))
	for _, d := range s.dsOrder {
		tokens = append(tokens, d.token)
	}
	s.mu.Unlock()
	signAll(tokens)
}

// cheapSign is a compact JWS with the header and payload RS256 would have and 256 bytes in
// place of the signature, derived from the payload: the same size on the wire and the same
// work for a client that decodes the claims, without the ~1 ms of RSA per token that makes a
// 100,000-source list take minutes to serve the first time. It does not verify.
func cheapSign(kid string, payload []byte) string {
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "kid": kid, "typ": "JWT"})
	sig := make([]byte, 0, 256)
	sum := sha256.Sum256(payload)
	for len(sig) < 256 {
		sig = append(sig, sum[:]...)
		sum = sha256.Sum256(sum[:])
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString(header) + "." + enc.EncodeToString(payload) + "." + enc.EncodeToString(sig[:256])
}

// forgeSignature flips bits in the first signature byte: the header (kid) and claims stay
// genuine, only the signature fails, which is what a verifier must catch.
func forgeSignature(compact string) string {
	i := strings.LastIndexByte(compact, '.')
	sig, err := base64.RawURLEncoding.DecodeString(compact[i+1:])
	if i < 0 || err != nil || len(sig) == 0 {
		return compact + "x"
	}
	sig[0] ^= 0xff
	return compact[:i+1] + base64.RawURLEncoding.EncodeToString(sig)
}

// currentKey is the key new tokens are signed with; s.mu must be held.
func (s *Server) currentKey() *keyPair {
	if len(s.keys) == 0 {
		return nil // the process-wide key
	}
	return s.keys[0]
}

// RotateKey makes a new signing key: tokens minted from now on carry its kid, and the JWKS
// publishes it first and keeps the previous key, so tokens already issued still verify.
func (s *Server) RotateKey() (kid string, err error) {
	next, err := newKeyPair()
	if err != nil {
		return "", err
	}
	base, err := signingKey()
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	prev := base
	if len(s.keys) > 0 {
		prev = s.keys[0]
	}
	s.keys = []*keyPair{next, prev}
	return next.kid, nil
}

func (s *Server) handleJWKS(w http.ResponseWriter, _ *http.Request, _ []byte) {
	base, err := signingKey()
	if err != nil {
		writeError(w, newError(http.StatusInternalServerError, ""))
		return
	}
	s.mu.Lock()
	keys := append([]*keyPair(nil), s.keys...)
	s.mu.Unlock()
	if len(keys) == 0 {
		keys = []*keyPair{base}
	}
	set := jose.JSONWebKeySet{}
	for _, k := range keys {
		set.Keys = append(set.Keys, k.public)
	}
	body, err := json.Marshal(set)
	if err != nil {
		writeError(w, newError(http.StatusInternalServerError, ""))
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	_, _ = w.Write(body)
}
