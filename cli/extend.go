package cli

import (
	"cmp"
	"context"
	"fmt"
	"strings"
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
	LifetimeDefaulted bool `json:"lifetimeDefaulted,omitzero"`
}

func rowOf(r fleet.Result) extendResult {
	out := extendResult{ID: r.ID, Org: r.Org, Audience: r.Audience, OldExpiry: r.Before, NewExpiry: r.After,
		Result: r.Outcome, TrackingID: r.TrackingID, LifetimeDefaulted: r.Lifetime.Defaulted}
	if r.Err != nil {
		// Webex's words may hold bytes that are not UTF-8, which the JSON encoder refuses.
		out.Error = strings.ToValidUTF8(r.Err.Error(), "\uFFFD")
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
orgs go on. Each row is printed as its extend finishes. Exits 4 when some extends failed;
none is retried blindly.`,
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
			return a.runExtend(cmd.Context(), extendArgs{ids: args, all: all, allOrgs: allOrgs, useWithin: fl.Changed("within"),
				within: within, lifetime: lifetime, dryRun: dryRun, asJSON: asJSON})
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

// extendArgs are dsExtendCmd's flags, checked.
type extendArgs struct {
	ids                     []string
	all, allOrgs, useWithin bool
	within                  time.Duration
	lifetime                int // 0: keep each data source's own
	dryRun, asJSON          bool
}

// runExtend extends what the flags pick and prints each result as it lands, so a long run
// shows its progress and a run cut short has printed what it did.
func (a *app) runExtend(ctx context.Context, x extendArgs) error {
	jobs, plan, err := a.extendJobs(ctx, x)
	if err != nil {
		return err
	}
	for i := range jobs {
		jobs[i].Lifetime, jobs[i].DryRun = x.lifetime, x.dryRun
	}
	p := a.newExtendPrinter(x, plan, jobs)
	if err := p.start(); err != nil {
		return err
	}
	ran := a.extender().Run(ctx, jobs, fleet.RunOptions{Each: p.land})
	if err := p.end(); err != nil {
		return err
	}
	failed := 0
	var firstErr error
	for _, r := range ran {
		if r.Outcome == fleet.Failed {
			failed++
			firstErr = cmp.Or(firstErr, r.Err)
		}
	}
	switch {
	case failed == 0:
		return nil
	case len(ran) == 1 && plan.units == 1:
		return firstErr
	}
	fmt.Fprintf(a.stderr, "byova: %d of %d extends failed; see the table above\n", failed, len(ran))
	return &partialError{failed: failed, total: len(ran)}
}

// extendPlan is what extendJobs learnt besides the jobs: units counts the items that can fail
// on their own (IDs, or orgs); listed, the data sources --all listed (one per job, in order),
// size the table's columns before any result.
type extendPlan struct {
	units  int
	orgs   []string
	listed []api.DataSource
}

// extendJobs lists what to extend. With --all-orgs each org is its own unit: an org whose
// token cannot be had or whose list fails becomes one failed job, and the other orgs go on
// (a cron job must not let every customer's tokens expire for one org's revoked consent).
func (a *app) extendJobs(ctx context.Context, x extendArgs) (jobs []fleet.Job, plan extendPlan, err error) {
	sess, err := a.session()
	if err != nil {
		return nil, plan, err
	}
	if x.allOrgs {
		if plan.orgs, err = sess.StoredOrgs(); err != nil {
			return nil, plan, err
		}
		if len(plan.orgs) == 0 {
			return nil, plan, &api.SignInError{Reason: "--all-orgs: no org has a stored Service App token; sign in to one first"}
		}
	} else {
		org, err := sess.Org()
		if err != nil {
			return nil, plan, err
		}
		plan.orgs = []string{org}
	}
	plan.units = len(plan.orgs)
	if !x.all {
		plan.units = len(x.ids)
	}
	now := time.Now()
	for _, org := range plan.orgs {
		c, err := sess.OrgClient(org)
		var found []fleet.Job
		var listed []api.DataSource
		if err == nil {
			found, listed, err = orgJobs(ctx, c, org, x, now)
		}
		if err != nil {
			if !x.allOrgs {
				return nil, plan, err
			}
			jobs = append(jobs, fleet.Job{Org: org, Err: fmt.Errorf("org %s: %w", org, err)})
			continue
		}
		jobs = append(jobs, found...)
		plan.listed = append(plan.listed, listed...)
	}
	return jobs, plan, nil
}

// orgJobs are one org's data sources to extend: the IDs given, or with --all those listed
// (narrowed by --within with fleet.Due, the keeper's and the UI's rule), with what the list
// said of them.
func orgJobs(ctx context.Context, c *api.Client, org string, x extendArgs, now time.Time) ([]fleet.Job, []api.DataSource, error) {
	var jobs []fleet.Job
	if !x.all {
		for _, id := range x.ids {
			jobs = append(jobs, fleet.Job{Org: org, Client: c, ID: id})
		}
		return jobs, nil, nil
	}
	items, err := c.ListDataSources(ctx)
	if err != nil {
		return nil, nil, err
	}
	var listed []api.DataSource
	for i := range items {
		d := &items[i]
		if x.useWithin && !fleet.Due(d, now, x.within) {
			continue
		}
		jobs = append(jobs, fleet.Job{Org: org, Client: c, ID: d.ID}) // GET again before the PUT
		listed = append(listed, *d)
	}
	return jobs, listed, nil
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

// extendPrinter prints extend results as they land (fleet.RunOptions.Each calls land one at
// a time): a row of a table whose columns are sized before the run from what is known then,
// or an item of one JSON array that is closed when the run ends, so --json stays one document.
type extendPrinter struct {
	a     *app
	x     extendArgs
	plan  extendPlan
	jobs  []fleet.Job
	now   time.Time
	table *streamTable
	json  *jsonList
	err   error // the first write to stdout that failed; no row is tried after it
}

func (a *app) newExtendPrinter(x extendArgs, plan extendPlan, jobs []fleet.Job) *extendPrinter {
	return &extendPrinter{a: a, x: x, plan: plan, jobs: jobs, now: time.Now()}
}

// start prints the table's header, or says there is nothing to do.
func (p *extendPrinter) start() error {
	if p.x.asJSON {
		p.json = newJSONList(p.a.stdout)
		return nil
	}
	if len(p.jobs) == 0 {
		if p.x.all && p.x.within > 0 {
			_, err := fmt.Fprintf(p.a.stdout, "No data source token expires within %s: nothing to extend.\n", p.x.within)
			return err
		}
		_, err := fmt.Fprintln(p.a.stdout, "No data sources: nothing to extend.")
		return err
	}
	// A source named by ID is sized as one expiring within a day whose audience is as long as
	// most are (its GET says, after the header is out); one --all listed, as listed.
	oldExp := p.oldExpiry(p.now.Add(23*time.Hour + 59*time.Minute))
	sizes := [][]string{}
	for i, j := range p.jobs {
		aud, old := strings.Repeat("x", 16), oldExp
		if i < len(p.plan.listed) {
			aud, old = p.plan.listed[i].Audience, p.oldExpiry(p.plan.listed[i].Expiry())
		}
		sizes = append(sizes, p.cells(j.Org, j.ID, aud, old, "→", stamp(p.now), fleet.WouldExtend))
	}
	p.table = p.a.streamTable(sizes...)
	p.err = p.table.row(p.cells("ORG", "ID", "AUDIENCE", "OLD EXPIRY", "", "NEW EXPIRY", "RESULT")...)
	return p.err
}

// cells is a row in the table's column order (id, audience, old expiry, arrow, new expiry,
// result); the ORG column comes first with --all-orgs only.
func (p *extendPrinter) cells(org string, cols ...string) []string {
	if p.x.allOrgs {
		return append([]string{org}, cols...)
	}
	return cols
}

// land prints one result.
func (p *extendPrinter) land(r fleet.Result) {
	if p.err != nil {
		return
	}
	row := rowOf(r)
	if p.json != nil {
		if p.err = p.json.add(&row); p.err == nil {
			p.err = p.json.flush()
		}
		return
	}
	result := row.Result
	if r.Err != nil {
		// The row says what the UI and the keeper say (fleet.Describe); --json keeps the error whole. The table sanitises its cells.
		result += ": " + fleet.Describe(r.Err).Line()
	} else if row.LifetimeDefaulted {
		result += " (" + fleet.DefaultedNote + ")"
	}
	newExp := "-"
	if !row.NewExpiry.IsZero() {
		newExp = stamp(row.NewExpiry)
	}
	oldExp := "-"
	if row.ID != "" {
		oldExp = p.oldExpiry(row.OldExpiry)
	}
	p.err = p.table.row(p.cells(row.Org, orDash(row.ID), orDash(row.Audience), oldExp, "→", newExp, result)...)
}

func (p *extendPrinter) oldExpiry(t time.Time) string {
	return stamp(t) + " (" + expiresIn(t, p.now) + ")"
}

// end closes the JSON array, or says a dry run sent nothing.
func (p *extendPrinter) end() error {
	switch {
	case p.err != nil:
		return p.err
	case p.json != nil:
		return p.json.close()
	case p.x.dryRun && len(p.jobs) > 0:
		_, err := fmt.Fprintln(p.a.stdout, "Dry run: nothing was sent.")
		return err
	}
	return nil
}
