package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// viaDecode is a list body's items the way `get --json` writes a data source: decoded, with
// what the token says filled in, marshalled by encoding/json as printJSON does.
func viaDecode(body string) ([]string, error) {
	var out []string
	_, err := decodeItems(strings.NewReader(body), "/dataSources", nil, "data sources", 0, func(w *dataSourceWire) error {
		d := w.dataSource()
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(&d); err != nil {
			return err
		}
		out = append(out, strings.TrimSuffix(b.String(), "\n"))
		return nil
	})
	return out, err
}

// viaList is the same body's items as EachDataSourceJSON writes them, nonce through mask:
// decoded into a reused batch (its strings in the batch's block), then marshalled.
func viaList(body string, mask func(string) string) ([]string, error) {
	var buf bytes.Buffer
	var out []string
	batch := newJSONBatch()
	_, err := readItems(strings.NewReader(body), "/dataSources", nil, "data sources", 0, func(dec *jsontext.Decoder) error {
		if len(batch.items) == cap(batch.items) {
			batch.reset()
		}
		if err := batch.decode(dec); err != nil {
			return err
		}
		d := batch.items[len(batch.items)-1].dataSource()
		b, err := dataSourceJSON(&buf, &d, mask)
		if err != nil {
			return err
		}
		out = append(out, string(b))
		return nil
	})
	return out, err
}

// tokens is a JSON text as its tokens (names and strings decoded, numbers as written), so
// two texts that differ only in how a string is escaped compare equal.
func tokens(t *testing.T, s string) []string {
	t.Helper()
	dec := jsontext.NewDecoder(strings.NewReader(s), jsontext.AllowInvalidUTF8(true), jsontext.AllowDuplicateNames(true))
	var out []string
	for {
		tok, err := dec.ReadToken()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("not JSON: %v\n%s", err, s)
		}
		switch tok.Kind() {
		case jsontext.KindString:
			out = append(out, fmt.Sprintf("%q", strings.ToValidUTF8(tok.String(), "\uFFFD")))
		case jsontext.KindNumber:
			out = append(out, tok.String())
		default:
			out = append(out, tok.Kind().String())
		}
	}
}

// sameItems checks that the list writes what `get --json` writes, item by item, and fails
// where it does.
func sameItems(t *testing.T, body string) {
	t.Helper()
	want, wantErr := viaDecode(body)
	got, gotErr := viaList(body, nil)
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("body %q:\n get:  %v\n list: %v", body, wantErr, gotErr)
	}
	if wantErr != nil {
		if wantErr.Error() != gotErr.Error() {
			t.Fatalf("body %q: errors differ:\n get:  %v\n list: %v", body, wantErr, gotErr)
		}
		return
	}
	if len(got) != len(want) {
		t.Fatalf("body %q: %d items listed, %d by get", body, len(got), len(want))
	}
	for i := range want {
		w, g := tokens(t, want[i]), tokens(t, got[i])
		if strings.Join(w, " ") != strings.Join(g, " ") {
			t.Fatalf("body %q item %d:\n get:  %s\n list: %s", body, i, want[i], got[i])
		}
	}
}

// jwsWith is a compact JWS (unsigned) whose payload is claims.
func jwsWith(claims string) string {
	return "eyJhbGciOiJSUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(claims)) + ".c2ln"
}

