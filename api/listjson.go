package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"strconv"
	"sync/atomic"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// EachDataSourceJSON hands fn each data source of the list as the JSON `get --json` writes
// for it: the fields, their order and the values derived from the token (audience, subject,
// url, schemaId, orgId, lifetime, tokenExpiryTime) are those of json.Marshal of the
// DataSource. It is built from the bytes on the wire: a field in its usual form is copied as
// sent and only the token's claims are decoded, so a big org costs little more than reading
// it. An item in another form (schemaId as a list, a lifetime as a string, …) takes the full
// decode. Strings are copied as sent, so they may hold C1 or bidi runes and invalid UTF-8:
// write them through safetext.JSONWriter, as for any JSON. The nonce, a secret, is written as
// mask makes it (nil: as sent). fn is called on a goroutine of its own, one item at a time
// and in the list's order, and is done when this returns; its argument is valid only during
// the call.
func (c *Client) EachDataSourceJSON(ctx context.Context, mask func(secret string) string, fn func(item []byte) error) error {
	// Two stages, so reading the wire and building the items share the work on two cores:
	// this goroutine scans each item's fields off the wire into a batch; a builder turns
	// batches into items, in order, and hands them to fn. A few batches are reused, so memory
	// stays flat.
	const batchLen, batches = 128, 3
	free, full := make(chan []dsFields, batches), make(chan []dsFields, batches)
	for range batches {
		free <- make([]dsFields, 0, batchLen)
	}
	var stop atomic.Bool
	built := make(chan error, 1)
	go func() {
		b := dsBuilder{mask: mask}
		var err error
		for items := range full {
			for i := 0; err == nil && i < len(items); i++ {
				var item []byte
				if item, err = b.build(&items[i]); err == nil {
					err = fn(item)
				} else {
					err = notJSONList(dataSourcesPath, err)
				}
			}
			if err != nil {
				stop.Store(true)
			}
			free <- items[:0]
		}
		built <- err
	}()
	var sc dsScanner
	cur := <-free
	err := eachItemWith(ctx, c, dataSourcesPath, nil, "data sources", func(dec *jsontext.Decoder) error {
		if stop.Load() {
			return errBuildStopped
		}
		cur = cur[:len(cur)+1]
		if err := sc.scan(dec, &cur[len(cur)-1]); err != nil {
			cur = cur[:len(cur)-1] // half read
			return err
		}
		if len(cur) == cap(cur) {
			full <- cur
			cur = <-free
		}
		return nil
	})
	if len(cur) > 0 { // the items read before an error are handed over too, as in EachDataSource
		full <- cur
	}
	close(full)
	if berr := <-built; berr != nil {
		return berr // the builder is behind the scan: its error is about an earlier item
	}
	return err
}

// errBuildStopped ends the scan when the builder has failed (its error is the one returned).
var errBuildStopped = errors.New("stopped: building an item failed")

// The fields of a data source as DataSource marshals them, in its order.
const (
	fID = iota
	fSchemaID
	fURL
	fAudience
	fSubject
	fNonce
	fLifetime
	fStatus
	fErrorMessage
	fOrgID
	fApplicationID
	fJWSToken
	fCreatedBy
	fCreatedAt
	fUpdatedBy
	fUpdatedAt
	fTokenExpiryTime
	fJWTToken // read only: an alias of jwsToken
	fieldCount
)

var dsFieldNames = [fieldCount]string{"id", "schemaId", "url", "audience", "subject", "nonce", "tokenLifetimeMinutes",
	"status", "errorMessage", "orgId", "applicationId", "jwsToken", "createdBy", "createdAt", "updatedBy", "updatedAt",
	"tokenExpiryTime", "jwtToken"}

// dsField is the field a (raw, unescaped) name is, or -1.
func dsField(name []byte) int {
	switch string(name) {
	case "id":
		return fID
	case "schemaId":
		return fSchemaID
	case "url":
		return fURL
	case "audience":
		return fAudience
	case "subject":
		return fSubject
	case "nonce":
		return fNonce
	case "tokenLifetimeMinutes":
		return fLifetime
	case "status":
		return fStatus
	case "errorMessage":
		return fErrorMessage
	case "orgId":
		return fOrgID
	case "applicationId":
		return fApplicationID
	case "jwsToken":
		return fJWSToken
	case "createdBy":
		return fCreatedBy
	case "createdAt":
		return fCreatedAt
	case "updatedBy":
		return fUpdatedBy
	case "updatedAt":
		return fUpdatedAt
	case "tokenExpiryTime":
		return fTokenExpiryTime
	case "jwtToken":
		return fJWTToken
	}
	return -1
}

