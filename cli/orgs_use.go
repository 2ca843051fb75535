package cli

import (
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/byova/byova/config"
)

// orgsUseCmd pins the profile's default org in config.toml, for the commands run without
// --org (cron jobs, scripts). The terminal UI's o switches for its own session only, so
// pinning is always this explicit act.
func (a *app) orgsUseCmd() *cobra.Command {
	return &cobra.Command{
		Use: "use ORG", Short: "Pin the profile's default org in config.toml",
		Args: exactArgs(1, "an org (an alias, its UUID or Webex org ID)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, _, err := a.settings()
			if err != nil {
				return err
			}
			sess, err := a.session()
			if err != nil {
				return err
			}
			org, err := sess.ResolveOrg(args[0])
			if err != nil {
				return usagef("%q is not an org: %s (`byova orgs list` shows the orgs)", args[0], err)
			}
			if err := config.UpdateFile(config.ConfigFile(), func(f *config.File) error {
				f.Profile(st.Profile).RememberOrg(org)
				return nil
			}); err != nil {
				return fmt.Errorf("pinning org %s: %w", org, err)
			}
			if alias := sess.Settings.AliasFor(org); alias != "" {
				org = alias + " (" + org + ")"
			}
			fmt.Fprintf(a.stdout, "Profile %s works in org %s by default now (--org and WEBEX_ORG_ID still choose another).\n", st.Profile, org)
			if st.Source[config.SettingOrg] == config.SourceEnv {
				fmt.Fprintln(a.stderr, "note: WEBEX_ORG_ID is set in this shell and still wins over the pinned org")
			}
			if orgs, err := sess.StoredOrgs(); err == nil && !slices.Contains(orgs, org) {
				fmt.Fprintf(a.stderr, "note: no Service App token is stored for org %s yet: run `byova auth login --method service-app --org %s`\n", org, org)
			}
			return nil
		},
	}
}
