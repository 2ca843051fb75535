package fleet

import (
	"context"
	"errors"

	"github.com/byova/byova/api"
)

// Webhooks is the caller's audited webhook writes: each is sent with its trackingId recorded
// and audited once, with the op name from the one list, whichever front end asks. Webhooks
// belong to the caller (a person's token), not to the customer org the data sources are in:
// the audit line's org is empty.
type Webhooks struct {
	Client      *api.Client
	Audit       Auditor     // nil: no audit (tests)
	AuditFailed func(error) // told when the audit line could not be written
}

func (w Webhooks) audit(op, id, trackingID string, err error) {
	Writer{Audit: w.Audit, AuditFailed: w.AuditFailed}.audit(op, id, trackingID, err)
}

// Create creates a webhook. It returns Webex's answer and the trackingId of the write.
func (w Webhooks) Create(ctx context.Context, in api.WebhookCreate) (*api.Webhook, string, error) {
	tctx, tr := api.WithTracking(ctx)
	wh, err := w.Client.CreateWebhook(tctx, in)
	id := ""
	if wh != nil {
		id = wh.ID
	}
	w.audit(OpWebhookCreate, id, tr.ID(), err)
	return wh, tr.ID(), err
}

// Update sends in to webhook id.
func (w Webhooks) Update(ctx context.Context, id string, in api.WebhookUpdate) (*api.Webhook, string, error) {
	tctx, tr := api.WithTracking(ctx)
	wh, err := w.Client.UpdateWebhook(tctx, id, in)
	auditID := id
	if wh != nil && wh.ID != "" {
		auditID = wh.ID
	}
	w.audit(OpWebhookUpdate, auditID, tr.ID(), err)
	return wh, tr.ID(), err
}

// Delete removes webhook id.
func (w Webhooks) Delete(ctx context.Context, id string) (string, error) {
	tctx, tr := api.WithTracking(ctx)
	err := w.Client.DeleteWebhook(tctx, id)
	w.audit(OpWebhookDelete, id, tr.ID(), err)
	return tr.ID(), err
}

// Ensured audits what an ensure wrote: each webhook it created as a create, each it
// re-activated or gave a new secret as an update (the ensure's calls carry no trackingId back).
func (w Webhooks) Ensured(res *api.EnsureResult) {
	if res == nil {
		return
	}
	for _, wh := range res.Created {
		w.audit(OpWebhookCreate, wh.ID, "", nil)
	}
	for _, wh := range append(append([]api.Webhook(nil), res.Reactivated...), res.Rotated...) {
		w.audit(OpWebhookUpdate, wh.ID, "", nil)
	}
}

// EnsureFailed audits an ensure that failed, unless it was refused before any write (the
// given secret differs from the pair's: nothing was sent, so there is nothing to record).
func (w Webhooks) EnsureFailed(err error) {
	var mis *api.SecretMismatchError
	if errors.As(err, &mis) {
		return
	}
	w.audit(OpWebhookEnsure, "", "", err)
}