// dsFields is one list item's known fields as sent; its buffers are reused from item to item.
type dsFields struct {
	raw   []byte             // the known fields' values as sent, one after another
	at    [fieldCount][2]int // each field's value in raw (start, end); end 0: absent
	seen  [][3]int           // every known field as sent, in order (field, start, end)
	usual bool               // every field is in the form build copies as sent (usualForm)
}

// dsScanner reads items' fields off the wire.
type dsScanner struct {
	name []byte // an escaped name, unescaped
}

// dsBuilder turns items' fields into their JSON, reusing its buffers from item to item.
type dsBuilder struct {
	mask   func(string) string // the nonce as shown (nil: as sent)
	out    []byte              // the item written
	str    []byte              // a string value with escapes, unescaped
	claims tokenClaims
}

// scan reads one item (an object, next in dec) into x.
func (sc *dsScanner) scan(dec *jsontext.Decoder, x *dsFields) error {
	if _, err := dec.ReadToken(); err != nil { // {
		return notJSONErr{err}
	}
	x.raw, x.at, x.seen, x.usual = x.raw[:0], [fieldCount][2]int{}, x.seen[:0], true
	for dec.PeekKind() == jsontext.KindString {
		n, err := dec.ReadValue() // the name, quoted as sent
		if err != nil {
			return notJSONErr{err}
		}
		f := -1
		if name := n[1 : len(n)-1]; bytes.IndexByte(name, '\\') < 0 {
			f = dsField(name)
		} else if sc.name, err = jsontext.AppendUnquote(sc.name[:0], n); err == nil {
			f = dsField(sc.name)
		}
		if f < 0 {
			if err := dec.SkipValue(); err != nil {
				return notJSONErr{err}
			}
			continue
		}
		v, err := dec.ReadValue()
		if err != nil {
			return notJSONErr{err}
		}
		if !usualForm(f, v) {
			x.usual = false
		}
		// A name seen twice: the last value wins, as in a decode.
		start := len(x.raw)
		x.raw = append(x.raw, v...)
		x.at[f] = [2]int{start, len(x.raw)}
		x.seen = append(x.seen, [3]int{f, start, len(x.raw)})
	}
	if _, err := dec.ReadToken(); err != nil { // }
		return notJSONErr{err}
	}
	return nil
}

// build is an item's JSON from its fields.
func (b *dsBuilder) build(x *dsFields) ([]byte, error) {
	if !x.usual {
		return b.decoded(x)
	}
	return b.write(x), nil
}

