package api

import (
	"context"
	"fmt"
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

// EnsureResult reports what EnsureServiceAppWebhooks found and did.
type EnsureResult struct {
	Existing    []Webhook // already there and active
	Reactivated []Webhook // there but inactive: set active again
	Created     []Webhook
}

// EnsureServiceAppWebhooks makes sure one active serviceApp webhook exists for each of
// authorized and deauthorized at targetURL. It is idempotent: a second run creates nothing.
func (c *Client) EnsureServiceAppWebhooks(ctx context.Context, targetURL, secret string) (*EnsureResult, error) {
	if targetURL == "" {
		return nil, fmt.Errorf("no target URL: give the https address that receives the events")
	}
	all, err := c.ListWebhooks(ctx)
	if err != nil {
		return nil, err
	}
	res := &EnsureResult{}
	for _, event := range []string{EventAuthorized, EventDeauthorized} {
		var match *Webhook
		for i := range all {
			w := &all[i]
			if w.Resource == ResourceServiceApp && w.Event == event && w.TargetURL == targetURL {
				if match == nil || (match.Status != "active" && w.Status == "active") {
					match = w
				}
			}
		}
		switch {
		case match != nil && (match.Status == "active" || match.Status == ""):
			res.Existing = append(res.Existing, *match)
		case match != nil:
			w, err := c.UpdateWebhook(ctx, match.ID, WebhookUpdate{Name: match.Name, TargetURL: match.TargetURL, Secret: secret, Status: "active"})
			if err != nil {
				return res, fmt.Errorf("re-activating the %s webhook: %w", event, err)
			}
			res.Reactivated = append(res.Reactivated, *w)
		default:
			w, err := c.CreateWebhook(ctx, WebhookCreate{
				Name: "byova Service App " + event, TargetURL: targetURL,
				Resource: ResourceServiceApp, Event: event, Secret: secret,
			})
			if err != nil {
				return res, fmt.Errorf("creating the %s webhook: %w", event, err)
			}
			res.Created = append(res.Created, *w)
		}
	}
	return res, nil
}

// PeopleMe returns the person (or machine account) the token belongs to.
func (c *Client) PeopleMe(ctx context.Context) (*Person, error) {
	var p Person
	if err := c.object(ctx, http.MethodGet, "/people/me", nil, &p, func() string { return p.ID }, "a person"); err != nil {
		return nil, err
	}
	return &p, nil
}
