package api

// Ensuring the serviceApp authorized/deauthorized pair: the one plan (PlanEnsure) that
// `webhooks ensure`, the UI's E and its confirmation all follow.

import (
	"context"
	"fmt"
)

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
	// Fresh, for PlanEnsure: a secret is to be drawn new when the writes go (after a person
	// confirms), so it matches no existing webhook's; Secret is "" until then.
	Fresh bool
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
// lists once and decides everything from that list (PlanEnsure) before the first write, so a
// mismatch writes nothing.
func (c *Client) EnsureServiceAppWebhooksWith(ctx context.Context, targetURL string, opt EnsureOptions) (*EnsureResult, error) {
	if targetURL == "" {
		return nil, fmt.Errorf("no target URL: give the https address that receives the events")
	}
	all, err := c.ListWebhooks(ctx)
	if err != nil {
		return nil, err
	}
	p, err := PlanEnsure(all, targetURL, opt)
	if err != nil {
		return nil, err
	}
	res := &EnsureResult{ReusedFrom: p.ReusedFrom, Unsigned: p.Secret == ""}
	for k, event := range EnsureEvents {
		match := p.Match[k]
		switch p.Step[k] {
		case EnsureRotate:
			w, err := c.UpdateWebhook(ctx, match.ID, WebhookUpdate{Name: match.Name, TargetURL: match.TargetURL, Secret: p.Secret})
			if err != nil {
				return res, fmt.Errorf("setting the %s webhook's secret: %w", event, err)
			}
			res.Rotated = append(res.Rotated, *w)
		case EnsureKeep:
			res.Existing = append(res.Existing, *match)
		case EnsureReactivate:
			w, err := c.UpdateWebhook(ctx, match.ID, WebhookUpdate{Name: match.Name, TargetURL: match.TargetURL, Secret: p.Secret, Status: "active"})
			if err != nil {
				return res, fmt.Errorf("re-activating the %s webhook: %w", event, err)
			}
			res.Reactivated = append(res.Reactivated, *w)
		default:
			w, err := c.CreateWebhook(ctx, WebhookCreate{
				Name: PairName(event), TargetURL: targetURL,
				Resource: ResourceServiceApp, Event: event, Secret: p.Secret,
			})
			if err != nil {
				return res, fmt.Errorf("creating the %s webhook: %w", event, err)
			}
			res.Created = append(res.Created, *w)
		}
	}
	return res, nil
}

// EnsureEvents are the pair's two events, in the order ensure works on them.
var EnsureEvents = [2]string{EventAuthorized, EventDeauthorized}

// EnsureStep is what ensure does for one event of the pair.
type EnsureStep int

const (
	EnsureCreate     EnsureStep = iota // missing: created
	EnsureKeep                         // there and active, on the pair's secret: left as it is
	EnsureReactivate                   // there but inactive: set active again, on the pair's secret
	EnsureRotate                       // there and active, its secret set to the pair's
)

// EnsurePlan is what ensure does at a target, decided from one list before any write.
type EnsurePlan struct {
	Match [2]*Webhook   // the pair's webhook for each of EnsureEvents (PairMatch), nil when missing
	Step  [2]EnsureStep // what ensure does for each
	// Secret is the one the pair ends with: the one given, else the existing webhooks' shared
	// one ("": unsigned). With EnsureOptions.Fresh it is "" until the caller draws it.
	Secret string
	// ReusedFrom is the existing webhook whose secret a created or re-activated one takes.
	ReusedFrom *Webhook
}

// Writes is how many webhooks ensure creates or updates.
func (p *EnsurePlan) Writes() int {
	n := 0
	for _, s := range p.Step {
		if s != EnsureKeep {
			n++
		}
	}
	return n
}

// PlanEnsure is the one decision of ensure, for ensure itself and for anything that shows
// what ensure will do (the UI's confirmation): which webhook of all is the pair's for each
// event, which secret the pair ends with, and what is written. A *SecretMismatchError says
// ensure would stop before any write; the plan beside it still says what was found.
func PlanEnsure(all []Webhook, targetURL string, opt EnsureOptions) (*EnsurePlan, error) {
	p := &EnsurePlan{Secret: opt.Secret}
	for k, event := range EnsureEvents {
		p.Match[k] = PairMatch(all, targetURL, event)
	}
	given := opt.Secret != "" || opt.Fresh
	differs := func(m *Webhook) bool { return opt.Fresh || m.Secret != opt.Secret }
	var rotate [2]bool
	var err error
	if !given {
		// No secret given: the new webhook takes the existing one's, which needs the existing
		// ones to agree among themselves.
		var first *Webhook
		for _, m := range p.Match {
			switch {
			case m == nil:
			case first == nil:
				first = m
			case m.Secret != first.Secret && err == nil:
				err = &SecretMismatchError{Differ: []Webhook{*first, *m}, NoSecret: true}
			}
		}
		if first != nil && first.Secret != "" && err == nil {
			p.Secret = first.Secret
			for _, m := range p.Match {
				if m == nil || !isActive(m) {
					p.ReusedFrom = first
				}
			}
		}
	} else {
		mis := &SecretMismatchError{Rotatable: true}
		for k, m := range p.Match {
			if m != nil && isActive(m) && differs(m) {
				mis.Differ = append(mis.Differ, *m)
				rotate[k] = true
			}
		}
		if len(mis.Differ) > 0 && !opt.RotateSecret {
			err = mis
		}
	}
	for k, m := range p.Match {
		switch {
		case m == nil:
			p.Step[k] = EnsureCreate
		case !isActive(m):
			p.Step[k] = EnsureReactivate
		case rotate[k]:
			p.Step[k] = EnsureRotate
		default:
			p.Step[k] = EnsureKeep
		}
	}
	return p, err
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
