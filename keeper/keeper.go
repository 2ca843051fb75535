package keeper

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/fleet"
	"github.com/byova/byova/session"
)

// Defaults of [serve.keep].
const (
	DefaultInterval = 10 * time.Minute
	DefaultWithin   = fleet.DefaultWithin
	MinInterval     = time.Second // for drills
	DefaultWorkers  = fleet.Parallel
)

// Actor is the name the keeper writes into the audit log.
const Actor = "keeper"

// Results of one run, the values of byova_keeper_runs_total{result}.
const (
	RunOK      = "ok"      // every org was handled
	RunPartial = "partial" // some org or data source failed; the rest went on
	RunFailed  = "failed"  // nothing could be done (the token store is unreadable)
)

// Results of one data source, the values of byova_keeper_extends_total{result}.
const (
	ExtendOK     = "extended"
	ExtendDryRun = "would_extend"
	ExtendFailed = "failed"
)

// Observer is told what the keeper saw; metrics implement it. Calls may come from several
// goroutines.
type Observer interface {
	// DataSources is every data source of org as listed in this run.
	DataSources(org string, items []api.DataSource)
	// Extend is one data source's outcome (ExtendOK, ExtendDryRun, ExtendFailed); ds is
	// Webex's answer to an extend that was sent (its new expiry), nil otherwise.
	Extend(org, result string, ds *api.DataSource)
	// OrgUp is whether org's round of this run succeeded (listed, and nothing failed).
	OrgUp(org string, up bool)
	// TokenExpiry is a stored token's expiry (kind: config.Kind*; org empty but for Service Apps).
	TokenExpiry(kind, org string, expiry time.Time)
	// Run is the end of a run (RunOK, RunPartial, RunFailed).
	Run(result string, at time.Time)
	// OrgGone is an org kept before and no longer (its tokens were removed): its series go.
	OrgGone(org string)
}

// Options configure a Keeper. Session is required; the zero value of the rest is sensible.
type Options struct {
	Session  *session.Session // the profile whose stored orgs are kept; its Actor is set to "keeper"
	Interval time.Duration    // between runs, jittered ±10%; default DefaultInterval
	Within   time.Duration    // extend tokens expiring within this; default DefaultWithin
	DryRun   bool             // log and count what would be extended; send no write
	Workers  int              // extends at once per org; default DefaultWorkers
	Now      func() time.Time // clock; default time.Now
	Log      *slog.Logger     // one JSON line per action; default discards
	Observer Observer         // nil: none
	Leader   Leader           // nil: this keeper always runs (one serve); leader.go
}

// Keeper extends due data source tokens and refreshes Service App tokens, org by org.
type Keeper struct {
	o    Options
	sess *session.Session
	halt atomic.Bool // set when Loop's context ends: start nothing new, finish what is in flight

	mu       sync.Mutex // guards the fields below
	backoff  map[string]orgBackoff
	kept     map[string]bool // the orgs of the last run that read the store
	lastDone time.Time       // end of the last run that completed (ok or partial)
	lastRun  time.Time
}

type orgBackoff struct {
	until  time.Time
	streak int
}

