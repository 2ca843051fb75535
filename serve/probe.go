package serve

import (
	"context"
	"crypto/x509"
	"log/slog"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/gateway"
	"github.com/byova/byova/keeper"
	"github.com/byova/byova/metrics"
	"github.com/byova/byova/session"
)

// probeWorkers is how many endpoints the prober probes at once: a few, as the issue asks, so
// a run of many data sources never opens many connections at once.
const probeWorkers = 4

// Prober probes every active Voice Virtual Agent data source's gateway of every stored org,
// every [serve.probe] interval, and exports the results (metrics.Endpoints). With a shared
// store only the replica that leads the keeper probes: three replicas probing would knock on
// every customer's gateway three times, with Webex's token, for one answer.
type Prober struct {
	sess     *session.Session
	leader   keeper.Leader // nil: this replica is alone
	m        *metrics.Endpoints
	interval time.Duration
	poll     time.Duration // how often Loop looks whether this replica leads (followerPoll)
	roots    *x509.CertPool
	timeout  time.Duration
	log      *slog.Logger
	now      func() time.Time
}

// Prober is the server's endpoint prober (nil when [serve.probe] interval is "0").
func (s *Server) Prober() *Prober { return s.prober }

func newProber(o Options, m *metrics.Metrics) *Prober {
	if o.Settings.ProbeInterval <= 0 {
		return nil
	}
	return &Prober{sess: o.Session, leader: o.Leader, m: m.Endpoints(), interval: o.Settings.ProbeInterval, roots: o.ProbeRoots,
		timeout: 10 * time.Second, log: o.Log, now: o.Now, poll: followerPoll}
}

// followerPoll is how often the loop looks whether this replica leads: a replica that wins
// the election probes within it, and one that loses stops exporting within it.
const followerPoll = 2 * time.Second

// Loop probes now and then every interval until ctx ends, while this replica probes (alone, or
// leading the keeper); it looks every poll whether that changed.
func (p *Prober) Loop(ctx context.Context) {
	var next time.Time // the next run while leading; zero: at once
	for {
		if !p.leads() {
			if !next.IsZero() {
				p.m.Observe(nil) // it led until now: the new leader's series are the fleet's
			}
			next = time.Time{}
		} else if now := p.now(); !now.Before(next) {
			p.RunOnce(ctx)
			next = now.Add(p.interval)
		}
		wait := p.poll
		if !next.IsZero() {
			wait = min(wait, next.Sub(p.now()))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// leads reports whether this replica probes: alone, or leading the keeper.
func (p *Prober) leads() bool { return p.leader == nil || p.leader.Leading() }

// RunOnce probes every probeable data source of every stored org once. One org or data source
// that fails is its own row (house rule 4): the rest go on.
func (p *Prober) RunOnce(ctx context.Context) []metrics.EndpointResult {
	if !p.leads() {
		// A follower exports no endpoint series: the leader's are the fleet's (its last run's
		// would go stale here, and read as the gateways' state once another replica leads).
		p.m.Observe(nil)
		return nil
	}
	orgs, err := p.sess.StoredOrgs()
	if err != nil {
		p.log.Error("prober: stored orgs", "event", "probe", "error", err.Error())
		return nil
	}
	ks, err := p.sess.KeySet()
	if err != nil {
		// Probes still run; their claims step says the signature was not checked.
		p.log.Warn("prober: key set", "event", "probe", "error", err.Error())
		ks = nil
	}
	now := p.now()
	type row struct{ org, audience string }
	var reqs []gateway.ProbeRequest
	var rows []row
	var unlisted []string // orgs whose endpoints keep their last run's series
	for _, org := range orgs {
		c, err := p.sess.OrgClient(org)
		if err != nil {
			p.log.Warn("prober: org client", "event", "probe", "org", org, "error", err.Error())
			unlisted = append(unlisted, org)
			continue
		}
		items, err := c.ListDataSources(ctx)
		if err != nil {
			p.log.Warn("prober: list data sources", "event", "probe", "org", org, "error", err.Error())
			unlisted = append(unlisted, org)
			continue
		}
		keys := gateway.ProbeKeys{Set: ks, Client: c}
		for i := range items {
			d := &items[i]
			if ok, _ := gateway.Probeable(d, now); !ok {
				continue
			}
			reqs = append(reqs, gateway.ProbeRequestFor(ctx, d, keys, now))
			rows = append(rows, row{org: org, audience: audienceOf(d)})
		}
	}
	o := gateway.Options{Roots: p.roots, Timeout: p.timeout}
	probes := gateway.RunAll(ctx, reqs, o, probeWorkers, nil)
	if ctx.Err() != nil {
		return nil // shutting down: keep the last whole run's series
	}
	out := make([]metrics.EndpointResult, len(probes))
	for i, pr := range probes {
		out[i] = metrics.EndpointResult{Org: rows[i].org, ID: pr.ID, Audience: rows[i].audience, Up: pr.OK,
			Duration: pr.Duration, CertExpiry: pr.CertExpiry}
		if f := pr.Failed(); f != nil {
			p.log.Warn("endpoint down", "event", "probe", "org", rows[i].org, "id", pr.ID, "step", f.Name, "verdict", f.Verdict)
		}
	}
	p.m.Observe(out, unlisted...)
	p.log.Info("probe run", "event", "probe", "endpoints", len(out))
	return out
}

// audienceOf is the registered audience, else the token's (list items may lack it).
func audienceOf(d *api.DataSource) string {
	if d.Audience != "" {
		return d.Audience
	}
	return d.Registered().Audience
}
