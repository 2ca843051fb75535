package api

import (
	"bytes"
	"context"
	"errors"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// EachDataSourceJSON hands fn each data source of the list as the JSON `get --json` writes
// for it: the fields, their order and the values derived from the token are those of the
// DataSource. Each item is decoded as EachDataSource decodes it (one at a time, from the
// wire) and encoded with the same JSON library, so memory stays flat however big the org is.
// Strings may hold C1 or bidi runes: write them through safetext.JSONWriter, as for any JSON.
// The nonce, a secret, is written as mask makes it (nil: as sent). fn is called on a
// goroutine of its own, one item at a time and in the list's order, and is done when this
// returns; its argument is valid only during the call. An error from fn ends the walk with
// that error.
func (c *Client) EachDataSourceJSON(ctx context.Context, mask func(secret string) string, fn func(item []byte) error) error {
	// Two stages, so reading the wire and writing the items share the work on two cores: this
	// goroutine decodes items off the wire into a batch; a writer turns batches into JSON, in
	// order, and hands each item to fn. A few batches are reused, strings and all, so memory
	// stays flat and an item leaves almost no garbage: the GC then runs a third as often.
	free, full := make(chan *jsonBatch, batches), make(chan *jsonBatch, batches)
	for range batches {
		free <- newJSONBatch()
	}
	var stop atomic.Bool
	wrote := make(chan error, 1)
	go func() {
		var buf bytes.Buffer
		var d DataSource // one, reused: a fresh one per item would escape to the heap
		var err error
		for b := range full {
			for i := 0; err == nil && i < len(b.items); i++ {
				d = b.items[i].dataSource()
				var item []byte
				if item, err = dataSourceJSON(&buf, &d, mask); err == nil {
					err = fn(item)
				}
			}
			d = DataSource{} // holds no string of a batch about to be overwritten
			if err != nil {
				stop.Store(true)
				// err may quote this batch's strings: they must not be overwritten, so the
				// reader gets a new batch instead (it is about to stop anyway).
				b = newJSONBatch()
			}
			free <- b
		}
		wrote <- err
	}()
	cur := <-free
	cur.reset()
	err := eachItemWith(ctx, c, dataSourcesPath, nil, "data sources", func(dec *jsontext.Decoder) error {
		if stop.Load() {
			return errWriteStopped
		}
		if err := cur.decode(dec); err != nil {
			return err
		}
		if len(cur.items) == cap(cur.items) {
			full <- cur
			cur = <-free
			cur.reset()
		}
		return nil
	})
	if len(cur.items) > 0 { // the items read before an error are handed over too, as in EachDataSource
		full <- cur
	}
	close(full)
	if werr := <-wrote; werr != nil {
		return werr // the writer is behind the reader: its error is about an earlier item
	}
	return err
}

const (
	batchLen, batches = 64, 3 // items a batch holds, and batches in flight
	// batchStrMax caps the string block a batch keeps (a few times what 64 of Webex's items
	// need): a list of huge strings cannot make the batches keep more than this each.
	batchStrMax = 512 << 10
	batchStrOwn = 16 << 10 // a longer string gets an allocation of its own
)

// jsonBatch is a batch of a streamed list: its items as decoded, and the block their
// strings are copied into. The block is overwritten when the batch is reused, so a string
// of it must not outlive the batch's turn at the writer; the list's strings go nowhere else
// (the DataSource made of an item is written out as JSON, then dropped).
type jsonBatch struct {
	items []dataSourceWire
	block []byte
	opts  jsonv2.Options
}

func newJSONBatch() *jsonBatch {
	b := &jsonBatch{items: make([]dataSourceWire, 0, batchLen)}
	str := func(dec *jsontext.Decoder, s *string) error { return b.readString(dec, s) }
	b.opts = jsonv2.WithUnmarshalers(jsonv2.JoinUnmarshalers(
		jsonv2.UnmarshalFromFunc(str),
		jsonv2.UnmarshalFromFunc(func(dec *jsontext.Decoder, s *sharedString) error { return str(dec, (*string)(s)) }),
		// A schema id that is a list is left to its method (ErrUnsupported from readString).
		jsonv2.UnmarshalFromFunc(func(dec *jsontext.Decoder, s *flexString) error { return str(dec, (*string)(s)) }),
	))
	return b
}

// reset empties the batch for the next items, keeping its block (the largest one it used).
func (b *jsonBatch) reset() {
	clear(b.items) // no string of the last turn stays reachable from a slot
	b.items = b.items[:0]
	b.block = b.block[:0]
}

// decode reads the next item of the list into the batch.
func (b *jsonBatch) decode(dec *jsontext.Decoder) error {
	b.items = b.items[:len(b.items)+1]
	w := &b.items[len(b.items)-1]
	*w = dataSourceWire{}
	if err := jsonv2.UnmarshalDecode(dec, w, b.opts); err != nil {
		b.items = b.items[:len(b.items)-1] // half read
		return notJSONErr{err}
	}
	return nil
}

// readString decodes a JSON string into s, its bytes in the batch's block. Anything else
// (null, a number, a list) is left to the default or the type's method, with its answer and
// its error; so is a string with escapes or invalid UTF-8, which the default unquotes or mends.
func (b *jsonBatch) readString(dec *jsontext.Decoder, s *string) error {
	if dec.PeekKind() != jsontext.KindString {
		return errors.ErrUnsupported // nothing read: the next unmarshaler decodes it
	}
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	raw := v[1 : len(v)-1]
	if bytes.IndexByte(raw, '\\') >= 0 || !utf8.Valid(raw) {
		return jsonv2.Unmarshal(v, s, tolerant)
	}
	*s = b.str(raw)
	return nil
}

// str is a string with raw's bytes, in the block when they fit.
func (b *jsonBatch) str(raw []byte) string {
	switch {
	case len(raw) == 0:
		return ""
	case len(raw) > batchStrOwn:
		return string(raw)
	case len(raw) > cap(b.block)-len(b.block):
		if 2*cap(b.block) > batchStrMax {
			return string(raw) // the block is as big as a batch may keep
		}
		// The strings before keep the old block alive until the batch is reset.
		b.block = make([]byte, 0, max(2*cap(b.block), 32<<10))
	}
	start := len(b.block)
	b.block = append(b.block, raw...)
	return unsafe.String(&b.block[start], len(raw))
}

// errWriteStopped ends the walk when the writer has failed (its error is the one returned).
var errWriteStopped = errors.New("stopped: writing an item failed")

// encodeOpts: a caller's mask may cut a rune; the rest was made valid UTF-8 by the decode.
var encodeOpts = jsontext.AllowInvalidUTF8(true)

// dataSourceJSON is d as `get --json` writes it, with the nonce as mask makes it, in buf
// (reused from item to item: the result is valid until the next call).
func dataSourceJSON(buf *bytes.Buffer, d *DataSource, mask func(string) string) ([]byte, error) {
	if mask != nil && d.Nonce != "" {
		d.Nonce = mask(d.Nonce)
	}
	buf.Reset()
	if err := jsonv2.MarshalWrite(buf, d, encodeOpts); err != nil {
		return nil, notJSONList(dataSourcesPath, err)
	}
	return buf.Bytes(), nil
}
