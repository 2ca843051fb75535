package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/byova/byova/safetext"
)

// orgRow is one line of `orgs list`. Name is the org's displayName from Webex (cached), or
// empty when the token may not read it.
type orgRow struct {
	Org     string    `json:"org"`
	OrgID   string    `json:"orgId"` // the Webex ID form
	Alias   string    `json:"alias,omitempty"`
	Name    string    `json:"name,omitempty"`
	Current bool      `json:"current"`
	Expiry  time.Time `json:"expiry,omitzero"`
	Source  string    `json:"source"`
}

// nameOrgs fills each row's alias (config.toml) and name (Webex, through the session's cache).
// Names are a help, not the answer: one that cannot be read leaves the row unnamed, and the
// first reason is said once on stderr. They are fetched one after another so the cache file
// is written by one writer.
func (a *app) nameOrgs(ctx context.Context, rows []orgRow) {
	if a.sess == nil {
		return
	}
	var firstErr error
	unnamed := 0
	for i := range rows {
		rows[i].Alias = a.sess.Settings.AliasFor(rows[i].Org)
		name, err := a.sess.OrgName(ctx, rows[i].Org)
		if err != nil {
			unnamed++
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		rows[i].Name = name // raw for --json; the table sanitises every cell
	}
	if firstErr != nil {
		fmt.Fprintf(a.stderr, "byova: note: the name of %d org(s) could not be read from Webex: %s\n", unnamed, safetext.Line(firstErr.Error()))
	}
}
