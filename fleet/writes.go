package fleet

import (
	"context"

	"github.com/byova/byova/api"
)

// Writer is one org's audited data source writes: each call is sent with a trackingId
// recorded and audited once, with the op name from the one list, whichever front end asks.
type Writer struct {
	Org         string
	Client      *api.Client
	Audit       Auditor     // nil: no audit (tests)
	AuditFailed func(error) // told when the audit line could not be written
}

func (w Writer) audit(op, id, trackingID string, err error) {
	if w.Audit == nil {
		return
	}
	if aerr := w.Audit(w.Org, op, id, trackingID, err); aerr != nil && w.AuditFailed != nil {
		w.AuditFailed(aerr)
	}
}

// Create registers a data source (a fresh nonce when in has none). It returns Webex's answer
// and the trackingId of the write.
func (w Writer) Create(ctx context.Context, in api.DataSourceCreate) (*api.DataSource, string, error) {
	if in.Nonce == "" {
		in.Nonce = api.NewNonce()
	}
	tctx, tr := api.WithTracking(ctx)
	d, err := w.Client.CreateDataSource(tctx, in)
	id := ""
	if d != nil {
		id = d.ID
	}
	w.audit(OpDataSourceCreate, id, tr.ID(), err)
	return d, tr.ID(), err
}

// Update sends in, the full configuration (a fresh nonce when it has none), to data source id.
func (w Writer) Update(ctx context.Context, id string, in api.DataSourceUpdate) (*api.DataSource, string, error) {
	if in.Nonce == "" {
		in.Nonce = api.NewNonce()
	}
	tctx, tr := api.WithTracking(ctx)
	d, err := w.Client.UpdateDataSource(tctx, id, in)
	w.audit(OpDataSourceUpdate, id, tr.ID(), err)
	return d, tr.ID(), err
}

// Delete removes data source id.
func (w Writer) Delete(ctx context.Context, id string) (string, error) {
	tctx, tr := api.WithTracking(ctx)
	err := w.Client.DeleteDataSource(tctx, id)
	w.audit(OpDataSourceDelete, id, tr.ID(), err)
	return tr.ID(), err
}

// UpdateFrom is the update that keeps cur as it is, with a fresh nonce and the lifetime rule
// (Lifetime): a caller changes only what a person named.
func UpdateFrom(cur *api.DataSource) api.DataSourceUpdate {
	up := api.UpdateFrom(cur)
	up.Nonce = api.NewNonce()
	up.TokenLifetimeMinutes = Lifetime(cur, 0).Minutes
	return up
}
