package api

import (
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// peekToken is a compact JWS whose payload is claims (the signature is not read by peekClaims).
func peekToken(claims string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(claims)) + ".c2ln"
}

// TestPeekClaimsOwnsWhatItReads: peekClaims reuses its payload buffers, so the claims of one
// token must not change when the next ones (shorter, longer, outsized, on other goroutines)
// are read into the same buffers.
func TestPeekClaimsOwnsWhatItReads(t *testing.T) {
	claims := func(i int) string {
		pad := strings.Repeat("p", (i*97)%(maxPooledPayload+512)) // some past the pooled size
		return fmt.Sprintf(`{"sub":"sub-%d-%s","aud":"aud-%d","com.cisco.datasource.url":"https://h%d.example/x","exp":%d}`, i, pad, i, i, 1000+i)
	}
	const n = 400
	got := make([]Claims, n)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < n; i += 4 {
				if err := peekClaims(peekToken(claims(i)), &got[i]); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for i, c := range got {
		pad := strings.Repeat("p", (i*97)%(maxPooledPayload+512))
		if c.Subject != fmt.Sprintf("sub-%d-%s", i, pad) || c.Audience.String() != fmt.Sprintf("aud-%d", i) ||
			c.URL != fmt.Sprintf("https://h%d.example/x", i) || c.Expiry != int64(1000+i) {
			t.Fatalf("token %d read as sub %.20q aud %q url %q exp %d: another token's bytes", i, c.Subject, c.Audience.String(), c.URL, c.Expiry)
		}
	}
}
