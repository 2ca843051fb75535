package api

import (
	"bytes"
	"errors"
	"unicode/utf8"
	"unsafe"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// sharedString is a data source field that most items of a list share with others (the org,
// the application, who created it, its status, audience, subject and url): a list that keeps
// its items reads each such value once.
type sharedString string

// strStore holds the strings of a list that is kept whole (listDataSources): each string's
// bytes go into a block shared with the strings before it, and a shared field's value that
// was seen already is the same string again. A 10k list is then a few hundred allocations
// instead of 150,000, with no size class rounding each string up, and its org, application
// and creator ids are held once, not once per item: on a machine where fresh memory costs a
// page fault every 4 KB, the bytes a list keeps are most of what reading it costs.
//
// A block is never written below its length, so a string made from it never changes; the
// strings keep their block alive. One store belongs to one list, read by one goroutine.
type strStore struct {
	block  []byte
	shared map[string]string
	opts   jsonv2.Options
}

const (
	firstStrBlock = 4 << 10  // a small org's list wastes little
	maxStrBlock   = 64 << 10 // blocks double up to this
	ownStr        = 4 << 10  // a longer string gets an allocation of its own
	maxShared     = 4096     // distinct shared values remembered: a peer cannot grow the map
	maxSharedLen  = 256      // longer values are not worth remembering
)

func newStrStore() *strStore {
	a := &strStore{shared: map[string]string{}}
	a.opts = jsonv2.WithUnmarshalers(jsonv2.JoinUnmarshalers(
		jsonv2.UnmarshalFromFunc(func(dec *jsontext.Decoder, s *string) error { return a.read(dec, s, false) }),
		jsonv2.UnmarshalFromFunc(func(dec *jsontext.Decoder, s *sharedString) error {
			return a.read(dec, (*string)(s), true)
		}),
		// A schema id is a string or, from some endpoints, a list: the list goes to its method.
		jsonv2.UnmarshalFromFunc(func(dec *jsontext.Decoder, s *flexString) error {
			return a.read(dec, (*string)(s), true)
		}),
	))
	return a
}

// read decodes a JSON string into s from the store. Anything else (null, a number, an object)
// is left to the default, with its answer and its error; so is a string with escapes or
// invalid UTF-8, which the default unquotes or mends.
func (a *strStore) read(dec *jsontext.Decoder, s *string, share bool) error {
	if dec.PeekKind() != jsontext.KindString {
		return errors.ErrUnsupported // nothing read: the default decodes it
	}
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	raw := v[1 : len(v)-1]
	if bytes.IndexByte(raw, '\\') >= 0 || !utf8.Valid(raw) {
		return jsonv2.Unmarshal(v, s, tolerant)
	}
	if share {
		if x, ok := a.shared[string(raw)]; ok {
			*s = x
			return nil
		}
	}
	*s = a.str(raw)
	if share && len(raw) <= maxSharedLen && len(a.shared) < maxShared {
		a.shared[*s] = *s
	}
	return nil
}

// str is a string with b's bytes, in the current block when they fit.
func (a *strStore) str(b []byte) string {
	switch {
	case len(b) == 0:
		return ""
	case len(b) > ownStr:
		return string(b)
	case len(b) > cap(a.block)-len(a.block):
		size := firstStrBlock
		if a.block != nil {
			size = min(2*cap(a.block), maxStrBlock)
		}
		a.block = make([]byte, 0, size)
	}
	start := len(a.block)
	a.block = append(a.block, b...)
	return unsafe.String(&a.block[start], len(b))
}
