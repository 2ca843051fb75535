package keeper

import (
	"context"
	"net/http"
	"time"

	"github.com/byova/byova/config"
)

// Leader is the fleet's keeper election (etcdstore.Elector). With one, the keeper runs rounds
// only while this replica leads, and every call it makes to Webex and every token it writes is
// checked against that leadership.
type Leader interface {
	// Lead blocks until this replica leads; the context it returns ends the moment it stops.
	Lead(ctx context.Context) (context.Context, error)
	// Check asks the store whether this replica still leads; it is called right before each
	// request to Webex.
	Check(ctx context.Context) error
	// Leading is whether this replica believes it leads.
	Leading() bool
	// Fenced wraps the token store so its writes land only while this replica leads.
	Fenced(config.TokenStore) config.TokenStore
}

// retryLead is how long the keeper waits before campaigning again after the store failed.
const retryLead = time.Second

// leaderTransport asks Leader.Check before every request, so a keeper that lost leadership (a
// paused process that woke after another won) sends nothing more to Webex.
type leaderTransport struct {
	base   http.RoundTripper
	leader Leader
}

func (t leaderTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := t.leader.Check(r.Context()); err != nil {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, err
	}
	return t.base.RoundTrip(r)
}

// loopLeading is Loop with an election: campaign, run rounds while leading (a lost lead ends the
// round in flight at once: its context is cancelled), campaign again. Unlike the lone keeper,
// shutdown also cancels the round in flight: the replica resigns at once, and the next leader's
// round redoes what was cut off (each extend rechecks that the source is still due).
func (k *Keeper) loopLeading(ctx context.Context) {
	for ctx.Err() == nil {
		lctx, err := k.o.Leader.Lead(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			k.o.Log.Error("keeper election failed", "event", "leader", "error", err.Error(), "hint", "the keeper campaigns again in "+retryLead.String())
			t := time.NewTimer(retryLead)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
			continue
		}
		for lctx.Err() == nil {
			k.RunOnce(lctx)
			t := time.NewTimer(k.nextWait())
			select {
			case <-lctx.Done():
				t.Stop()
			case <-t.C:
			}
		}
		k.o.Log.Info("keeper stepped down", "event", "leader", "leader", false)
	}
}

// Leading is whether this keeper runs rounds: always without an election.
func (k *Keeper) Leading() bool { return k.o.Leader == nil || k.o.Leader.Leading() }
