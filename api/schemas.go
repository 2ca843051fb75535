package api

import (
	"context"
	"net/http"
	"net/url"
)

const schemasPath = "/dataSources/schemas"

// ListSchemas returns every data source schema.
func (c *Client) ListSchemas(ctx context.Context) ([]Schema, error) {
	return listAll[Schema](ctx, c, schemasPath, nil, "schemas")
}

// GetSchema fetches one schema.
func (c *Client) GetSchema(ctx context.Context, id string) (*Schema, error) {
	if err := checkID("schema", id); err != nil {
		return nil, err
	}
	var s Schema
	if err := c.object(ctx, http.MethodGet, schemasPath+"/"+url.PathEscape(id), nil, &s, func() string { return s.ID }, "a schema"); err != nil {
		return nil, err
	}
	return &s, nil
}
