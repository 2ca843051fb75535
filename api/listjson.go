package api

import (
	"bytes"
	"context"
	"errors"
	"sync/atomic"

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
	// order, and hands each item to fn. A few batches are reused, so memory stays flat.
	const batchLen, batches = 128, 3
	free, full := make(chan []dataSourceWire, batches), make(chan []dataSourceWire, batches)
	for range batches {
		free <- make([]dataSourceWire, 0, batchLen)
	}
	var stop atomic.Bool
	wrote := make(chan error, 1)
	go func() {
		var buf bytes.Buffer
		var err error
		for ws := range full {
			for i := 0; err == nil && i < len(ws); i++ {
				d := ws[i].dataSource()
				var item []byte
				if item, err = dataSourceJSON(&buf, &d, mask); err == nil {
					err = fn(item)
				}
			}
			if err != nil {
				stop.Store(true)
			}
			free <- ws[:0]
		}
		wrote <- err
	}()
	cur := <-free
	err := eachItemWith(ctx, c, dataSourcesPath, nil, "data sources", func(dec *jsontext.Decoder) error {
		if stop.Load() {
			return errWriteStopped
		}
		cur = cur[:len(cur)+1]
		w := &cur[len(cur)-1]
		*w = dataSourceWire{}
		if err := jsonv2.UnmarshalDecode(dec, w); err != nil {
			cur = cur[:len(cur)-1] // half read
			return notJSONErr{err}
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
	if werr := <-wrote; werr != nil {
		return werr // the writer is behind the reader: its error is about an earlier item
	}
	return err
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
