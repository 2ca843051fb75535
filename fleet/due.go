package fleet

import (
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
)

// DefaultWithin is the one default extend window: the profile's extend_within (the UI's X),
// [serve.keep] within and the README's cron line all start from it. It lives in config, the
// lowest package that reads it, and is named here for the front ends.
const DefaultWithin = config.DefaultExtendWithin

// Window is how close to expiry ds must be to be due: the smaller of within and half the
// token's lifetime, so a 180-minute source under a 3h window is extended with 90 minutes
// left, not on every run. An unknown lifetime counts as the one Lifetime keeps (1440).
func Window(ds *api.DataSource, within time.Duration) time.Duration {
	half := time.Duration(Lifetime(ds, 0).Minutes) * time.Minute / 2
	return min(within, half)
}

// Due reports whether ds should be extended at now under within (expired tokens are due). A
// token whose expiry is unknown (no jwsToken, or one that does not decode) is never due: no
// rule can tell, and extending it on every run would churn it. Name such a source by ID to
// extend it anyway.
func Due(ds *api.DataSource, now time.Time, within time.Duration) bool {
	return ds.ExpiresWithin(now, Window(ds, within))
}
