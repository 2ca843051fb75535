package gateway

import (
	"strings"
	"time"

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

// RequestFor is the probe of d as Webex would reach it.
func RequestFor(d *api.DataSource, keys KeysFunc, now time.Time) ProbeRequest {
	return ProbeRequest{ID: d.ID, URL: d.URL, Token: d.JWSToken, OrgID: d.OrgID, Keys: keys, Now: now}
}
