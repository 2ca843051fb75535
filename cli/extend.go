package cli

import (
	"cmp"
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/byova/byova/api"
	"github.com/byova/byova/fleet"
)

// extendResult is one line of the extend summary (and of its --json): a fleet.Result printed.
type extendResult struct {
	ID         string    `json:"id"`
	Org        string    `json:"org,omitempty"`
	Audience   string    `json:"audience,omitempty"`
	OldExpiry  time.Time `json:"oldExpiry,omitzero"`
	NewExpiry  time.Time `json:"newExpiry,omitzero"`
	Result     string    `json:"result"` // extended, would extend, failed
	Error      string    `json:"error,omitempty"`
	TrackingID string    `json:"trackingId,omitempty"`
	// LifetimeDefaulted: Webex gave no valid tokenLifetimeMinutes, so 1440 was asked for.
	LifetimeDefaulted bool `json:"lifetimeDefaulted,omitempty"`
}

func rowOf(r fleet.Result) extendResult {
	out := extendResult{ID: r.ID, Org: r.Org, Audience: r.Audience, OldExpiry: r.Before, NewExpiry: r.After,
		Result: r.Outcome, TrackingID: r.TrackingID, LifetimeDefaulted: r.Lifetime.Defaulted}
	if r.Err != nil {
		out.Error = r.Err.Error()
	}
	return out
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
(a Go duration: 2h, 90m) narrows that to those due: expiring within it or within half their
lifetime, whichever is sooner (the keeper's and the UI's X rule), expired ones included. The
token lifetime stays each data source's own tokenLifetimeMinutes (1440, said in the row, when
Webex gives none) unless --lifetime is given. With --all-orgs every org holding a stored Service App token is its own
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
			for i := range jobs {
				jobs[i].Lifetime, jobs[i].DryRun = lifetime, dryRun
			}
			ran := a.extender().Run(cmd.Context(), jobs, fleet.RunOptions{})
			sort.SliceStable(ran, func(i, k int) bool { return ran[i].Before.Before(ran[k].Before) })
			results := make([]extendResult, len(ran))
			failed := 0
			var firstErr error
			for i, r := range ran {
				results[i] = rowOf(r)
				if r.Outcome == fleet.Failed {
					failed++
					firstErr = cmp.Or(firstErr, r.Err)
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
				return firstErr
			}
			fmt.Fprintf(a.stderr, "byova: %d of %d extends failed; see the table above\n", failed, len(results))
			return &partialError{failed: failed, total: len(results)}
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&all, "all", false, "consider every data source")
	fl.DurationVar(&within, "within", 0, "with --all: only tokens due within this duration or half their lifetime, if sooner (expired ones too)")
	fl.IntVar(&lifetime, "lifetime", 0, "new token lifetime in minutes, 1-1440 (default: keep each data source's current one)")
	fl.BoolVar(&dryRun, "dry-run", false, "show what would be extended; send nothing")
	fl.BoolVar(&allOrgs, "all-orgs", false, "with --all: every org with a stored Service App token")
	fl.BoolVar(&asJSON, "json", false, "print the results as JSON")
	return cmd
}

// extendJobs lists what to extend. With --all-orgs each org is its own unit: an org whose
// token cannot be had or whose list fails becomes one failed job, and the other orgs go on
// (a cron job must not let every customer's tokens expire for one org's revoked consent).
// units counts the items that can fail on their own: IDs, or orgs.
func (a *app) extendJobs(ctx context.Context, ids []string, all, allOrgs, useWithin bool, within time.Duration) (jobs []fleet.Job, units int, err error) {
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
		var found []fleet.Job
		if err == nil {
			found, err = orgJobs(ctx, c, org, ids, all, useWithin, within, now)
		}
		if err != nil {
			if !allOrgs {
				return nil, 0, err
			}
			jobs = append(jobs, fleet.Job{Org: org, Err: fmt.Errorf("org %s: %w", org, err)})
			continue
		}
		jobs = append(jobs, found...)
	}
	return jobs, units, nil
}

// orgJobs are one org's data sources to extend: the IDs given, or with --all those listed
// (narrowed by --within with fleet.Due, the keeper's and the UI's rule).
func orgJobs(ctx context.Context, c *api.Client, org string, ids []string, all, useWithin bool, within time.Duration, now time.Time) ([]fleet.Job, error) {
	var jobs []fleet.Job
	if !all {
		for _, id := range ids {
			jobs = append(jobs, fleet.Job{Org: org, Client: c, ID: id})
		}
		return jobs, nil
	}
	items, err := c.ListDataSources(ctx)
	if err != nil {
		return nil, err
	}
	for i := range items {
		d := &items[i]
		if useWithin && !fleet.Due(d, now, within) {
			continue
		}
		jobs = append(jobs, fleet.Job{Org: org, Client: c, ID: d.ID}) // GET again before the PUT
	}
	return jobs, nil
}

// extender is fleet's, auditing through the CLI's session and warning when the log fails.
func (a *app) extender() *fleet.Extender {
	return &fleet.Extender{Audit: a.auditor(), AuditFailed: a.auditFailed}
}

// writer is fleet's audited writes to org through c.
func (a *app) writer(c *api.Client, org string) fleet.Writer {
	return fleet.Writer{Org: org, Client: c, Audit: a.auditor(), AuditFailed: a.auditFailed}
}

func (a *app) auditor() fleet.Auditor {
	if a.sess == nil {
		return nil
	}
	return a.sess.AuditTracked
}

func (a *app) auditFailed(err error) {
	fmt.Fprintf(a.stderr, "byova: warning: could not write the audit log: %v\n", err)
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
		} else if r.LifetimeDefaulted {
			result += " (" + fleet.DefaultedNote + ")"
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
