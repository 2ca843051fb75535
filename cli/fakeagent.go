package cli

import (
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/gateway/gatewayfake"
)

// fakeAgentCmd is `byova fake agent`: a fake VoiceVirtualAgent gateway on its own.
func (a *app) fakeAgentCmd() *cobra.Command {
	var addr, jwksURL, ownURL string
	cmd := &cobra.Command{
		Use:   "agent --addr HOST:PORT [--jwks-url URL] [--url URL]",
		Short: "Serve a fake Voice Virtual Agent gateway (TLS with a certificate it makes) that checks Webex's JWS as gateways do",
		Long: `Serve com.cisco.wcc.ccai.media.v1.VoiceVirtualAgent and grpc.health.v1 over TLS on a loopback
address, with a certificate signed by a CA it makes (the CA file's path is printed: give it to
probe and call with --ca-file, or export ` + envCAFile + `).

Every RPC is checked as real gateways check Webex's token: the JWS against the key set
(--jwks-url, default the fake Webex's at WEBEX_BASE_URL), the issuer allow-list, RS256, exp,
aud/sub/jti, the url claim byte-equal to --url (default https://HOST:PORT) and the schema id.
It answers SESSION_START with a welcome prompt, each turn with START_OF_INPUT, END_OF_INPUT
after the audio it heard and a FINAL saying how much it heard; DTMF 0 asks for a transfer.`,
		Example: `  byova fake agent --addr 127.0.0.1:8443`,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if jwksURL == "" {
				base := a.getenv("WEBEX_BASE_URL")
				u, err := url.Parse(base)
				if base == "" || err != nil || u.Host == "" {
					return usagef("where is the key set? give --jwks-url URL or export WEBEX_BASE_URL (a running `byova fake serve`)")
				}
				jwksURL = u.Scheme + "://" + u.Host + api.JWKSPath
			}
			ag, err := gatewayfake.Start(addr, gatewayfake.Options{JWKSURL: jwksURL, URL: ownURL})
			if err != nil {
				return usagef("%v", err)
			}
			defer ag.Close()
			describeAgent(a.stdout, ag, jwksURL)
			fmt.Fprintln(a.stdout, "\nServing until interrupted (ctrl+c).")
			<-cmd.Context().Done()
			fmt.Fprintln(a.stderr, "Stopping the fake gateway.")
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8443", "loopback address to listen on")
	cmd.Flags().StringVar(&jwksURL, "jwks-url", "", "key set to check tokens against (default: the fake Webex's at WEBEX_BASE_URL)")
	cmd.Flags().StringVar(&ownURL, "url", "", "the url tokens must carry, byte for byte (default https://HOST:PORT)")
	return cmd
}

func describeAgent(w io.Writer, ag *gatewayfake.Server, jwksURL string) {
	fmt.Fprintf(w, "Fake Voice Virtual Agent gateway\n")
	fmt.Fprintf(w, "  url             %s\n", ag.URL())
	fmt.Fprintf(w, "  CA file         %s\n", ag.CAFile())
	fmt.Fprintf(w, "  key set         %s\n", jwksURL)
	fmt.Fprintf(w, "\n  export %s=%s\n", envCAFile, ag.CAFile())
}

// startFakeAgent starts a fake gateway beside the fake Webex srv and points srv's Voice
// Virtual Agent data sources at it (fake serve --agent, --demo).
func startFakeAgent(srv *webexfake.Server, addr, dir string) (*gatewayfake.Server, int, error) {
	ag, err := gatewayfake.Start(addr, gatewayfake.Options{JWKSURL: srv.Creds().JWKSURL, Dir: dir})
	if err != nil {
		return nil, 0, fmt.Errorf("starting the fake gateway: %w", err)
	}
	n := srv.PointVoiceAgentsAt(ag.URL())
	srv.SetAgentControl(ag.Fail)
	return ag, n, nil
}

// fakeCtlAgentCmd is `byova fake ctl agent fail MODE [D]`.
func (a *app) fakeCtlAgentCmd(send func(cmd *cobra.Command, action string, req webexfake.ControlRequest) (webexfake.ControlAnswer, error)) *cobra.Command {
	agent := &cobra.Command{Use: "agent fail MODE", Short: "Make the fake gateway beside `fake serve --agent --control` fail", Args: noArgs}
	fail := &cobra.Command{
		Use:   "fail auth|url-claim|slow-first-prompt D|no-final|not-serving|reset",
		Short: "Rehearse a way gateways fail: refuse every token, expect another url spelling, delay the welcome, never send FINAL, report NOT_SERVING; reset undoes them",
		Example: `  byova fake ctl agent fail url-claim
  byova fake ctl agent fail slow-first-prompt 5s
  byova fake ctl agent fail reset`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("fail needs a mode: %s", strings.Join(gatewayfake.Faults(), ", "))
			}
			mode, req := args[0], webexfake.ControlRequest{Event: args[0]}
			switch {
			case mode == gatewayfake.FaultSlowFirstPrompt && len(args) == 2:
				d, err := time.ParseDuration(args[1])
				if err != nil || d <= 0 {
					return usagef("slow-first-prompt %q: give a duration, e.g. 5s", args[1])
				}
				req.In = d.String()
			case mode == gatewayfake.FaultSlowFirstPrompt:
				return usagef("slow-first-prompt needs a duration, e.g. `fake ctl agent fail slow-first-prompt 5s`")
			case len(args) != 1:
				return usagef("%s takes no argument", mode)
			}
			known := false
			for _, f := range gatewayfake.Faults() {
				known = known || f == mode
			}
			if !known {
				return usagef("unknown mode %q: use %s", mode, strings.Join(gatewayfake.Faults(), ", "))
			}
			ans, err := send(cmd, "agent", req)
			if err != nil {
				return err
			}
			fmt.Fprintln(a.stdout, visible(ans.Done))
			return nil
		},
	}
	agent.AddCommand(fail)
	return agent
}
