package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/uuid"
)

const dataSourcesPath = "/dataSources"

// MaxLifetimeMinutes is the longest data source token lifetime Webex grants.
const MaxLifetimeMinutes = 1440

// ValidateLifetime checks a tokenLifetimeMinutes value before anything is sent.
func ValidateLifetime(n int) error {
	if n < 1 || n > MaxLifetimeMinutes {
		return fmt.Errorf("token lifetime %d is out of range: give 1 to %d minutes", n, MaxLifetimeMinutes)
	}
	return nil
}

// ListDataSources returns every data source of every page.
func (c *Client) ListDataSources(ctx context.Context) ([]DataSource, error) {
	l, err := c.listDataSources(ctx, nil)
	if err != nil {
		return nil, err
	}
	return l.joined(), nil
}

// ListDataSourceRefs is ListDataSources for a caller that keeps the list: the data sources
// stay where they were completed, in chunks that never move, and the list points at them.
// Joining the chunks into one slice copied every item once more into fresh memory (4 MB at
// 10k, with the GC's write barriers on): a tenth of the UI's load. made, when not nil, gets
// each item's pointer, final, as the item is completed: a caller's own work on each (the
// UI's row) can follow the wire instead of waiting for the whole list. made runs on a
// goroutine of its own, one item at a time and in order, and is done when this returns. A
// panic in made, or in completing an item, ends the list with an error.
func (c *Client) ListDataSourceRefs(ctx context.Context, made func(i int, d *DataSource)) ([]*DataSource, error) {
	l, err := c.listDataSources(ctx, made)
	if err != nil {
		return nil, err
	}
	return l.refs(), nil
}

// listDataSources reads the list into chunks. Two stages share the work on two cores, as in
// EachDataSourceJSON: this goroutine decodes items off the wire into batches; the other
// completes them into the chunks. Appending 400-byte items to one growing slice copied each
// one four times over and was a third of a 10k list's CPU.
func (c *Client) listDataSources(ctx context.Context, made func(i int, d *DataSource)) (*listChunks, error) {
	const batchLen, batches = 128, 3
	free, full := make(chan []dataSourceWire, batches), make(chan []dataSourceWire, batches)
	for range batches {
		free <- make([]dataSourceWire, 0, batchLen)
	}
	var stop atomic.Bool
	var done listChunks
	store := newStrStore() // the list is kept: its strings are too
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for ws := range full {
			if done.err == nil {
				if done.err = done.complete(ws, made); done.err != nil {
					stop.Store(true)
				}
			}
			free <- ws[:0]
		}
	}()
	cur := <-free
	err := eachItemWith(ctx, c, dataSourcesPath, nil, "data sources", func(dec *jsontext.Decoder) error {
		if stop.Load() {
			return errWriteStopped
		}
		cur = cur[:len(cur)+1]
		w := &cur[len(cur)-1]
		*w = dataSourceWire{}
		if err := jsonv2.UnmarshalDecode(dec, w, store.opts); err != nil {
			cur = cur[:len(cur)-1]
			return notJSONErr{err}
		}
		if len(cur) == cap(cur) {
			full <- cur
			cur = <-free
		}
		return nil
	})
	if err == nil && len(cur) > 0 {
		full <- cur
	}
	close(full)
	<-finished
	if done.err != nil {
		return nil, done.err
	}
	if err != nil {
		return nil, err
	}
	return &done, nil
}

// listChunks is a list being built in chunks that each keep their place (see
// listDataSources): a chunk is never grown past its capacity, so an item never moves.
type listChunks struct {
	chunks [][]DataSource
	n      int
	err    error
}

// complete turns a batch of wire items into data sources at the end of the list, each handed
// to made. A panic is the error of the item it happened on.
func (l *listChunks) complete(ws []dataSourceWire, made func(int, *DataSource)) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("data source %d of the list could not be read (%v): report this with the --debug log", l.n+1, p)
		}
	}()
	for i := range ws {
		k := len(l.chunks) - 1
		if k < 0 || len(l.chunks[k]) == cap(l.chunks[k]) {
			l.chunks = append(l.chunks, make([]DataSource, 0, min(256<<len(l.chunks), 1<<14)))
			k++
		}
		l.chunks[k] = append(l.chunks[k], ws[i].dataSource())
		if made != nil {
			made(l.n, &l.chunks[k][len(l.chunks[k])-1])
		}
		l.n++
	}
	return nil
}

// refs points at every item, in order (never nil).
func (l *listChunks) refs() []*DataSource {
	all := make([]*DataSource, 0, l.n)
	for _, ch := range l.chunks {
		for i := range ch {
			all = append(all, &ch[i])
		}
	}
	return all
}

// joined is the whole list in one slice (never nil).
func (l *listChunks) joined() []DataSource {
	if len(l.chunks) == 1 {
		return l.chunks[0]
	}
	all := make([]DataSource, 0, l.n)
	for _, ch := range l.chunks {
		all = append(all, ch...)
	}
	return all
}

// EachDataSource hands each data source to fn as it is decoded from the wire (token claims
// peeked), so a caller that writes each out holds one at a time however big the org is. fn's
// argument is valid only during the call. An error from fn ends the walk with that error.
func (c *Client) EachDataSource(ctx context.Context, fn func(*DataSource) error) error {
	return eachItem(ctx, c, dataSourcesPath, nil, "data sources", func(w *dataSourceWire) error {
		d := w.dataSource()
		return fn(&d)
	})
}

