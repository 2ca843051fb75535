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

const batchLen, batches = 64, 3 // items a batch holds, and batches in flight

// jsonBatch is a batch of a streamed list: its items as decoded, and the store their strings
// are copied into (newBatchStrStore). The store's block is overwritten when the batch is
// reused, so a string of it must not outlive the batch's turn at the writer; the list's
// strings go nowhere else (the DataSource made of an item is written out as JSON, then dropped).
type jsonBatch struct {
	items []dataSourceWire
	strs  *strStore
}

func newJSONBatch() *jsonBatch {
	return &jsonBatch{items: make([]dataSourceWire, 0, batchLen), strs: newBatchStrStore()}
}

// reset empties the batch for the next items, keeping its block (the largest one it used).
func (b *jsonBatch) reset() {
	clear(b.items) // no string of the last turn stays reachable from a slot
	b.items = b.items[:0]
	b.strs.reset()
}

// decode reads the next item of the list into the batch.
func (b *jsonBatch) decode(dec *jsontext.Decoder) error {
	b.items = b.items[:len(b.items)+1]
	w := &b.items[len(b.items)-1]
	*w = dataSourceWire{}
	if err := jsonv2.UnmarshalDecode(dec, w, b.strs.opts); err != nil {
		b.items = b.items[:len(b.items)-1] // half read
		return notJSONErr{err}
	}
	return nil
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
