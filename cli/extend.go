package cli

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/byova/byova/api"
)

// extendWorkers is how many extends run at once: enough to finish a fleet quickly, few
// enough not to provoke Webex's rate limits.
const extendWorkers = 4

// extendResult is one line of the extend summary (and of its --json).
type extendResult struct {
	ID         string    `json:"id"`
	Org        string    `json:"org,omitempty"`
	Audience   string    `json:"audience,omitempty"`
	OldExpiry  time.Time `json:"oldExpiry,omitzero"`
	NewExpiry  time.Time `json:"newExpiry,omitzero"`
	Result     string    `json:"result"` // extended, would extend, failed
	Error      string    `json:"error,omitempty"`
	TrackingID string    `json:"trackingId,omitempty"`
}

func (a *app) dsExtendCmd() *cobra.Command {
	var (
		all, dryRun, allOrgs, asJSON bool
		within                       time.Duration
		lifetime                     int
	)
	cmd := &cobra.Command{
		Use:   "extend (ID... | --all) [--within DURATION] [--lifetime MIN] [--dry-run]",
		Short: "Give data sources a fresh token: new nonce, same configuration",
		Long: `Extend data source tokens: each gets a fresh UUID v4 nonce and keeps its audience, subject,
schemaId, url and status. With --all, every data source is considered; --within DURATION
(a Go duration: 2h, 90m) narrows that to those whose token expires within it, expired ones
included. The token lifetime stays each data source's own tokenLifetimeMinutes unless
--lifetime is given. With --all-orgs every org holding a stored Service App token is its own
unit: an org whose token cannot be had (deauthorized, revoked) is one failed row and the other
orgs go on. Exits 4 when some extends failed; none is retried blindly.`,
		Example: `  byova datasources extend 0f6c…           # one data source
  byova datasources extend --all --within 2h # everything expiring in the next two hours
  byova ds extend --all --within 24h --dry-run`,
		RunE: func(cmd *cobra.Command, args []string) error {
			fl := cmd.Flags()
			switch {
			case all && len(args) > 0:
				return usagef("give data source IDs or --all, not both")
			case !all && len(args) == 0:
				return usagef("datasources extend needs data source IDs or --all")
			case checkIDs("data source", args...) != nil:
				return checkIDs("data source", args...)
			case fl.Changed("within") && !all:
				return usagef("--within only applies with --all")
			case allOrgs && !all:
				return usagef("--all-orgs only applies with --all")
			case fl.Changed("within") && within <= 0:
				return usagef("--within must be a positive duration like 2h or 90m")
			}
			if fl.Changed("lifetime") {
				if err := validateLifetime(lifetime); err != nil {
					return err
				}
			} else {
				lifetime = 0 // keep each data source's own
			}
			if !dryRun {
				if err := a.guardWrite("extend data source tokens"); err != nil {
					return err
				}
			}
			jobs, units, err := a.extendJobs(cmd.Context(), args, all, allOrgs, fl.Changed("within"), within)
			if err != nil {
				return err
			}
			results := a.runExtends(cmd.Context(), jobs, lifetime, dryRun)
			failed := 0
			for _, r := range results {
				if r.Result == "failed" {
					failed++
				}
			}
			if asJSON {
				if err := printJSON(a.stdout, results); err != nil {
					return err
				}
			} else {
				a.printExtendSummary(results, all, allOrgs, within, dryRun)
			}
			switch {
			case failed == 0:
				return nil
			case len(results) == 1 && units == 1:
				return jobs[0].err
			}
			fmt.Fprintf(a.stderr, "byova: %d of %d extends failed; see the table above\n", failed, len(results))
			return &partialError{failed: failed, total: len(results)}
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&all, "all", false, "consider every data source")
	fl.DurationVar(&within, "within", 0, "with --all: only tokens expiring within this duration (expired ones too)")
	fl.IntVar(&lifetime, "lifetime", 0, "new token lifetime in minutes, 1-1440 (default: keep each data source's current one)")
	fl.BoolVar(&dryRun, "dry-run", false, "show what would be extended; send nothing")
	fl.BoolVar(&allOrgs, "all-orgs", false, "with --all: every org with a stored Service App token")
	fl.BoolVar(&asJSON, "json", false, "print the results as JSON")
	return cmd
}

// extendJob is one data source to extend in one org, or (id "") an org that failed before
// any of its data sources could be listed.
type extendJob struct {
	org    string
	client *api.Client
	id     string
	res    extendResult
	err    error
}

// extendJobs lists what to extend. With --all-orgs each org is its own unit: an org whose
// token cannot be had or whose list fails becomes one failed job, and the other orgs go on
// (a cron job must not let every customer's tokens expire for one org's revoked consent).
// units counts the items that can fail on their own: IDs, or orgs.
func (a *app) extendJobs(ctx context.Context, ids []string, all, allOrgs, useWithin bool, within time.Duration) (jobs []*extendJob, units int, err error) {
	sess, err := a.session()
	if err != nil {
		return nil, 0, err
	}
	var orgs []string
	if allOrgs {
		if orgs, err = sess.StoredOrgs(); err != nil {
			return nil, 0, err
		}
		if len(orgs) == 0 {
			return nil, 0, &api.SignInError{Reason: "--all-orgs: no org has a stored Service App token; sign in to one first"}
		}
	} else {
		org, err := sess.Org()
		if err != nil {
			return nil, 0, err
		}
		orgs = []string{org}
	}
	units = len(orgs)
	if !all {
		units = len(ids)
	}
	now := time.Now()
	for _, org := range orgs {
		c, err := sess.OrgClient(org)
		var found []*extendJob
		if err == nil {
			found, err = orgJobs(ctx, c, org, ids, all, useWithin, within, now)
		}
		if err != nil {
			if !allOrgs {
				return nil, 0, err
			}
			jobs = append(jobs, orgFailed(org, err))
			continue
		}
		jobs = append(jobs, found...)
	}
	return jobs, units, nil
}

// orgJobs are one org's data sources to extend: the IDs given, or with --all those listed
// (narrowed by --within).
func orgJobs(ctx context.Context, c *api.Client, org string, ids []string, all, useWithin bool, within time.Duration, now time.Time) ([]*extendJob, error) {
	var jobs []*extendJob
	if !all {
		for _, id := range ids {
			jobs = append(jobs, &extendJob{org: org, client: c, id: id})
		}
		return jobs, nil
	}
	items, err := c.ListDataSources(ctx)
	if err != nil {
		return nil, err
	}
	for i := range items {
		d := &items[i]
		if useWithin && !d.ExpiresWithin(now, within) {
			continue
		}
		jobs = append(jobs, &extendJob{org: org, client: c, id: d.ID}) // GET again before the PUT
	}
	return jobs, nil
}

// orgFailed is the summary row of an org none of whose data sources could be reached.
func orgFailed(org string, err error) *extendJob {
	return &extendJob{org: org, err: fmt.Errorf("org %s: %w", org, err), res: extendResult{
		Org: org, Result: "failed", Error: err.Error(), TrackingID: api.TrackingIDOf(err)}}
}

func (a *app) runExtends(ctx context.Context, jobs []*extendJob, lifetime int, dryRun bool) []extendResult {
	sem := make(chan struct{}, extendWorkers)
	var wg sync.WaitGroup
	for _, j := range jobs {
		if j.id == "" {
			continue // the org failed already; its row is ready
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			a.extendOne(ctx, j, lifetime, dryRun)
		}()
	}
	wg.Wait()
	out := make([]extendResult, len(jobs))
	for i, j := range jobs {
		out[i] = j.res
	}
	sort.SliceStable(out, func(i, k int) bool { return out[i].OldExpiry.Before(out[k].OldExpiry) })
	return out
}

func (a *app) extendOne(ctx context.Context, j *extendJob, lifetime int, dryRun bool) {
	j.res = extendResult{ID: j.id, Org: j.org}
	fail := func(err error) {
		j.err = err
		j.res.Result, j.res.Error, j.res.TrackingID = "failed", err.Error(), api.TrackingIDOf(err)
	}
	// A fresh GET: the list may lack fields, and another process may have extended it since.
	cur, err := j.client.GetDataSource(ctx, j.id)
	if err != nil {
		fail(err)
		return
	}
	j.res.Audience, j.res.OldExpiry = cur.Audience, cur.Expiry()
	if lifetime == 0 {
		lifetime = keptLifetime(cur)
	}
	if dryRun {
		if _, err := api.ExtendPlan(cur, lifetime); err != nil {
			fail(err)
			return
		}
		j.res.Result = "would extend"
		j.res.NewExpiry = time.Now().Add(time.Duration(lifetime) * time.Minute).Truncate(time.Second)
		return
	}
	tctx, tr := api.WithTracking(ctx)
	after, err := j.client.ExtendLoaded(tctx, cur, lifetime)
	a.audit(tr, j.org, "datasources.extend", j.id, err)
	if err != nil {
		fail(err)
		return
	}
	j.res.Result, j.res.NewExpiry = "extended", after.Expiry()
}

// keptLifetime is the data source's own lifetime when Webex told a valid one (the TUI's `x`
// keeps it the same way), else the maximum.
func keptLifetime(ds *api.DataSource) int {
	if api.ValidateLifetime(ds.TokenLifetimeMinutes) == nil {
		return ds.TokenLifetimeMinutes
	}
	return api.MaxLifetimeMinutes
}

func (a *app) printExtendSummary(results []extendResult, all, allOrgs bool, within time.Duration, dryRun bool) {
	if len(results) == 0 {
		if all && within > 0 {
			fmt.Fprintf(a.stdout, "No data source token expires within %s: nothing to extend.\n", within)
		} else {
			fmt.Fprintln(a.stdout, "No data sources: nothing to extend.")
		}
		return
	}
	now := time.Now()
	cols := []string{"ID", "AUDIENCE", "OLD EXPIRY", "", "NEW EXPIRY", "RESULT"}
	if allOrgs {
		cols = append([]string{"ORG"}, cols...)
	}
	t := a.table(cols...)
	for _, r := range results {
		result := r.Result
		if r.Error != "" {
			result += ": " + r.Error
		}
		newExp := "-"
		if !r.NewExpiry.IsZero() {
			newExp = stamp(r.NewExpiry)
		}
		oldExp := "-"
		if r.ID != "" {
			oldExp = stamp(r.OldExpiry) + " (" + expiresIn(r.OldExpiry, now) + ")"
		}
		row := []string{orDash(r.ID), orDash(r.Audience), oldExp, "→", newExp, result}
		if allOrgs {
			row = append([]string{r.Org}, row...)
		}
		t.row(row...)
	}
	t.flush()
	if dryRun {
		fmt.Fprintln(a.stdout, "Dry run: nothing was sent.")
	}
}
