package api

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-jose/go-jose/v4"
)

// The fuzz targets feed untrusted input (Webex's bodies and headers, tokens) to the parsers:
// none may panic, and each keeps the invariant its callers rely on. Seeds live in
// testdata/fuzz/<target>; `go test -fuzz FuzzX ./api/` explores further.

func FuzzDecodeJWS(f *testing.F) {
	f.Add("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4IiwiZXhwIjoxfQ.c2ln")
	f.Add("a.b.c")
	f.Add("..")
	f.Fuzz(func(t *testing.T, token string) {
		d, err := DecodeJWS(token)
		if (d == nil) == (err == nil) {
			t.Fatalf("DecodeJWS(%q) = %v, %v: want a result or an error", token, d, err)
		}
		// Never trusted without a key: an empty key set verifies nothing.
		if _, err := VerifyJWS(token, &jose.JSONWebKeySet{}, time.Unix(0, 0)); err == nil {
			t.Fatalf("VerifyJWS(%q) with no keys succeeded", token)
		}
		// A data source carrying an unreadable token says so rather than showing blanks.
		ds := DataSource{ID: "x", JWSToken: token}
		ds.normalize()
		if token != "" && (peekClaims(token, &Claims{}) != nil) != (ds.TokenProblem() != "") {
			t.Fatalf("token %q: TokenProblem %q disagrees with the claims peek", token, ds.TokenProblem())
		}
	})
}

func FuzzErrorBody(f *testing.F) {
	f.Add(400, `{"message":"Unknown resource: bogus. Unknown event: whatever.","errors":[{"description":"Unknown resource: bogus."}],"trackingId":"T"}`)
	f.Add(502, "<html><body>Bad Gateway</body></html>")
	f.Add(429, `{"errors":null}`)
	f.Add(0, "")
	f.Fuzz(func(t *testing.T, status int, body string) {
		h := http.Header{}
		h.Set("Retry-After", body)
		e := newError(http.MethodGet, "/dataSources", status, h, []byte(body))
		msg := e.Error()
		if msg == "" {
			t.Fatal("empty error text")
		}
		if e.Body != "" && utf8.RuneCountInString(e.Body) > maxErrorText+1 {
			t.Fatalf("raw body kept at %d runes, more than the %d cut", utf8.RuneCountInString(e.Body), maxErrorText)
		}
		for i, d := range e.Details {
			if d == "" || strings.Contains(e.Message, d) {
				t.Fatalf("detail %q is empty or repeats the message %q", d, e.Message)
			}
			for _, o := range e.Details[:i] {
				if o == d {
					t.Fatalf("detail %q twice", d)
				}
			}
		}
		if e.RetryAfter < 0 {
			t.Fatalf("negative RetryAfter %v", e.RetryAfter)
		}
		_ = e.Hint()
	})
}

func FuzzLinkHeader(f *testing.F) {
	f.Add(`<https://webexapis.com/v1/dataSources?max=2&after=Y2l>; rel="next"`)
	f.Add(`<https://x/p?a=1,b>; rel="prev first", </v1/dataSources?p=2>; REL=next`)
	f.Add(`<https://evil.example/steal>; rel="next"`)
	f.Add(`<<>>,;rel=next`)
	base, _ := url.Parse("https://webexapis.com/v1")
	c := &Client{base: base, baseStr: base.String()}
	f.Fuzz(func(t *testing.T, v string) {
		h := http.Header{}
		h.Add("Link", v)
		link := nextLink(h)
		if link != "" && (!strings.Contains(v, link) || strings.Contains(link, ">")) {
			t.Fatalf("nextLink(%q) = %q: not a <…> target of the header", v, link)
		}
		next, err := c.nextPage("/dataSources", h)
		if err == nil && next != "" {
			u, perr := url.Parse(next)
			if perr != nil || u.Scheme != base.Scheme || u.Host != base.Host {
				t.Fatalf("next page %q leaves %s: the token would go there", next, base.Host)
			}
		}
	})
}

func FuzzRetryAfter(f *testing.F) {
	f.Add("3")
	f.Add("99999999999999999")
	f.Add("999999999999999999999999")
	f.Add("Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add("-1")
	f.Add("")
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := parseRetryAfter(v, now)
		if d < 0 {
			t.Fatalf("parseRetryAfter(%q) = %v: a negative wait retries at once", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("parseRetryAfter(%q) = %v but not ok", v, d)
		}
		if s := strings.TrimSpace(v); s != "" && strings.Trim(s, "0123456789") == "" && !ok {
			t.Fatalf("parseRetryAfter(%q): delay-seconds refused", v)
		}
	})
}

func FuzzListBody(f *testing.F) {
	f.Add(`{"items":[{"id":"a","schemaId":["s"],"tokenLifetimeMinutes":"60","jwsToken":"a.e30.c"}]}`)
	f.Add(`{"items":[]}`)
	f.Add(`{"items":[null]}`)
	f.Add(`null`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, body string) {
		calls := 0
		n, err := decodeItems(strings.NewReader(body), "/dataSources", nil, "data sources", 0, func(w *dataSourceWire) error {
			calls++
			_ = w.dataSource()
			return nil
		})
		if n != calls {
			t.Fatalf("decodeItems counted %d items but handed over %d", n, calls)
		}
		if err == nil && strings.TrimSpace(body) == "" {
			t.Fatal("an empty body decoded as a list")
		}
		var re *ReplyError
		if errors.As(err, &re) && !errors.Is(err, ErrBadReply) {
			t.Fatal("a ReplyError that is not ErrBadReply")
		}
	})
}
