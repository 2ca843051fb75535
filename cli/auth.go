package cli

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
)

func (a *app) authCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "auth", Short: "Sign in (Integration, personal access token, Service App), see and remove sign-ins", Args: noArgs}
	cmd.AddCommand(a.authLoginCmd(), a.authStatusCmd(), a.authLogoutCmd())
	return cmd
}

// tokenStatus describes a stored token without any secret in it.
type tokenStatus struct {
	Profile         string    `json:"profile"`
	Kind            string    `json:"kind"`
	Source          string    `json:"source"` // store or env
	Org             string    `json:"org,omitempty"`
	ClientID        string    `json:"clientId,omitempty"`
	Scopes          []string  `json:"scopes,omitempty"`
	Expiry          time.Time `json:"expiry,omitzero"`
	Expired         bool      `json:"expired"`
	HasRefreshToken bool      `json:"hasRefreshToken"`
	RefreshExpiry   time.Time `json:"refreshExpiry,omitzero"`
}

func (a *app) tokenStatuses() ([]tokenStatus, error) {
	sess, err := a.session()
	if err != nil {
		return nil, err
	}
	toks, err := sess.Store.Load()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	var out []tokenStatus
	add := func(profile string, t *config.Token) {
		if t == nil {
			return
		}
		out = append(out, tokenStatus{Profile: profile, Kind: t.Kind, Source: "store", Org: t.Org, ClientID: t.ClientID,
			Scopes: t.Scopes, Expiry: t.Expiry, Expired: !t.Expiry.IsZero() && !now.Before(t.Expiry),
			HasRefreshToken: t.RefreshToken != "", RefreshExpiry: t.RefreshExpiry})
	}
	ps := toks.Profiles[sess.Profile()]
	if ps != nil {
		add(sess.Profile(), ps.Integration)
		add(sess.Profile(), ps.PAT)
		orgs := make([]string, 0, len(ps.Orgs))
		for org := range ps.Orgs {
			orgs = append(orgs, org)
		}
		sort.Strings(orgs)
		for _, org := range orgs {
			t := ps.Orgs[org]
			if t.Org == "" {
				t.Org = org
			}
			if t.Kind == "" {
				t.Kind = config.KindServiceApp
			}
			add(sess.Profile(), t)
		}
	}
	st := sess.Settings
	if st.AccessToken != "" {
		out = append(out, tokenStatus{Profile: sess.Profile(), Kind: "access-token", Source: "env WEBEX_ACCESS_TOKEN"})
	}
	if st.ServiceAppRefreshToken != "" {
		org, _ := api.OrgUUID(st.Org)
		out = append(out, tokenStatus{Profile: sess.Profile(), Kind: config.KindServiceApp, Source: "env WEBEX_SA_REFRESH_TOKEN",
			Org: org, ClientID: st.ServiceAppClientID, HasRefreshToken: true})
	}
	return out, nil
}

func (a *app) authStatusCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use: "status", Short: "Every stored token: kind, org, scopes, expiry (never the token)", Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sts, err := a.tokenStatuses()
			if err != nil {
				return err
			}
			if asJSON {
				if sts == nil {
					sts = []tokenStatus{}
				}
				return printJSON(a.stdout, sts)
			}
			if len(sts) == 0 {
				fmt.Fprintf(a.stdout, "Not signed in (profile %q). Run `byova auth login`, or set WEBEX_ACCESS_TOKEN.\n", a.sess.Profile())
				return nil
			}
			now := time.Now()
			t := a.table("KIND", "ORG", "SOURCE", "EXPIRES IN", "REFRESH TOKEN", "SCOPES")
			for _, s := range sts {
				refresh := "none"
				if s.HasRefreshToken {
					refresh = "yes"
					if !s.RefreshExpiry.IsZero() {
						refresh = expiresIn(s.RefreshExpiry, now)
					}
				}
				exp := expiresIn(s.Expiry, now)
				if s.Source != "store" {
					exp = "-"
				}
				t.row(s.Kind, orDash(s.Org), s.Source, exp, refresh, orDash(strings.Join(s.Scopes, " ")))
			}
			return t.flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the tokens' metadata as JSON (no token values)")
	return cmd
}

