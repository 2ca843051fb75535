package api_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/byova/byova/api"
)

// keySetServer serves write's body at a loopback URL; each answer's byte count, once written
// (or cut off), goes to the channel.
func keySetServer(t *testing.T, write func(w http.ResponseWriter, r *http.Request) int64) (string, <-chan int64) {
	t.Helper()
	sent := make(chan int64, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		n := write(w, r)
		select {
		case sent <- n:
		default:
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + api.JWKSPath, sent
}

func jwksOf(keys ...jose.JSONWebKey) []byte {
	b, err := json.Marshal(jose.JSONWebKeySet{Keys: keys})
	if err != nil {
		panic(err)
	}
	return b
}

func staticKeySet(t *testing.T, body []byte) string {
	u, _ := keySetServer(t, func(w http.ResponseWriter, _ *http.Request) int64 {
		n, _ := w.Write(body)
		return int64(n)
	})
	return u
}

// signedDataSource is a data source registered with lifetime minutes whose token, signed by
// key, was issued at iat and expires at exp.
func signedDataSource(t *testing.T, key *rsa.PrivateKey, kid string, lifetime int, iat, exp time.Time) *api.DataSource {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: kid}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	claims, _ := json.Marshal(map[string]any{
		"iss": "https://idbroker.webex.com/idb", "aud": "aud-1", "sub": "sub-1",
		"iat": iat.Unix(), "exp": exp.Unix(), "jti": "j",
		"com.cisco.datasource.url":         "https://ds.example/va",
		"com.cisco.datasource.schema.uuid": "78efc775-dccb-45ca-9acf-989a4a59f788",
	})
	sig, err := signer.Sign(claims)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := sig.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(map[string]any{
		"id": "ds-1", "schemaId": "78efc775-dccb-45ca-9acf-989a4a59f788", "url": "https://ds.example/va",
		"audience": "aud-1", "subject": "sub-1", "tokenLifetimeMinutes": lifetime, "jwsToken": tok,
	})
	var d api.DataSource
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	return &d
}

func plainClient(t *testing.T) *api.Client {
	t.Helper()
	c, err := api.New(api.Options{BaseURL: "http://127.0.0.1:1/v1"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Made once, on first use: key generation is the slow part of these tests.
var (
	key1024 = sync.OnceValue(func() *rsa.PrivateKey { return mustKey(1024) })
	key2048 = sync.OnceValue(func() *rsa.PrivateKey { return mustKey(2048) })
)

func mustKey(bits int) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		panic(err)
	}
	return k
}

func publicJWK(k *rsa.PrivateKey, kid string) jose.JSONWebKey {
	return jose.JSONWebKey{Key: &k.PublicKey, KeyID: kid, Algorithm: "RS256", Use: "sig"}
}

// TestVerifyRefusesWeakKeysAndOverlongTokens: a token signed with a 1024-bit key, or living
// longer than its registered lifetime (plus a minute), does not pass; a proper one does.
func TestVerifyRefusesWeakKeysAndOverlongTokens(t *testing.T) {
	now := time.Now()
	iat := now.Add(-time.Minute)
	u := staticKeySet(t, jwksOf(publicJWK(key1024(), "weak"), publicJWK(key2048(), "strong")))
	c := plainClient(t)
	for _, tc := range []struct {
		name     string
		key      *rsa.PrivateKey
		kid      string
		lifetime int
		exp      time.Time
		want     string // "" passes
	}{
		{"a 2048-bit key, 60 minutes", key2048(), "strong", 60, iat.Add(60 * time.Minute), ""},
		{"one minute of slack", key2048(), "strong", 60, iat.Add(61 * time.Minute), ""},
		{"a 1024-bit key", key1024(), "weak", 60, iat.Add(60 * time.Minute), "key strength: key \"weak\" is a 1024-bit RSA key"},
		{"61 minutes and a second", key2048(), "strong", 60, iat.Add(61*time.Minute + time.Second), "lifetime: exp - iat is 62 minutes, longer than the registered tokenLifetimeMinutes 60"},
		{"ten years on a 60-minute source", key2048(), "strong", 60, iat.AddDate(10, 0, 0), "longer than the registered tokenLifetimeMinutes 60"},
		{"no registered lifetime", key2048(), "strong", 0, iat.Add(60 * time.Minute), "Webex sent no registered tokenLifetimeMinutes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := signedDataSource(t, tc.key, tc.kid, tc.lifetime, iat, tc.exp)
			v := api.VerifyDataSource(ctx(t), c, api.NewKeySet(u), d, now)
			switch {
			case tc.want == "" && !v.OK:
				t.Fatalf("refused: %s", v.Reason)
			case tc.want != "" && (v.OK || !strings.Contains(v.Reason, tc.want)):
				t.Fatalf("OK %v, reason %q; want a refusal naming %q", v.OK, v.Reason, tc.want)
			}
		})
	}
}

// TestFetchJWKSCapsTheBody: a key set over 1 MiB — 50 MB of it, or one that never ends — is
// an error naming the limit, reached by the limit and not by the 30 s deadline, and what was
// read stays near the limit.
func TestFetchJWKSCapsTheBody(t *testing.T) {
	chunk := []byte(strings.Repeat(" ", 32<<10))
	for _, tc := range []struct {
		name  string
		total int64 // < 0: endless
	}{
		{"50 MB", 50 << 20},
		{"endless", -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, sent := keySetServer(t, func(w http.ResponseWriter, r *http.Request) int64 {
				n, _ := w.Write([]byte(`{"keys":[`))
				written := int64(n)
				for tc.total < 0 || written < tc.total {
					if r.Context().Err() != nil {
						break
					}
					n, err := w.Write(chunk)
					written += int64(n)
					if err != nil {
						break
					}
				}
				return written
			})
			c := plainClient(t)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := c.FetchJWKS(ctx(t), u)
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), "larger than 1 MiB") {
				t.Fatalf("err %v; want one naming the 1 MiB limit", err)
			}
			if grown := after.TotalAlloc - before.TotalAlloc; grown > 16<<20 {
				t.Errorf("reading the key set allocated %d MiB; the cap is 1 MiB", grown>>20)
			}
			// The server's writes fail once the client has hung up: what it got out is what
			// the client read plus the sockets' buffers, far below the 50 MB.
			select {
			case n := <-sent:
				if n >= 50<<20 {
					t.Errorf("the server wrote all %d bytes: the client read the whole body", n)
				}
			case <-ctx(t).Done():
				t.Fatal("the server is still writing: the client did not hang up")
			}
		})
	}
}

// TestFetchJWKSCapsTheKeys: MaxJWKSKeys keys load; one more is an error naming the limit.
func TestFetchJWKSCapsTheKeys(t *testing.T) {
	set := func(n int) []byte {
		keys := make([]jose.JSONWebKey, n)
		for i := range keys {
			keys[i] = publicJWK(key2048(), fmt.Sprintf("k%d", i))
		}
		return jwksOf(keys...)
	}
	c := plainClient(t)
	got, err := c.FetchJWKS(ctx(t), staticKeySet(t, set(api.MaxJWKSKeys)))
	if err != nil || len(got.Keys) != api.MaxJWKSKeys {
		t.Fatalf("%d keys: %v", api.MaxJWKSKeys, err)
	}
	_, err = c.FetchJWKS(ctx(t), staticKeySet(t, set(api.MaxJWKSKeys+1)))
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("has %d keys, more than the %d byova accepts", api.MaxJWKSKeys+1, api.MaxJWKSKeys)) {
		t.Fatalf("%d keys: %v; want an error naming the limit", api.MaxJWKSKeys+1, err)
	}
}
