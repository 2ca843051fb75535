package gateway

import (
	"context"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/byova/byova/api"
)

// Probeable says whether --all (and serve's prober) should probe d: an active gRPC Voice
// Virtual Agent data source whose token is current. Why says what was left out and why.
func Probeable(d *api.DataSource, now time.Time) (ok bool, why string) {
	switch {
	case !strings.EqualFold(d.SchemaID, SchemaVoiceVirtualAgent):
		return false, "not the gRPC Voice Virtual Agent schema"
	case d.Status != "" && d.Status != "active":
		return false, "status " + d.Status + ": Webex does not call it"
	case !d.Expiry().IsZero() && !now.Before(d.Expiry()):
		return false, "its token expired at " + d.Expiry().UTC().Format(time.RFC3339) + ": Webex stops calling; extend it (byova ds extend ID)"
	}
	return true, ""
}

// ProbeKeys is how a probe's claims step checks the token's signature: Webex's key set and
// the client that fetches it. Without a Set the step says the signature was not checked.
type ProbeKeys struct {
	Set    *api.KeySet
	Client *api.Client
}

// ProbeRequestFor is the probe of d as Webex would reach it, the signature checked with keys
// fetched under ctx (the probe's own): the one builder for the CLI, serve's prober and the UI.
func ProbeRequestFor(ctx context.Context, d *api.DataSource, keys ProbeKeys, now time.Time) ProbeRequest {
	var kf KeysFunc
	if keys.Set != nil && keys.Client != nil {
		kf = func(kid string) (*jose.JSONWebKeySet, error) { return keys.Set.KeysFor(ctx, keys.Client, kid) }
	}
	return ProbeRequest{ID: d.ID, URL: d.URL, Token: d.JWSToken, OrgID: d.OrgID, Keys: kf, Now: now}
}