func (a *app) authLogoutCmd() *cobra.Command {
	var org string
	var all bool
	cmd := &cobra.Command{
		Use:   "logout [--org ORG | --all]",
		Short: "Forget the Service App token of an org (default: the current org), or everything with --all",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if all && org != "" {
				return usagef("give --org or --all, not both")
			}
			if err := a.guardWrite("log out"); err != nil {
				return err
			}
			sess := a.sess
			var target string
			if !all {
				var err error
				if org != "" {
					target, err = api.OrgUUID(org)
				} else {
					target, err = sess.Org()
				}
				if err != nil {
					return err
				}
			}
			removed := 0
			err := sess.Store.Update(func(t *config.Tokens) error {
				ps := t.Profiles[sess.Profile()]
				if ps == nil {
					return nil
				}
				if all {
					removed = len(ps.Orgs)
					if ps.Integration != nil {
						removed++
					}
					if ps.PAT != nil {
						removed++
					}
					delete(t.Profiles, sess.Profile())
					return nil
				}
				if _, ok := ps.Orgs[target]; ok {
					delete(ps.Orgs, target)
					removed++
				}
				return nil
			})
			if err != nil {
				return err
			}
			switch {
			case removed == 0 && all:
				fmt.Fprintf(a.stdout, "Nothing stored for profile %q.\n", sess.Profile())
			case removed == 0:
				fmt.Fprintf(a.stdout, "No token stored for org %s.\n", target)
			case all:
				fmt.Fprintf(a.stdout, "Removed %d stored token(s) of profile %q.\n", removed, sess.Profile())
			default:
				fmt.Fprintf(a.stdout, "Removed the Service App token of org %s.\n", target)
			}
			a.noteEnvSignIn()
			return nil
		},
	}
	cmd.Flags().StringVar(&org, "org", "", "org UUID or Webex org ID")
	cmd.Flags().BoolVar(&all, "all", false, "every token and client secret of the profile")
	return cmd
}

func (a *app) orgsCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "orgs", Short: "Orgs with Service App tokens", Args: noArgs}
	var asJSON bool
	list := &cobra.Command{
		Use: "list", Short: "List the orgs with a stored Service App token", Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sts, err := a.tokenStatuses()
			if err != nil {
				return err
			}
			cur, _ := a.sess.Org()
			rows := []orgRow{}
			seen := map[string]bool{}
			for _, s := range sts {
				if s.Kind != config.KindServiceApp || s.Org == "" || seen[s.Org] {
					continue
				}
				seen[s.Org] = true
				rows = append(rows, orgRow{Org: s.Org, OrgID: api.EncodeID(api.KindOrganization, s.Org), Current: s.Org == cur, Expiry: s.Expiry, Source: s.Source})
			}
			a.nameOrgs(cmd.Context(), rows)
			if asJSON {
				return printJSON(a.stdout, rows)
			}
			if len(rows) == 0 {
				fmt.Fprintln(a.stdout, "No org has a Service App token yet. Run `byova auth login --method service-app`.")
				return nil
			}
			now := time.Now()
			t := a.table("", "ALIAS", "NAME", "ORG", "TOKEN EXPIRES IN", "SOURCE")
			for _, r := range rows {
				mark := ""
				if r.Current {
					mark = "*"
				}
				exp := "-"
				if r.Source == "store" {
					exp = expiresIn(r.Expiry, now)
				}
				t.row(mark, orDash(r.Alias), orDash(r.Name), r.Org, exp, r.Source)
			}
			return t.flush()
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print the orgs as JSON")
	cmd.AddCommand(list, a.orgsUseCmd())
	return cmd
}

// noteEnvSignIn says which sign-ins the environment still holds after a logout: the next
// command signs in again with them and stores a new token, which looks like a logout that
// did nothing.
func (a *app) noteEnvSignIn() {
	var set []string
	for _, v := range []string{"WEBEX_SA_REFRESH_TOKEN", "WEBEX_ACCESS_TOKEN"} {
		if a.getenv(v) != "" {
			set = append(set, "$"+v)
		}
	}
	if len(set) == 0 {
		return
	}
	fmt.Fprintf(a.stderr, "byova: note: %s still set: the next command signs in again with it and stores a new token; unset %s to stay logged out\n",
		strings.Join(set, " and "), strings.Join(set, " "))
}