// usualForm says whether a field's value is in the form write copies as sent: a string or
// null for text (schemaId included), a plain whole number or null for the lifetime.
func usualForm(f int, v jsontext.Value) bool {
	switch v.Kind() {
	case jsontext.KindNull:
		return true
	case jsontext.KindString:
		return f != fLifetime
	case jsontext.KindNumber:
		if f != fLifetime || len(v) > 9 {
			return false
		}
		for _, c := range v {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}
	return false
}

// value is a field's value as sent ("" when absent or null, which a decode leaves empty).
func (x *dsFields) value(f int) []byte {
	a := x.at[f]
	if a[1] == 0 {
		return nil
	}
	v := x.raw[a[0]:a[1]]
	if v[0] == 'n' {
		return nil
	}
	return v
}

// text is a string field's content, unescaped when it has escapes; valid until the next call.
func (b *dsBuilder) text(x *dsFields, f int) []byte {
	v := x.value(f)
	if len(v) < 2 {
		return nil
	}
	if bytes.IndexByte(v, '\\') < 0 {
		return v[1 : len(v)-1]
	}
	b.str, _ = jsontext.AppendUnquote(b.str[:0], v) // invalid UTF-8 is replaced, as a decode does
	return b.str
}

// empty says whether a string field is absent, null or "".
func (x *dsFields) empty(f int) bool {
	v := x.value(f)
	return len(v) <= 2
}

// write builds the item from the fields as sent, deriving what DataSource.normalize derives.
func (b *dsBuilder) write(x *dsFields) []byte {
	tokenField := fJWSToken
	if x.empty(fJWSToken) {
		tokenField = fJWTToken
	}
	c := &b.claims
	peeked := !x.empty(tokenField) && c.peek(b.text(x, tokenField))
	out := append(b.out[:0], '{')
	field := func(f int) {
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(out, '"')
		out = append(out, dsFieldNames[f]...)
		out = append(out, '"', ':')
	}
	// text writes a string field as sent, or else what the token says (a JSON string), if it
	// says something.
	text := func(f int, claim []byte) {
		switch {
		case !x.empty(f):
			field(f)
			out = append(out, x.value(f)...)
		case peeked && len(claim) > 2:
			field(f)
			out = append(out, claim...)
		}
	}
	field(fID)
	if v := x.value(fID); v != nil {
		out = append(out, v...)
	} else {
		out = append(out, '"', '"')
	}
	text(fSchemaID, c.schema)
	text(fURL, c.url)
	text(fAudience, c.aud)
	text(fSubject, c.sub)
	if !x.empty(fNonce) {
		field(fNonce)
		if b.mask == nil {
			out = append(out, x.value(fNonce)...)
		} else {
			out, _ = jsontext.AppendQuote(out, b.mask(string(b.text(x, fNonce))))
		}
	}
	switch v := x.value(fLifetime); {
	case v != nil && string(v) != "0": // omitted when zero, as DataSource marshals it
		field(fLifetime)
		out = append(out, v...)
	case peeked && c.exp > c.iat && c.iat > 0:
		if n := (c.exp - c.iat) / 60; n != 0 {
			field(fLifetime)
			out = strconv.AppendInt(out, n, 10)
		}
	}
	text(fStatus, nil)
	text(fErrorMessage, nil)
	text(fOrgID, c.org)
	text(fApplicationID, nil)
	if !x.empty(tokenField) {
		field(fJWSToken)
		out = append(out, x.value(tokenField)...)
	}
	text(fCreatedBy, nil)
	text(fCreatedAt, nil)
	text(fUpdatedBy, nil)
	text(fUpdatedAt, nil)
	// tokenExpiryTime: one spelling, as normalize writes it.
	if !x.empty(fTokenExpiryTime) {
		field(fTokenExpiryTime)
		if t, err := ParseTime(string(b.text(x, fTokenExpiryTime))); err == nil {
			out = append(out, '"')
			out = t.UTC().AppendFormat(out, TokenExpiryLayout)
			out = append(out, '"')
		} else {
			out = append(out, x.value(fTokenExpiryTime)...)
		}
	} else if peeked && c.exp != 0 {
		field(fTokenExpiryTime)
		out = append(out, '"')
		out = (&Claims{Expiry: c.exp}).ExpiresAt().UTC().AppendFormat(out, TokenExpiryLayout)
		out = append(out, '"')
	}
	out = append(out, '}')
	b.out = out
	return out
}

// tokenClaims are the claims of a data source token that write needs: the text ones as JSON
// strings (nil when absent or null), read with buffers reused from token to token.
type tokenClaims struct {
	aud, sub, url, schema, org []byte
	iat, exp                   int64
	other                      []byte

	buf     []byte // the claims' JSON strings
	payload []byte
	r       bytes.Reader
	dec     *jsontext.Decoder
}

// peek reads the claims as peekClaims does and reports whether that succeeded. Claims in the
// usual form (strings, whole numbers, one audience) are read here; any other form, and any
// error, is left to peekClaims, so the outcome is always its outcome.
func (c *tokenClaims) peek(token []byte) bool {
	if c.peekUsual(token) {
		return true
	}
	var cl Claims
	if peekClaims(string(token), &cl) != nil {
		return false
	}
	c.buf, c.iat, c.exp = c.buf[:0], cl.IssuedAt, cl.Expiry
	quote := func(s string) []byte {
		if s == "" {
			return nil
		}
		start := len(c.buf)
		c.buf, _ = jsontext.AppendQuote(c.buf, s)
		return c.buf[start:len(c.buf):len(c.buf)]
	}
	c.aud, c.sub, c.url, c.schema, c.org = quote(cl.Audience.String()), quote(cl.Subject), quote(cl.URL), quote(cl.SchemaUUID), quote(cl.OrgUUID)
	return true
}

func (c *tokenClaims) peekUsual(token []byte) bool {
	first := bytes.IndexByte(token, '.')
	if first < 0 {
		return false
	}
	rest := token[first+1:]
	second := bytes.IndexByte(rest, '.')
	if second < 0 || bytes.IndexByte(rest[second+1:], '.') >= 0 {
		return false
	}
	var err error
	c.payload, err = base64.RawURLEncoding.AppendDecode(c.payload[:0], rest[:second])
	if err != nil {
		return false
	}
	c.r.Reset(c.payload)
	if c.dec == nil {
		c.dec = jsontext.NewDecoder(&c.r)
	} else {
		c.dec.Reset(&c.r)
	}
	dec := c.dec
	c.buf, c.aud, c.sub, c.url, c.schema, c.org, c.iat, c.exp = c.buf[:0], nil, nil, nil, nil, nil, 0, 0
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != jsontext.KindBeginObject {
		return false
	}
	for dec.PeekKind() == jsontext.KindString {
		name, err := dec.ReadValue() // strict: a name seen twice is an error, as in peekClaims
		if err != nil || bytes.IndexByte(name, '\\') >= 0 {
			return false
		}
		var text *[]byte
		var num *int64
		switch string(name[1 : len(name)-1]) {
		case "aud":
			text = &c.aud
		case "sub":
			text = &c.sub
		case "com.cisco.datasource.url":
			text = &c.url
		case "com.cisco.datasource.schema.uuid":
			text = &c.schema
		case "com.cisco.org.uuid":
			text = &c.org
		case "iss", "jti":
			text = &c.other // checked to be text, not kept
		case "iat":
			num = &c.iat
		case "exp":
			num = &c.exp
		default:
			if dec.SkipValue() != nil {
				return false
			}
			continue
		}
		v, err := dec.ReadValue()
		if err != nil {
			return false
		}
		switch k := v.Kind(); {
		case k == jsontext.KindNull:
		case text != nil && k == jsontext.KindString:
			start := len(c.buf)
			c.buf = append(c.buf, v...)
			*text = c.buf[start:len(c.buf):len(c.buf)]
		case num != nil && k == jsontext.KindNumber:
			n, ok := plainInt(v)
			if !ok {
				return false
			}
			*num = n
		default:
			return false
		}
	}
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != jsontext.KindEndObject {
		return false
	}
	_, err = dec.ReadToken()
	return errors.Is(err, io.EOF)
}

// plainInt is a JSON number that is a whole number without fraction or exponent, as int64.
func plainInt(v []byte) (int64, bool) {
	neg := len(v) > 0 && v[0] == '-'
	if neg {
		v = v[1:]
	}
	if len(v) == 0 || len(v) > 18 {
		return 0, false
	}
	var n int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// decoded is the item through the full decode and DataSource's marshalling, for a field in
// an unusual form: the known fields, as sent and in their order (a name seen twice
// included), are decoded as the list decoder would.
func (b *dsBuilder) decoded(x *dsFields) ([]byte, error) {
	obj := append(b.out[:0], '{')
	for _, s := range x.seen {
		f, v := s[0], x.raw[s[1]:s[2]]
		if len(obj) > 1 {
			obj = append(obj, ',')
		}
		obj = append(obj, '"')
		obj = append(obj, dsFieldNames[f]...)
		obj = append(obj, '"', ':')
		obj = append(obj, v...)
	}
	obj = append(obj, '}')
	var w dataSourceWire
	if err := jsonv2.Unmarshal(obj, &w, tolerant); err != nil {
		return nil, notJSONErr{err}
	}
	d := w.dataSource()
	if b.mask != nil && d.Nonce != "" {
		d.Nonce = b.mask(d.Nonce)
	}
	out, err := jsonv2.Marshal(&d, jsontext.AllowInvalidUTF8(true))
	if err != nil {
		return nil, notJSONErr{err}
	}
	b.out = out
	return out, nil
}
