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

// strStore holds the strings a list decodes: each string's bytes go into a block shared with
// the strings before it, so a list is a few hundred allocations instead of one per string,
// with no size class rounding each one up. It serves two lists:
//
//   - one kept whole (listDataSources, newStrStore): a full block is left to the strings in it
//     and a fresh one taken, and a shared field's value that was seen already is the same
//     string again, so a list's org, application and creator ids are held once, not once per
//     item. On a machine where fresh memory costs a page fault every 4 KB, the bytes a list
//     keeps are most of what reading it costs.
//   - a batch of a streamed one (EachDataSourceJSON, newBatchStrStore): its one block is
//     overwritten at reset, so its strings must not outlive the batch's turn, and an item
//     leaves almost no garbage.
//
// Below its length a block is only written after reset. One store belongs to one list or
// batch, read by one goroutine.
type strStore struct {
	block  []byte
	shared map[string]string // nil: nothing is shared (a batch)
	opts   jsonv2.Options
	// first is the first block's size; blocks double up to max. A kept list then takes
	// fresh blocks of max; a batch, whose block is kept for its next turn, stops there and
	// gives longer strings an allocation of their own. A string over own always gets one.
	first, max, own int
	reused          bool
}

const (
	maxShared    = 4096 // distinct shared values remembered: a peer cannot grow the map
	maxSharedLen = 256  // longer values are not worth remembering
)

// newStrStore is the store of a list kept whole: blocks of 4 KB (a small org's list wastes
// little) doubling to 64 KB, and strings over 4 KB on their own.
func newStrStore() *strStore {
	return newStore(&strStore{shared: map[string]string{}, first: 4 << 10, max: 64 << 10, own: 4 << 10})
}

// newBatchStrStore is the store of a streamed list's batch: one block, from 32 KB up to 512 KB
// (a few times what 64 of Webex's items need, so a list of huge strings cannot make a batch
// keep more), and strings over 16 KB on their own.
func newBatchStrStore() *strStore {
	return newStore(&strStore{first: 32 << 10, max: 512 << 10, own: 16 << 10, reused: true})
}

func newStore(a *strStore) *strStore {
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

// reset lets a batch's store write its block from the start again (newBatchStrStore): the
// strings it made before must be unreachable by now.
func (a *strStore) reset() { a.block = a.block[:0] }

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
	share = share && a.shared != nil
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
	case len(b) > a.own:
		return string(b)
	case len(b) > cap(a.block)-len(a.block):
		size := a.first
		if a.block != nil {
			size = 2 * cap(a.block)
		}
		if size > a.max {
			if a.reused {
				return string(b) // the block is as big as a batch may keep
			}
			size = a.max
		}
		// The strings before keep the old block alive (a batch's: until its reset).
		a.block = make([]byte, 0, size)
	}
	start := len(a.block)
	a.block = append(a.block, b...)
	return unsafe.String(&a.block[start], len(b))
}