func TestDataSourceJSONIsWhatGetWrites(t *testing.T) {
	tok := jwsWith(`{"aud":"va-bot","sub":"callAudioData","iat":1764380000,"exp":1764383600,` +
		`"com.cisco.datasource.url":"https://va.example.com/grpc","com.cisco.datasource.schema.uuid":"5d85cc47",` +
		`"com.cisco.org.uuid":"da940bfe"}`)
	for name, item := range map[string]string{
		"as Webex lists it":      `{"id":"a","status":"active","schemaId":"s","orgId":"o","applicationId":"C1","jwsToken":"` + tok + `","createdBy":"p","createdAt":"2026-10-20T01:02:19.925Z","url":"https://x","errorMessage":"","updatedAt":"2026-11-29T22:02:19.925Z"}`,
		"everything from token":  `{"id":"a","jwsToken":"` + tok + `"}`,
		"jwtToken alias":         `{"id":"a","jwtToken":"` + tok + `"}`,
		"both token names":       `{"id":"a","jwtToken":"x.e30.y","jwsToken":"` + tok + `"}`,
		"schemaId list":          `{"id":"a","schemaId":["s1","s2"],"jwsToken":"` + tok + `"}`,
		"schemaId empty list":    `{"id":"a","schemaId":[],"jwsToken":"` + tok + `"}`,
		"lifetime string":        `{"id":"a","tokenLifetimeMinutes":" 60 "}`,
		"lifetime float":         `{"id":"a","tokenLifetimeMinutes":60.9}`,
		"lifetime zero":          `{"id":"a","tokenLifetimeMinutes":0,"jwsToken":"` + tok + `"}`,
		"lifetime kept":          `{"id":"a","tokenLifetimeMinutes":1440,"jwsToken":"` + tok + `"}`,
		"lifetime negative":      `{"id":"a","tokenLifetimeMinutes":-5}`,
		"lifetime huge":          `{"id":"a","tokenLifetimeMinutes":99999999999}`,
		"expiry sent, other tz":  `{"id":"a","tokenExpiryTime":"2026-11-29T23:02:19+01:00"}`,
		"expiry sent, bad":       `{"id":"a","tokenExpiryTime":"soon","jwsToken":"` + tok + `"}`,
		"expiry sent, escaped":   `{"id":"a","tokenExpiryTime":"2026-11-29T22:02:19\u002e925Z"}`,
		"escaped name":           `{"\u0069d":"a","\u0075rl":"u"}`,
		"escaped token":          `{"id":"a","jwsToken":"` + strings.Replace(tok, ".", `\u002e`, 1) + `"}`,
		"escaped values":         `{"id":"a\"b","audience":"\u001b[2J","subject":"\u009b31m"}`,
		"raw C1 and bidi":        "{\"id\":\"a\",\"audience\":\"\u202ex\u009b\"}",
		"invalid UTF-8":          "{\"id\":\"a\",\"audience\":\"\xff\xfe\",\"url\":\"u\xc3\"}",
		"nulls":                  `{"id":null,"url":null,"audience":null,"tokenLifetimeMinutes":null,"jwsToken":null,"schemaId":null}`,
		"no id":                  `{"url":"u"}`,
		"empty object":           `{}`,
		"duplicates":             `{"id":"a","id":"b","url":"u1","url":"u2"}`,
		"duplicate, unusual 1st": `{"id":"a","schemaId":["x"],"schemaId":"y"}`,
		"unknown fields":         `{"id":"a","extra":{"deep":[1,2,{"x":null}]},"more":true}`,
		"wrong type":             `{"id":"a","url":5}`,
		"wrong type, then fixed": `{"id":"a","url":5,"url":"u"}`,
		"wrong id type":          `{"id":7}`,
		"bad token":              `{"id":"a","jwsToken":"not-a-jws","audience":""}`,
		"token, claims not JSON": `{"id":"a","jwsToken":"x.` + base64.RawURLEncoding.EncodeToString([]byte("{")) + `.y"}`,
		"aud list":               `{"id":"a","jwsToken":"` + jwsWith(`{"aud":["a","b"],"exp":100,"iat":40}`) + `"}`,
		"short lifetime":         `{"id":"a","jwsToken":"` + jwsWith(`{"exp":100,"iat":70}`) + `"}`,
		"hostile claims":         `{"id":"a","jwsToken":"` + jwsWith("{\"aud\":\"\x1b]52;c;x\x07\",\"sub\":\"\u202e\"}") + `"}`,
	} {
		t.Run(name, func(t *testing.T) {
			sameItems(t, `{"items":[`+item+`,`+item+`]}`)
		})
	}
}

// Whatever Webex sends, `ds list --json` writes what `get --json` does.
func FuzzDataSourceJSON(f *testing.F) {
	tok := jwsWith(`{"aud":"va-bot","sub":"s","iat":1764380000,"exp":1764383600,"com.cisco.org.uuid":"o"}`)
	f.Add(`{"items":[{"id":"a","jwsToken":"` + tok + `","schemaId":["s"],"tokenLifetimeMinutes":"60"}]}`)
	f.Add(`{"items":[{"id":"a","url":"u","url":5,"tokenExpiryTime":"2026-11-29T23:02:19+01:00"}]}`)
	f.Add(`{"items":[{"\u0069d":"a","jwtToken":"` + tok + `","tokenLifetimeMinutes":60}]}`)
	f.Add(`{"items":[{"id":null},{}]}`)
	f.Fuzz(func(t *testing.T, body string) { sameItems(t, body) })
}