// GetDataSource fetches one data source.
func (c *Client) GetDataSource(ctx context.Context, id string) (*DataSource, error) {
	if err := checkID("data source", id); err != nil {
		return nil, err
	}
	var ds DataSource
	if err := c.object(ctx, http.MethodGet, dataSourcesPath+"/"+url.PathEscape(id), nil, &ds, func() string { return ds.ID }, "a data source"); err != nil {
		return nil, err
	}
	return &ds, nil
}

// CreateDataSource registers a data source.
func (c *Client) CreateDataSource(ctx context.Context, in DataSourceCreate) (*DataSource, error) {
	var ds DataSource
	if err := c.object(ctx, http.MethodPost, dataSourcesPath, in, &ds, func() string { return ds.ID }, "the data source created"); err != nil {
		return nil, err
	}
	return &ds, nil
}

// UpdateDataSource replaces a data source's configuration.
func (c *Client) UpdateDataSource(ctx context.Context, id string, in DataSourceUpdate) (*DataSource, error) {
	if err := checkID("data source", id); err != nil {
		return nil, err
	}
	var ds DataSource
	if err := c.object(ctx, http.MethodPut, dataSourcesPath+"/"+url.PathEscape(id), in, &ds, func() string { return ds.ID }, "the data source updated"); err != nil {
		return nil, err
	}
	return &ds, nil
}

// DeleteDataSource removes a data source.
func (c *Client) DeleteDataSource(ctx context.Context, id string) error {
	if err := checkID("data source", id); err != nil {
		return err
	}
	_, err := c.doJSON(ctx, http.MethodDelete, dataSourcesPath+"/"+url.PathEscape(id), nil, nil, nil)
	return err
}

// UpdateFrom is the full update body that keeps ds's configuration as it is, so callers
// change only what they mean to. The nonce is left empty for the caller to set.
func UpdateFrom(ds *DataSource) DataSourceUpdate {
	status := ds.Status
	if status == "" {
		status = "active"
	}
	return DataSourceUpdate{
		SchemaID: ds.SchemaID, URL: ds.URL, Audience: ds.Audience, Subject: ds.Subject,
		TokenLifetimeMinutes: ds.TokenLifetimeMinutes, Status: status, ErrorMessage: ds.ErrorMessage,
	}
}

// ExtendPlan is the PUT that extends a data source's token: the same configuration, a fresh
// nonce, the chosen lifetime. It fails when the configuration cannot be recovered.
func ExtendPlan(ds *DataSource, lifetime int) (DataSourceUpdate, error) {
	if err := ValidateLifetime(lifetime); err != nil {
		return DataSourceUpdate{}, err
	}
	up := UpdateFrom(ds)
	var missing []string
	for name, v := range map[string]string{"audience": up.Audience, "schemaId": up.SchemaID, "url": up.URL} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return DataSourceUpdate{}, fmt.Errorf("data source %s: cannot extend, its %s is unknown (neither the object nor its token says): update it with `byova datasources update`", ds.ID, strings.Join(missing, ", "))
	}
	if up.Subject == "" {
		return DataSourceUpdate{}, fmt.Errorf("data source %s: cannot extend, its subject is unknown: update it with `byova datasources update`", ds.ID)
	}
	up.Nonce = NewNonce()
	up.TokenLifetimeMinutes = lifetime
	return up, nil
}

// ExtendOption changes what an extend sends.
type ExtendOption func(*DataSourceUpdate) error

// NewNonce returns a fresh UUID v4, the nonce form Webex samples use.
func NewNonce() string { return uuid.NewString() }

// WithNonce sends nonce instead of a freshly drawn one: the terminal UI draws it first, to
// show it (masked) in the confirmation that the person accepts. A blank nonce is an error.
func WithNonce(nonce string) ExtendOption {
	return func(up *DataSourceUpdate) error {
		if strings.TrimSpace(nonce) == "" {
			return errors.New("extend: the nonce to send is blank; draw one with api.NewNonce")
		}
		up.Nonce = nonce
		return nil
	}
}

// ExtendDataSource gives a data source a new token: GET it, then PUT its full configuration with
// a fresh UUID v4 nonce (or WithNonce's) and the lifetime (spec §6.6). It returns the object
// before and after.
func (c *Client) ExtendDataSource(ctx context.Context, id string, lifetime int, opts ...ExtendOption) (before, after *DataSource, err error) {
	if err := ValidateLifetime(lifetime); err != nil {
		return nil, nil, err
	}
	before, err = c.GetDataSource(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	after, err = c.ExtendLoaded(ctx, before, lifetime, opts...)
	return before, after, err
}

// ExtendLoaded extends a data source already fetched with GetDataSource.
func (c *Client) ExtendLoaded(ctx context.Context, ds *DataSource, lifetime int, opts ...ExtendOption) (*DataSource, error) {
	up, err := ExtendPlan(ds, lifetime)
	if err != nil {
		return nil, err
	}
	for _, o := range opts {
		if err := o(&up); err != nil {
			return nil, err
		}
	}
	return c.UpdateDataSource(ctx, ds.ID, up)
}

func checkID(what, id string) error {
	if strings.TrimSpace(id) == "" {
		return errors.New(what + " ID is empty")
	}
	return nil
}
