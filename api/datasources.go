package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

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
	all := []DataSource{}
	err := c.EachDataSource(ctx, func(d *DataSource) error {
		all = append(all, *d)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return all, nil
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
