package api

import (
	"context"
	"net/http"
	"net/url"
)

const schemasPath = "/dataSources/schemas"

// ListSchemas returns every data source schema.
func (c *Client) ListSchemas(ctx context.Context) ([]Schema, error) {
	return listAll[Schema](ctx, c, schemasPath, nil)
}

// GetSchema fetches one schema.
func (c *Client) GetSchema(ctx context.Context, id string) (*Schema, error) {
	if err := checkID("schema", id); err != nil {
		return nil, err
	}
	var s Schema
	if _, err := c.doJSON(ctx, http.MethodGet, schemasPath+"/"+url.PathEscape(id), nil, nil, &s); err != nil {
		return nil, err
	}
	return &s, nil
}
