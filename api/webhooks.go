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
	Rotated     []Webhook // already there, active, their secret set to the one given
	// ReusedFrom is the webhook of the pair whose secret the created or re-activated ones took
	// because no secret was given: the pair shares one secret either way.
	ReusedFrom *Webhook
	// Unsigned: the pair ends without a secret, so Webex signs none of its deliveries.
	Unsigned bool
}

// EnsureOptions says which secret the pair ends with.
type EnsureOptions struct {
	// Secret for the pair. "" reuses the secret of the webhook that already exists.
	Secret string
	// RotateSecret lets ensure set Secret on an existing active webhook whose secret differs;
	// without it such a webhook stops ensure with a *SecretMismatchError before any write.
	RotateSecret bool
}

// SecretMismatchError: ensuring would leave the authorized and deauthorized webhooks with two
// secrets, and a receiver checks one, so one event's deliveries would be refused.
type SecretMismatchError struct {
	Differ    []Webhook // the existing webhooks whose secret is not the pair's
	NoSecret  bool      // no secret was given and the existing ones differ from each other
	Rotatable bool      // a secret was given: RotateSecret would set it on Differ
}

func (e *SecretMismatchError) Error() string {
	events := make([]string, 0, len(e.Differ))
	for _, w := range e.Differ {
		events = append(events, w.Event)
	}
	if e.NoSecret {
		return "the serviceApp authorized and deauthorized webhooks have different secrets: give the secret your receiver checks to set it on both"
	}
	return fmt.Sprintf("the existing serviceApp %s webhook has another secret than the one given: rotate it to the given one, or give its secret, so both webhooks share one", joinEvents(events))
}

func joinEvents(ev []string) string {
	switch len(ev) {
	case 0:
		return ""
	case 1:
		return ev[0]
	}
	return ev[0] + " and " + ev[1]
}

// EnsureServiceAppWebhooks makes sure one active serviceApp webhook exists for each of
// authorized and deauthorized at targetURL, both with one secret; it never rotates a secret.
// It is idempotent: a second run creates nothing.
func (c *Client) EnsureServiceAppWebhooks(ctx context.Context, targetURL, secret string) (*EnsureResult, error) {
	return c.EnsureServiceAppWebhooksWith(ctx, targetURL, EnsureOptions{Secret: secret})
}

// EnsureServiceAppWebhooksWith is EnsureServiceAppWebhooks with a say over the secret. It
// decides everything from one list before the first write, so a mismatch writes nothing.
func (c *Client) EnsureServiceAppWebhooksWith(ctx context.Context, targetURL string, opt EnsureOptions) (*EnsureResult, error) {
	if targetURL == "" {
		return nil, fmt.Errorf("no target URL: give the https address that receives the events")
	}
	all, err := c.ListWebhooks(ctx)
	if err != nil {
		return nil, err
	}
	events := []string{EventAuthorized, EventDeauthorized}
	matches := make([]*Webhook, len(events))
	for k, event := range events {
		matches[k] = PairMatch(all, targetURL, event)
	}
	res := &EnsureResult{}
	secret := opt.Secret
	rotate := make([]bool, len(events))
	if secret == "" {
		// No secret given: the new webhook takes the existing one's, which needs the existing
		// ones to agree among themselves.
		var first *Webhook
		for _, m := range matches {
			if m == nil {
				continue
			}
			if first == nil {
				first = m
			} else if m.Secret != first.Secret {
				return nil, &SecretMismatchError{Differ: []Webhook{*first, *m}, NoSecret: true}
			}
		}
		if first != nil && first.Secret != "" {
			secret = first.Secret
			for _, m := range matches {
				if m == nil || !isActive(m) {
					res.ReusedFrom = first
				}
			}
		}
	} else {
		mis := &SecretMismatchError{Rotatable: true}
		for k, m := range matches {
			if m != nil && isActive(m) && m.Secret != secret {
				mis.Differ = append(mis.Differ, *m)
				rotate[k] = true
			}
		}
		if len(mis.Differ) > 0 && !opt.RotateSecret {
			return nil, mis
		}
	}
	res.Unsigned = secret == ""
	for k, event := range events {
		match := matches[k]
		switch {
		case match != nil && isActive(match) && rotate[k]:
			w, err := c.UpdateWebhook(ctx, match.ID, WebhookUpdate{Name: match.Name, TargetURL: match.TargetURL, Secret: secret})
			if err != nil {
				return res, fmt.Errorf("setting the %s webhook's secret: %w", event, err)
			}
			res.Rotated = append(res.Rotated, *w)
		case match != nil && isActive(match):
			res.Existing = append(res.Existing, *match)
		case match != nil:
			w, err := c.UpdateWebhook(ctx, match.ID, WebhookUpdate{Name: match.Name, TargetURL: match.TargetURL, Secret: secret, Status: "active"})
			if err != nil {
				return res, fmt.Errorf("re-activating the %s webhook: %w", event, err)
			}
			res.Reactivated = append(res.Reactivated, *w)
		default:
			w, err := c.CreateWebhook(ctx, WebhookCreate{
				Name: PairName(event), TargetURL: targetURL,
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

// PairName is the name byova gives the webhooks it creates: "byova serviceApp authorized",
// the same as `webhooks create` and the UI's n would name it.
func PairName(event string) string { return "byova " + ResourceServiceApp + " " + event }

// PairMatch is the webhook ensure counts as the pair's one for event: same resource, event and
// target URL; an active match wins over an inactive one. nil when there is none.
func PairMatch(all []Webhook, targetURL, event string) *Webhook {
	var match *Webhook
	for i := range all {
		w := &all[i]
		if w.Resource == ResourceServiceApp && w.Event == event && w.TargetURL == targetURL {
			if match == nil || (!isActive(match) && isActive(w)) {
				match = w
			}
		}
	}
	return match
}

// isActive: Webex leaves status out for a webhook it never disabled.
func isActive(w *Webhook) bool { return w.Status == "active" || w.Status == "" }

// PeopleMe returns the person (or machine account) the token belongs to.
func (c *Client) PeopleMe(ctx context.Context) (*Person, error) {
	var p Person
	if err := c.object(ctx, http.MethodGet, "/people/me", nil, &p, func() string { return p.ID }, "a person"); err != nil {
		return nil, err
	}
	return &p, nil
}
