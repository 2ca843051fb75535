package cli

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/session"
)

// Shell completion of IDs: a TAB must answer at once and never print an error into the
// person's prompt, so a lookup has a short timeout, a failure offers nothing, and the answer is
// kept briefly so repeated TABs do not ask Webex again.
const (
	completeTimeout = 2 * time.Second
	completeTTL     = 60 * time.Second
	completeDescW   = 50 // cells of a description: enough for an audience or a name
)

// idChoice is one offered ID and what it is, already sanitised.
type idChoice struct {
	ID   string `json:"id"`
	Desc string `json:"desc"`
}

// idLister fetches the choices for one kind of resource. key names whose they are (base URL,
// profile, org) without asking Webex, so a cached answer is never offered for another org.
type idLister struct {
	kind  string
	multi bool // the command takes several IDs
	key   func(a *app) (string, error)
	fetch func(ctx context.Context, a *app) ([]idChoice, error)
}

var (
	dataSourceIDs = idLister{kind: "datasources",
		key: func(a *app) (string, error) {
			org, err := a.sess.Org()
			return a.sess.Settings.BaseURL + " " + a.sess.Profile() + " " + org, err
		},
		fetch: func(ctx context.Context, a *app) ([]idChoice, error) {
			c, _, err := a.orgClient()
			if err != nil {
				return nil, err
			}
			var out []idChoice
			err = c.EachDataSource(ctx, func(d *api.DataSource) error {
				desc := d.Audience
				if d.Status != "" {
					desc += " · " + d.Status
				}
				out = append(out, idChoice{ID: d.ID, Desc: desc})
				return nil
			})
			return out, err
		}}
	webhookIDs = idLister{kind: "webhooks",
		key: func(a *app) (string, error) { return a.sess.Settings.BaseURL + " " + a.sess.Profile(), nil },
		fetch: func(ctx context.Context, a *app) ([]idChoice, error) {
			c, err := a.callerClient()
			if err != nil {
				return nil, err
			}
			items, err := c.ListWebhooksOwnedBy(ctx, "")
			out := make([]idChoice, 0, len(items))
			for _, w := range items {
				out = append(out, idChoice{ID: w.ID, Desc: first(w.Name, w.Resource+" "+w.Event)})
			}
			return out, err
		}}
	schemaIDs = idLister{kind: "schemas",
		key: func(a *app) (string, error) { return a.sess.Settings.BaseURL, nil },
		fetch: func(ctx context.Context, a *app) ([]idChoice, error) {
			c, err := a.anyTokenClient()
			if err != nil {
				return nil, err
			}
			items, err := c.ListSchemas(ctx)
			out := make([]idChoice, 0, len(items))
			for _, s := range items {
				out = append(out, idChoice{ID: s.ID, Desc: first(s.ServiceType, s.Description)})
			}
			return out, err
		}}
)

func first(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// completeIDs gives the commands that take IDs their completion. It is attached by path so
// the commands' own files stay about what they do.
func (a *app) completeIDs(root *cobra.Command) {
	for path, l := range map[string]idLister{
		"datasources get": dataSourceIDs, "datasources update": dataSourceIDs, "datasources delete": dataSourceIDs,
		"datasources extend": multi(dataSourceIDs), "datasources verify": multi(dataSourceIDs),
		"webhooks get": webhookIDs, "webhooks update": webhookIDs, "webhooks delete": webhookIDs,
		"schemas get": schemaIDs,
	} {
		cmd, _, err := root.Find(strings.Fields(path))
		if err != nil || cmd.Name() != strings.Fields(path)[1] {
			panic("completion for a missing command: " + path) // a renamed command; caught by the tests
		}
		cmd.ValidArgsFunction = a.completer(l)
	}
	_ = root.RegisterFlagCompletionFunc("org", a.completeOrgFlag)
	if use, _, err := root.Find([]string{"orgs", "use"}); err == nil && use.Name() == "use" {
		use.ValidArgsFunction = func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return a.completeOrgFlag(cmd, args, toComplete)
		}
	}
}

func (a *app) completer(l idLister) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		const none = cobra.ShellCompDirectiveNoFileComp
		if len(args) > 0 && !l.multi {
			return nil, none
		}
		items, ok := a.choices(cmd.Context(), l)
		if !ok {
			return nil, none
		}
		var out []cobra.Completion
		for _, it := range items {
			if strings.HasPrefix(it.ID, toComplete) && !slices.Contains(args, it.ID) {
				out = append(out, cobra.CompletionWithDesc(it.ID, it.Desc))
			}
		}
		return out, none
	}
}

// completeCache is one cached answer of a lister.
type completeCache struct {
	Key     string     `json:"key"`
	Fetched time.Time  `json:"fetched"`
	Items   []idChoice `json:"items"`
}

// choices is the lister's answer from the cache when fresh, else from Webex within
// completeTimeout; ok is false when neither could give one.
func (a *app) choices(ctx context.Context, l idLister) ([]idChoice, bool) {
	if _, err := a.session(); err != nil {
		return nil, false
	}
	key, err := l.key(a)
	if err != nil {
		return nil, false
	}
	path := filepath.Join(config.CacheDir(), "complete-"+l.kind+".json")
	var cached completeCache
	if b, err := os.ReadFile(path); err == nil && json.Unmarshal(b, &cached) == nil &&
		cached.Key == key && !cached.Fetched.After(time.Now()) && time.Since(cached.Fetched) < completeTTL {
		return cached.Items, true
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, completeTimeout)
	defer cancel()
	items, err := l.fetch(ctx, a)
	if err != nil {
		return nil, false
	}
	clean := make([]idChoice, 0, len(items))
	for _, it := range items {
		// An ID is typed back into a shell: one that is not plain printable text is not offered.
		if it.ID == "" || !safetext.Safe(it.ID) || strings.ContainsAny(it.ID, " \t\n\"'`$\\;&|<>()") {
			continue
		}
		clean = append(clean, idChoice{ID: it.ID, Desc: safetext.Fit(it.Desc, completeDescW)})
	}
	if b, err := json.Marshal(completeCache{Key: key, Fetched: time.Now().UTC(), Items: clean}); err == nil {
		_ = config.WriteFileAtomic(path, b) // a cache: failing to keep it only costs the next TAB a request
	}
	return clean, true
}

func multi(l idLister) idLister { l.multi = true; return l }

// completeOrgFlag offers the profile's aliases and the orgs with stored tokens for --org,
// described by their cached Webex names. It never asks Webex: a flag's TAB must be instant.
func (a *app) completeOrgFlag(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	const none = cobra.ShellCompDirectiveNoFileComp
	sess, err := a.session()
	if err != nil {
		return nil, none
	}
	var out []cobra.Completion
	seen := map[string]bool{}
	add := func(value, desc string) {
		if seen[value] || !strings.HasPrefix(value, toComplete) {
			return
		}
		seen[value] = true
		out = append(out, cobra.CompletionWithDesc(value, safetext.Fit(desc, completeDescW)))
	}
	for _, alias := range slices.Sorted(maps.Keys(sess.Settings.OrgAliases)) {
		u := sess.Settings.OrgAliases[alias]
		add(alias, first(sess.CachedOrgName(u), u))
	}
	orgs, _ := sess.StoredOrgs()
	for _, u := range orgs {
		add(u, first(session.OrgLabel(sess.Settings.AliasFor(u), sess.CachedOrgName(u), ""), "stored Service App token"))
	}
	return out, none
}
