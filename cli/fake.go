package cli

import (
	"fmt"
	"net"

	"github.com/spf13/cobra"

	"github.com/byova/byova/api/webexfake"
)

func (a *app) fakeCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "fake", Short: "The built-in fake Webex API, for trying byova and for tests", Args: noArgs}
	var addr string
	var seed int64
	var extraDS, extraWH, pageSize int
	var control, omitRefresh, agent bool
	var agentAddr string
	serve := &cobra.Command{
		Use:   "serve --addr HOST:PORT [--seed N] [--page-size N] [--control] [--agent] [--omit-refresh-token]",
		Short: "Serve the fake Webex API on a loopback address and print how to point byova at it",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return usagef("--addr %q must be HOST:PORT, e.g. 127.0.0.1:8080", addr)
			}
			if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
				return usagef("--addr %q: the fake only listens on loopback (127.0.0.1)", addr)
			}
			if extraDS < 0 || extraWH < 0 || pageSize < 0 || pageSize > 1000 {
				return usagef("--data-sources and --webhooks must be 0 or more, --page-size 1 to 1000")
			}
			srv := webexfake.New(webexfake.Options{Seed: seed, ExtraDataSources: extraDS, ExtraWebhooks: extraWH, PageSize: pageSize, Control: control, OmitRefreshToken: omitRefresh})
			if err := srv.StartAt(addr); err != nil {
				return fmt.Errorf("starting the fake Webex API: %w", err)
			}
			defer srv.Close()
			if agent {
				ag, n, err := startFakeAgent(srv, agentAddr, "")
				if err != nil {
					return usagef("--agent-addr: %v", err)
				}
				defer ag.Close()
				describeAgent(a.stdout, ag, srv.Creds().JWKSURL)
				fmt.Fprintf(a.stdout, "  %d Voice Virtual Agent data sources now point at it.\n\n", n)
			}
			if extraDS > 0 {
				go srv.Presign() // sign the many tokens now rather than on the first list
			}
			srv.Describe(a.stdout)
			if control {
				fmt.Fprintln(a.stdout, "\nControl surface on: stage incidents with `byova fake ctl` (loopback only).")
				// The drill's deliver step needs an org that has not authorized the Service App
				// yet: name it, so nobody has to pick it out of the org list.
				cr := srv.Creds()
				fmt.Fprintf(a.stdout, "For the incident drill: the org that has not authorized the Service App yet is %s\n", cr.UnauthorizedOrgID)
				fmt.Fprintf(a.stdout, "  (fake ctl deliver authorized --org $BYOVA_DRILL_ORG …); another authorized org is %s\n", cr.OtherOrgID)
				fmt.Fprintf(a.stdout, "export BYOVA_DRILL_ORG=%s\n", cr.UnauthorizedOrgID)
			}
			fmt.Fprintln(a.stdout, "\nServing until interrupted (ctrl+c).")
			<-cmd.Context().Done()
			fmt.Fprintln(a.stderr, "Stopping the fake Webex API.")
			return nil
		},
	}
	serve.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "loopback address to listen on")
	serve.Flags().Int64Var(&seed, "seed", 1, "seed for the sample data")
	serve.Flags().IntVar(&extraDS, "data-sources", 0, "extra generated data sources in the primary org (paging, load)")
	serve.Flags().IntVar(&extraWH, "webhooks", 0, "extra generated webhooks")
	serve.Flags().IntVar(&pageSize, "page-size", 0, "stress mode: page data sources and schemas too, N per page (default: one body, as Webex documents; webhooks page at 100)")
	serve.Flags().BoolVar(&omitRefresh, "omit-refresh-token", false, "fault: leave refresh_token out of every second refresh answer (clients must keep the one they have)")
	serve.Flags().BoolVar(&agent, "agent", false, "also start a fake Voice Virtual Agent gateway and point the Voice Virtual Agent data sources at it")
	serve.Flags().StringVar(&agentAddr, "agent-addr", "127.0.0.1:0", "loopback address of the fake gateway (--agent)")
	serve.Flags().BoolVar(&control, "control", false, "serve the control surface that byova fake ctl drives (faults, expiry, deliveries)")
	cmd.AddCommand(serve, a.fakeCtlCmd(), a.fakeAgentCmd())
	return cmd
}