// New checks o and builds a Keeper.
func New(o Options) (*Keeper, error) {
	if o.Session == nil {
		return nil, errors.New("keeper: no session")
	}
	if o.Interval == 0 {
		o.Interval = DefaultInterval
	}
	if o.Within == 0 {
		o.Within = DefaultWithin
	}
	if o.Interval < MinInterval {
		return nil, fmt.Errorf("keep.interval %s is too short: give 1s or more (default %s)", o.Interval, DefaultInterval)
	}
	if o.Within <= 0 {
		return nil, fmt.Errorf("keep.within %s must be positive (default %s)", o.Within, DefaultWithin)
	}
	if o.Workers <= 0 {
		o.Workers = DefaultWorkers
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	sess := o.Session.Clone()
	sess.Actor, sess.ActorKey = Actor, ""
	if o.Leader != nil {
		sess.Store = o.Leader.Fenced(sess.Store)
		base := http.DefaultTransport
		if sess.HTTP != nil && sess.HTTP.Transport != nil {
			base = sess.HTTP.Transport
		}
		if err := sess.SetHTTPClient(&http.Client{Transport: leaderTransport{base: base, leader: o.Leader}}); err != nil {
			return nil, err
		}
	}
	return &Keeper{o: o, sess: sess, backoff: map[string]orgBackoff{}}, nil
}

// Interval is the configured time between runs.
func (k *Keeper) Interval() time.Duration { return k.o.Interval }

// LastCompleted is when the last run that completed (RunOK or RunPartial: the store read and
// every org had its round) ended; zero before one. One org failing does not make serve unready.
func (k *Keeper) LastCompleted() time.Time {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.lastDone
}

// Loop runs the keeper at once and then every jittered interval until ctx ends. When ctx
// ends, a run in flight starts no further extend but lets those already sent finish (each call
// is bounded by the client's timeout), so no write is cut off half-way; Loop then returns.
func (k *Keeper) Loop(ctx context.Context) {
	stop := context.AfterFunc(ctx, func() { k.halt.Store(true) })
	defer stop()
	if k.o.Leader != nil {
		k.loopLeading(ctx)
		return
	}
	runCtx := context.WithoutCancel(ctx)
	for {
		if ctx.Err() != nil {
			return
		}
		k.RunOnce(runCtx)
		t := time.NewTimer(k.nextWait())
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// nextWait is the interval ±10%, so several keepers (or a restart loop) do not call Webex in step.
func (k *Keeper) nextWait() time.Duration {
	j := k.o.Interval / 10
	if j <= 0 {
		return k.o.Interval
	}
	return k.o.Interval - j + rand.N(2*j+1)
}

// Report is what one run did.
type Report struct {
	Result string
	Orgs   []OrgReport
}

// OrgReport is one org's part of a run.
type OrgReport struct {
	Org      string
	Skipped  bool // backing off after a 429/5xx
	Err      error
	Listed   int      // data sources the org has
	Extended []string // ids (or, in a dry run, the ids that would be)
	Failed   []string
}

// RunOnce does one run synchronously: every org with a stored Service App token, one after
// another, so one org failing never stops the next. It never panics on what Webex sends.
func (k *Keeper) RunOnce(ctx context.Context) Report {
	now := k.o.Now()
	orgs, err := k.orgs()
	if err != nil {
		k.o.Log.Error("keeper run failed", append([]any{"event", "run", "result", RunFailed}, described(err)...)...)
		return k.finish(Report{Result: RunFailed})
	}
	k.observeTokens()
	k.forgetGone(orgs)
	rep := Report{Result: RunOK}
	for _, org := range orgs {
		or := k.runOrg(ctx, org, now)
		if or.Err != nil || len(or.Failed) > 0 || or.Skipped {
			rep.Result = RunPartial
		}
		rep.Orgs = append(rep.Orgs, or)
		if ctx.Err() != nil || k.halt.Load() {
			rep.Result = RunPartial
			break
		}
	}
	k.observeTokens()
	return k.finish(rep)
}

// orgs are the orgs with a stored Service App token, plus the profile's configured org (--org,
// WEBEX_ORG_ID) when it has none stored yet, as with the sandbox refresh token.
func (k *Keeper) orgs() ([]string, error) {
	orgs, err := k.sess.StoredOrgs()
	if err != nil {
		return nil, err
	}
	if k.sess.Settings.Org != "" {
		if org, err := api.OrgUUID(k.sess.Settings.Org); err == nil && !slices.Contains(orgs, org) {
			orgs = append(orgs, org)
		}
	}
	return orgs, nil
}

// forgetGone tells the observer about orgs kept in the last run and not in this one, so their
// series stop firing alerts for tokens nobody holds any more.
func (k *Keeper) forgetGone(orgs []string) {
	now := make(map[string]bool, len(orgs))
	for _, o := range orgs {
		now[o] = true
	}
	k.mu.Lock()
	var gone []string
	for o := range k.kept {
		if !now[o] {
			gone = append(gone, o)
		}
	}
	k.kept = now
	k.mu.Unlock()
	if k.o.Observer != nil {
		for _, o := range gone {
			k.o.Observer.OrgGone(o)
		}
	}
}

func (k *Keeper) finish(rep Report) Report {
	at := k.o.Now()
	k.mu.Lock()
	k.lastRun = at
	if rep.Result == RunOK || rep.Result == RunPartial {
		k.lastDone = at
	}
	k.mu.Unlock()
	if k.o.Observer != nil {
		k.o.Observer.Run(rep.Result, at)
	}
	k.o.Log.Info("keeper run", "event", "run", "result", rep.Result, "orgs", len(rep.Orgs), "dryRun", k.o.DryRun)
	return rep
}

func (k *Keeper) runOrg(ctx context.Context, org string, now time.Time) OrgReport {
	or := OrgReport{Org: org}
	k.mu.Lock()
	b := k.backoff[org]
	k.mu.Unlock()
	if now.Before(b.until) {
		or.Skipped = true
		k.o.Log.Info("org backing off", "event", "skip", "org", org, "until", b.until.UTC())
		return or
	}
	err := k.keepOrg(ctx, org, now, &or)
	k.mu.Lock()
	defer k.mu.Unlock()
	if fleet.Throttled(err) {
		b.streak++
		b.until = now.Add(backoffFor(b.streak, fleet.RetryAfter(err)))
		k.backoff[org] = b
		k.o.Log.Warn("org throttled, backing off", append([]any{"event", "backoff", "org", org, "until", b.until.UTC()}, described(err)...)...)
	} else if err == nil {
		delete(k.backoff, org)
	}
	if err != nil {
		or.Err = err
		k.o.Log.Error("org failed", append([]any{"event", "org", "org", org}, described(err)...)...)
	}
	if k.o.Observer != nil {
		k.o.Observer.OrgUp(org, err == nil && len(or.Failed) == 0)
	}
	return or
}

// described is err's log attributes: the raw error, and fleet.Describe's wording of it, so
// the log line reads as the CLI's stderr and the UI's banner do.
func described(err error) []any {
	d := fleet.Describe(err)
	attrs := []any{"error", err.Error(), "headline", d.Headline}
	if h := d.HintWith("the next run retries"); h != "" {
		attrs = append(attrs, "hint", h)
	}
	return append(attrs, "trackingId", d.TrackingID, "retryable", d.Retryable)
}

// keepOrg refreshes org's Service App token when it is about to lapse, lists its data sources
// and extends the due ones. The error is what stopped the org (a throttled extend counts).
func (k *Keeper) keepOrg(ctx context.Context, org string, now time.Time, or *OrgReport) error {
	if err := k.refreshIfDue(ctx, org, now); err != nil {
		return err
	}
	c, err := k.sess.OrgClient(org)
	if err != nil {
		return err
	}
	items, err := c.ListDataSources(ctx)
	if err != nil {
		return err
	}
	or.Listed = len(items)
	if k.o.Observer != nil {
		k.o.Observer.DataSources(org, items)
	}
	var due []string
	for i := range items {
		if fleet.Due(&items[i], now, k.o.Within) {
			due = append(due, items[i].ID)
		}
	}
	return k.extendAll(ctx, c, org, now, due, or)
}

// extendAll extends ids through fleet's pool, a few at a time, each rechecked as due on its
// fresh GET. After a 429 or 5xx no further extend of this org starts in this run; the error
// returned is that throttling one.
func (k *Keeper) extendAll(ctx context.Context, c *api.Client, org string, now time.Time, ids []string, or *OrgReport) error {
	jobs := make([]fleet.Job, len(ids))
	for i, id := range ids {
		jobs[i] = fleet.Job{Org: org, Client: c, ID: id, Within: k.o.Within, DryRun: k.o.DryRun}
	}
	ex := fleet.Extender{Now: func() time.Time { return now }, Audit: k.sess.AuditTracked,
		AuditFailed: func(err error) {
			k.o.Log.Error("audit log not written", "event", "audit", "org", org, "error", err.Error())
		}}
	var stop error
	ex.Run(ctx, jobs, fleet.RunOptions{Limit: k.o.Workers, Halt: k.halt.Load, Each: func(r fleet.Result) {
		result := k.logExtend(r)
		if k.o.Observer != nil && result != "" {
			k.o.Observer.Extend(org, result, r.DataSource)
		}
		switch {
		case r.Err != nil && result == "":
			// not tried after the org was throttled: neither failed nor extended
		case r.Err != nil:
			or.Failed = append(or.Failed, r.ID)
			if fleet.Throttled(r.Err) && stop == nil {
				stop = r.Err
			}
		case result != "":
			or.Extended = append(or.Extended, r.ID)
		}
	}})
	return stop
}

// logExtend writes r's log line and returns its metric label ("" when there was nothing to do).
func (k *Keeper) logExtend(r fleet.Result) string {
	log := k.o.Log.With("org", r.Org, "id", r.ID)
	if te := (*fleet.ThrottledError)(nil); errors.As(r.Err, &te) {
		// Not sent: the org's backoff line says why; the next run tries it.
		log.Info("extend not tried", "event", "extend", "result", "not_tried", "error", r.Err.Error())
		return ""
	}
	if r.Lifetime.Defaulted && r.Outcome != fleet.NotDue {
		log = log.With("lifetimeDefaulted", true, "note", fleet.DefaultedNote)
	}
	switch r.Outcome {
	case fleet.Failed:
		log.Error("extend failed", append([]any{"event", "extend", "result", ExtendFailed, "dryRun", k.o.DryRun}, described(r.Err)...)...)
		return ExtendFailed
	case fleet.WouldExtend:
		log.Info("would extend", "event", "extend", "result", ExtendDryRun, "dryRun", true,
			"oldExpiry", r.Before.UTC(), "lifetimeMinutes", r.Lifetime.Minutes)
		return ExtendDryRun
	case fleet.Extended:
		log.Info("extended", "event", "extend", "result", ExtendOK, "oldExpiry", r.Before.UTC(),
			"newExpiry", r.After.UTC(), "lifetimeMinutes", r.Lifetime.Minutes, "trackingId", r.TrackingID)
		return ExtendOK
	}
	return ""
}

// refreshAhead is how long before its expiry a Service App token is refreshed: later than
// the next run would be too late, so at least two intervals.
func (k *Keeper) refreshAhead() time.Duration { return max(2*k.o.Interval, 15*time.Minute) }

// refreshIfDue refreshes org's stored Service App token through the session (under the token
// store's lock, like every refresh) when it lapses before the run after next.
func (k *Keeper) refreshIfDue(ctx context.Context, org string, now time.Time) error {
	if k.sess.Store == nil {
		return nil
	}
	toks, err := k.sess.Store.Load()
	if err != nil {
		return err
	}
	ps := toks.Profiles[k.sess.Profile()]
	if ps == nil || ps.Orgs[org] == nil {
		return nil
	}
	t := ps.Orgs[org]
	if t.AccessToken != "" && (t.Expiry.IsZero() || t.Expiry.After(now.Add(k.refreshAhead()))) {
		return nil
	}
	nt, err := k.sess.RefreshNow(ctx, config.KindServiceApp, org)
	if err != nil {
		k.o.Log.Error("token refresh failed", append([]any{"event", "refresh", "org", org}, described(err)...)...)
		return err
	}
	k.o.Log.Info("token refreshed", "event", "refresh", "org", org, "expiry", nt.Expiry.UTC())
	return nil
}

// observeTokens hands the stored tokens' expiries to the observer.
func (k *Keeper) observeTokens() {
	if k.o.Observer == nil || k.sess.Store == nil {
		return
	}
	toks, err := k.sess.Store.Load()
	if err != nil {
		return
	}
	ps := toks.Profiles[k.sess.Profile()]
	if ps == nil {
		return
	}
	if ps.Integration != nil && !ps.Integration.Expiry.IsZero() {
		k.o.Observer.TokenExpiry(config.KindIntegration, "", ps.Integration.Expiry)
	}
	if ps.PAT != nil && !ps.PAT.Expiry.IsZero() {
		k.o.Observer.TokenExpiry(config.KindPAT, "", ps.PAT.Expiry)
	}
	for org, t := range ps.Orgs {
		if t != nil && !t.Expiry.IsZero() {
			k.o.Observer.TokenExpiry(config.KindServiceApp, org, t.Expiry)
		}
	}
}
