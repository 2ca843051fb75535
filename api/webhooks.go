package api

import (
	"context"
	"net/http"
	"net/url"
)

const webhooksPath = "/webhooks"

// Service App lifecycle events (spec §8.3).
const (
	ResourceServiceApp = "serviceApp"
	EventAuthorized    = "authorized"
	EventDeauthorized  = "deauthorized"
)

// ListWebhooks returns every webhook of every page.
func (c *Client) ListWebhooks(ctx context.Context) ([]Webhook, error) {
	return listAll[Webhook](ctx, c, webhooksPath, nil, "webhooks")
}

// OwnedByOrg is the only ownedBy value Webex takes when listing: the org's webhooks, not only
// the caller's (spec §8.1).
const OwnedByOrg = "org"

// ListWebhooksOwnedBy lists with the ownedBy query parameter ("" lists the caller's own).
func (c *Client) ListWebhooksOwnedBy(ctx context.Context, ownedBy string) ([]Webhook, error) {
	if ownedBy == "" {
		return c.ListWebhooks(ctx)
	}
	return listAll[Webhook](ctx, c, webhooksPath, url.Values{"ownedBy": {ownedBy}}, "webhooks")
}

// GetWebhook fetches one webhook.
func (c *Client) GetWebhook(ctx context.Context, id string) (*Webhook, error) {
	if err := checkID("webhook", id); err != nil {
		return nil, err
	}
	var w Webhook
	if err := c.object(ctx, http.MethodGet, webhooksPath+"/"+url.PathEscape(id), nil, &w, func() string { return w.ID }, "a webhook"); err != nil {
		return nil, err
	}
	return &w, nil
}

// CreateWebhook registers a webhook.
func (c *Client) CreateWebhook(ctx context.Context, in WebhookCreate) (*Webhook, error) {
	var w Webhook
	if err := c.object(ctx, http.MethodPost, webhooksPath, in, &w, func() string { return w.ID }, "the webhook created"); err != nil {
		return nil, err
	}
	return &w, nil
}

// UpdateWebhook changes a webhook's name, target, secret, or re-activates it.
func (c *Client) UpdateWebhook(ctx context.Context, id string, in WebhookUpdate) (*Webhook, error) {
	if err := checkID("webhook", id); err != nil {
		return nil, err
	}
	var w Webhook
	if err := c.object(ctx, http.MethodPut, webhooksPath+"/"+url.PathEscape(id), in, &w, func() string { return w.ID }, "the webhook updated"); err != nil {
		return nil, err
	}
	return &w, nil
}

// DeleteWebhook removes a webhook.
func (c *Client) DeleteWebhook(ctx context.Context, id string) error {
	if err := checkID("webhook", id); err != nil {
		return err
	}
	_, err := c.doJSON(ctx, http.MethodDelete, webhooksPath+"/"+url.PathEscape(id), nil, nil, nil)
	return err
}

// PeopleMe returns the person (or machine account) the token belongs to.
func (c *Client) PeopleMe(ctx context.Context) (*Person, error) {
	var p Person
	if err := c.object(ctx, http.MethodGet, "/people/me", nil, &p, func() string { return p.ID }, "a person"); err != nil {
		return nil, err
	}
	return &p, nil
}
