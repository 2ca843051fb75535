package fleet

import "github.com/byova/byova/api"

// LifetimeChoice is the token lifetime an extend asks for, and whether it was made up.
type LifetimeChoice struct {
	Minutes int
	// Defaulted: Webex did not say (or said something out of range), so the maximum is asked
	// for; the front ends say so, as the source's lifetime may change.
	Defaulted bool
}

// Lifetime is the lifetime an extend of ds sends: override when given (> 0, checked by the
// caller), else what Webex says, else api.MaxLifetimeMinutes, flagged as Defaulted.
func Lifetime(ds *api.DataSource, override int) LifetimeChoice {
	if override > 0 {
		return LifetimeChoice{Minutes: override}
	}
	if ds != nil && api.ValidateLifetime(ds.TokenLifetimeMinutes) == nil {
		return LifetimeChoice{Minutes: ds.TokenLifetimeMinutes}
	}
	return LifetimeChoice{Minutes: api.MaxLifetimeMinutes, Defaulted: true}
}

// DefaultedNote is how the front ends word a defaulted lifetime.
const DefaultedNote = "lifetime 1440 (Webex gave no valid tokenLifetimeMinutes)"