// The nonce is a secret: written as the mask makes it, however it was sent, and nothing else
// changes.
func TestDataSourceJSONMasksTheNonce(t *testing.T) {
	mask := func(s string) string { return "masked(" + s + ")" }
	for _, item := range []string{
		`{"id":"a","nonce":"n-123","url":"u"}`,
		`{"id":"a","nonce":"n\u002d123","url":"u"}`, // escaped
		`{"id":"a","nonce":"n-123","tokenLifetimeMinutes":"60"}`,
		`{"id":"a","nonce":"","url":"u"}`, `{"id":"a","nonce":null}`, // none to mask
	} {
		items, err := viaList(`{"items":[`+item+`]}`, mask)
		if err != nil || len(items) != 1 {
			t.Fatal(items, err)
		}
		got := items[0]
		var d struct {
			Nonce *string `json:"nonce"`
			URL   string  `json:"url"`
		}
		if err := jsonv2.Unmarshal([]byte(got), &d); err != nil {
			t.Fatal(err)
		}
		hasNonce := strings.Contains(item, "n-123") || strings.Contains(item, `n\u002d123`)
		switch {
		case hasNonce && (d.Nonce == nil || *d.Nonce != "masked(n-123)"):
			t.Errorf("%s: nonce written %v, want masked(n-123): %s", item, d.Nonce, got)
		case !hasNonce && d.Nonce != nil:
			t.Errorf("%s: an empty nonce is left out, as DataSource marshals it: %s", item, got)
		}
	}
}

// A token's claims are read one way for a list, for display and for trust: a token the list
// cannot read is not one `get` shows or `verify` trusts, and what they read is the same.
func TestClaimsReadOneWay(t *testing.T) {
	for name, claims := range map[string]string{
		"usual":          `{"aud":"a","sub":"s","iat":1,"exp":61,"com.cisco.org.uuid":"o"}`,
		"aud list":       `{"aud":["a","b"],"exp":61}`,
		"named twice":    `{"sub":"s","exp":61,"exp":99999999999}`,
		"invalid UTF-8":  "{\"sub\":\"\xff\",\"exp\":61}",
		"other case":     `{"SUB":"s","EXP":61}`,
		"not an object":  `[1]`,
		"aud not a text": `{"aud":5}`,
	} {
		t.Run(name, func(t *testing.T) {
			tok := jwsWith(claims)
			var listed Claims
			listErr := peekClaims(tok, &listed)
			shown, showErr := DecodeJWS(tok)
			if (listErr == nil) != (showErr == nil) {
				t.Fatalf("list: %v; get: %v", listErr, showErr)
			}
			if listErr != nil {
				return
			}
			if listed.Subject != shown.Claims.Subject || listed.Expiry != shown.Claims.Expiry || listed.Audience.String() != shown.Claims.Audience.String() {
				t.Fatalf("list read %+v, get %+v", listed, shown.Claims)
			}
			if got := string(shown.Claims.Raw["exp"]); strings.Contains(claims, `"exp":61`) && got != "61" {
				t.Fatalf("raw exp %q, want 61 as sent", got)
			}
		})
	}
}

// A streamed list reuses its batches, strings and all: every item still comes out as get
// writes it, whatever its strings' sizes (block grown, block full, a string of its own) and
// however many batches went before it.
func TestEachDataSourceJSONReusedBatchesKeepEachItem(t *testing.T) {
	tok := jwsWith(`{"aud":"va-bot","sub":"callAudioData","iat":1764380000,"exp":1764383600}`)
	var body strings.Builder
	body.WriteString(`{"items":[`)
	for i := range 700 {
		if i > 0 {
			body.WriteString(",")
		}
		// Sizes from none to past a batch store's own-allocation size, so a batch's block grows, fills up and hands
		// some strings their own allocation; each item's text is its own.
		msg := strings.Repeat(string(rune('a'+i%26)), (i*977)%(newBatchStrStore().own+4000))
		fmt.Fprintf(&body, `{"id":"ds-%04d","url":"https://va%d.example.com","errorMessage":%q,"nonce":"n-%d-%s","jwsToken":%q,"schemaId":["s%d"]}`,
			i, i%7, msg, i, strings.Repeat("x", i%40), tok, i)
	}
	body.WriteString(`]}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body.String())
	}))
	defer srv.Close()
	c, err := New(Options{BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	want, err := viaDecode(body.String())
	if err != nil || len(want) != 700 {
		t.Fatalf("%d items decoded: %v", len(want), err)
	}
	i := 0
	err = c.EachDataSourceJSON(t.Context(), nil, func(item []byte) error {
		if w, g := tokens(t, want[i]), tokens(t, string(item)); strings.Join(w, " ") != strings.Join(g, " ") {
			return fmt.Errorf("item %d:\n get:  %.300s\n list: %.300s", i, want[i], item)
		}
		i++
		return nil
	})
	if err != nil || i != 700 {
		t.Fatalf("%d items listed: %v", i, err)
	}
}
