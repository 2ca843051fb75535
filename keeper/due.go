package keeper

import (
	"time"

	"github.com/byova/byova/api"
)

// Window is how close to expiry a data source must be before the keeper extends it: within,
// or half the source's lifetime when that lifetime is shorter than within, so a 60-minute
// source is extended with 30 minutes left rather than on every run.
func Window(ds *api.DataSource, within time.Duration) time.Duration {
	life := time.Duration(ds.TokenLifetimeMinutes) * time.Minute
	if life > 0 && life < within {
		return life / 2
	}
	return within
}

// Due reports whether ds should be extended now. A token whose expiry is unknown is not due:
// the keeper cannot tell, and extending blindly on every run would churn it.
func Due(ds *api.DataSource, now time.Time, within time.Duration) bool {
	return ds.ExpiresWithin(now, Window(ds, within))
}
