package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/byova/byova/api/webexfake"
)

// fakeCtlCmd drives a running `fake serve --control` (see api/webexfake/control.go).
func (a *app) fakeCtlCmd() *cobra.Command {
	f := &fakeCtl{a: a}
	cmd := &cobra.Command{
		Use:   "ctl fail|expire|authorize|deauthorize|deliver|rotate-key|mint-bad-signature|requests|agent ...",
		Short: "Stage incidents on a running `byova fake serve --control`: faults, expiry, (de)authorization, deliveries",
		Long: `Drive a fake started with --control. It is found at --addr HOST:PORT, else at the origin of
WEBEX_BASE_URL; only loopback addresses are accepted.`,
		Args: noArgs,
	}
	cmd.PersistentFlags().StringVar(&f.addr, "addr", "", "the fake's HOST:PORT (default: from WEBEX_BASE_URL)")
	cmd.AddCommand(f.failCmd(), f.expireCmd(), f.orgActionCmd("authorize"), f.orgActionCmd("deauthorize"),
		f.deliverCmd(), f.rotateCmd(), f.badSignatureCmd(), f.requestsCmd(), a.fakeCtlAgentCmd(f.send))
	return cmd
}

// fakeCtl is what every `fake ctl` subcommand shares: where the fake is, and how to ask it.
type fakeCtl struct {
	a    *app
	addr string // --addr
}

// send asks the fake's control surface to do action.
func (f *fakeCtl) send(cmd *cobra.Command, action string, req webexfake.ControlRequest) (webexfake.ControlAnswer, error) {
	origin, err := f.a.fakeOrigin(f.addr)
	if err != nil {
		return webexfake.ControlAnswer{}, err
	}
	return callControl(cmd.Context(), origin, action, req)
}

// done sends action and says what the fake did, and what it skipped.
func (f *fakeCtl) done(cmd *cobra.Command, action string, req webexfake.ControlRequest) error {
	ans, err := f.send(cmd, action, req)
	if err != nil {
		return err
	}
	fmt.Fprintln(f.a.stdout, ans.Done)
	for _, s := range ans.Skipped {
		fmt.Fprintln(f.a.stderr, "byova: warning:", s)
	}
	return nil
}

func (f *fakeCtl) failCmd() *cobra.Command {
	var fail webexfake.ControlRequest
	failCmd := &cobra.Command{
		Use:   "fail --path P --status 429|401|500|503 [--retry-after S] [--times N] [--method M]",
		Short: "Make the next requests whose path starts with P answer an error",
		Example: `  byova fake ctl fail --path /v1/dataSources --status 429 --retry-after 2 --times 1
  byova fake ctl fail --path /v1/access_token --status 503 --times 3`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if fail.Path == "" || fail.Status == 0 {
				return usagef("fail needs --path and --status (429, 401, 500 or 503)")
			}
			switch fail.Status {
			case 429, 401, 500, 503:
			default:
				return usagef("--status %d: choose 429, 401, 500 or 503", fail.Status)
			}
			if fail.Times < 0 || fail.RetryAfter < 0 {
				return usagef("--times and --retry-after must not be negative")
			}
			return f.done(cmd, "fail", fail)
		},
	}
	failCmd.Flags().StringVar(&fail.Path, "path", "", "path prefix, e.g. /v1/dataSources")
	failCmd.Flags().IntVar(&fail.Status, "status", 0, "HTTP status to answer: 429, 401, 500 or 503")
	failCmd.Flags().IntVar(&fail.RetryAfter, "retry-after", 0, "seconds to put in Retry-After (0: no header)")
	failCmd.Flags().IntVar(&fail.Times, "times", 1, "how many matching requests fail")
	failCmd.Flags().StringVar(&fail.Method, "method", "", "only this HTTP method (default: any)")

	return failCmd
}

func (f *fakeCtl) expireCmd() *cobra.Command {
	expire := &cobra.Command{Use: "expire token|data-source ...", Short: "Expire a Service App token or a data source's JWS", Args: noArgs}
	var org string
	var refresh bool
	expireToken := &cobra.Command{
		Use:   "token --org O [--refresh]",
		Short: "Make the org's Service App access tokens answer 401 (with --refresh, its refresh tokens too)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if org == "" {
				return usagef("expire token needs --org ORG")
			}
			return f.done(cmd, "expire-token", webexfake.ControlRequest{Org: org, Refresh: refresh})
		},
	}
	expireToken.Flags().StringVar(&org, "org", "", "customer org UUID or Webex org id")
	expireToken.Flags().BoolVar(&refresh, "refresh", false, "revoke the refresh tokens too")
	var in time.Duration
	expireDS := &cobra.Command{
		Use:   "data-source ID [--in DURATION]",
		Short: "Re-issue the data source's token so it expires now, or in DURATION (e.g. 10m)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if in < 0 {
				return usagef("--in must not be negative")
			}
			return f.done(cmd, "expire-data-source", webexfake.ControlRequest{DataSource: args[0], In: in.String()})
		},
	}
	expireDS.Flags().DurationVar(&in, "in", 0, "time left on the token (0: expired now)")
	expire.AddCommand(expireToken, expireDS)

	return expire
}

// orgActionCmd is `authorize` or `deauthorize`: the org changes its mind about the Service App.
func (f *fakeCtl) orgActionCmd(action string) *cobra.Command {
	var o string
	c := &cobra.Command{
		Use:   action + " --org O",
		Short: "The org " + action + "s the Service App; serviceApp webhooks registered on the fake get the event",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o == "" {
				return usagef("%s needs --org ORG", action)
			}
			return f.done(cmd, action, webexfake.ControlRequest{Org: o})
		},
	}
	c.Flags().StringVar(&o, "org", "", "customer org UUID or Webex org id")
	return c
}

func (f *fakeCtl) deliverCmd() *cobra.Command {
	var dOrg, to, secretFile string
	deliver := &cobra.Command{
		Use:   "deliver authorized|deauthorized --org O --to URL (--secret-file F)",
		Short: "The org (de)authorizes the Service App, and the signed serviceApp event is POSTed to URL",
		Long: `Change the org's authorization on the fake and POST the serviceApp event to URL exactly as
Webex sends it: the webhook envelope (orgId = the developer's org), data.authorizerOrgId = the
customer org, and X-Spark-Signature = hex HMAC-SHA1 of the body keyed with the secret read from
--secret-file (or ` + envWebhookSecret + `). Without a secret the event goes unsigned.`,
		Example: `  byova fake ctl deliver authorized --org $WEBEX_ORG_ID --to http://127.0.0.1:8000/ --secret-file hook.secret`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] != "authorized" && args[0] != "deauthorized" {
				return usagef("deliver %q: use authorized or deauthorized", args[0])
			}
			if dOrg == "" || to == "" {
				return usagef("deliver needs --org ORG and --to URL")
			}
			secret := f.a.getenv(envWebhookSecret)
			if secretFile != "" {
				b, err := os.ReadFile(secretFile)
				if err != nil {
					return usagef("--secret-file: %v", err)
				}
				secret = strings.TrimRight(string(b), "\r\n")
				if secret == "" {
					return usagef("--secret-file %s is empty", secretFile)
				}
			}
			ans, err := f.send(cmd, "deliver", webexfake.ControlRequest{Event: args[0], Org: dOrg, To: to, Secret: secret})
			if ans.Done != "" {
				fmt.Fprintln(f.a.stdout, ans.Done)
			}
			return err
		},
	}
	deliver.Flags().StringVar(&dOrg, "org", "", "customer org UUID or Webex org id")
	deliver.Flags().StringVar(&to, "to", "", "receiver URL, e.g. http://127.0.0.1:8000/")
	deliver.Flags().StringVar(&secretFile, "secret-file", "", "file holding the webhook secret to sign with")

	return deliver
}

func (f *fakeCtl) rotateCmd() *cobra.Command {
	return &cobra.Command{
		Use: "rotate-key", Short: "Sign new tokens with a new key; the JWKS keeps the previous one", Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.done(cmd, "rotate-key", webexfake.ControlRequest{})
		},
	}
}

func (f *fakeCtl) badSignatureCmd() *cobra.Command {
	var badDS string
	bad := &cobra.Command{
		Use:   "mint-bad-signature --data-source ID",
		Short: "Give the data source a token whose signature does not verify (until its next update)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if badDS == "" {
				return usagef("mint-bad-signature needs --data-source ID")
			}
			return f.done(cmd, "mint-bad-signature", webexfake.ControlRequest{DataSource: badDS})
		},
	}
	bad.Flags().StringVar(&badDS, "data-source", "", "data source id")
	return bad
}

func (f *fakeCtl) requestsCmd() *cobra.Command {
	var tail int
	requests := &cobra.Command{
		Use:   "requests [--tail N]",
		Short: "The requests the fake answered (time, method, path, status; never headers or bodies)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if tail < 0 {
				return usagef("--tail must not be negative")
			}
			ans, err := f.send(cmd, "requests", webexfake.ControlRequest{Tail: tail})
			if err != nil {
				return err
			}
			t := f.a.table("TIME", "METHOD", "PATH", "STATUS")
			for _, r := range ans.Log {
				p := r.Path
				if r.Query != "" {
					p += "?" + r.Query
				}
				t.row(visible(r.Time), visible(r.Method), visible(p), fmt.Sprint(r.Status))
			}
			return t.flush()
		},
	}
	requests.Flags().IntVar(&tail, "tail", 20, "only the last N (0: all)")

	return requests
}

// fakeOrigin is where the fake listens: --addr, else WEBEX_BASE_URL's origin. Loopback only,
// because the control surface never answers anything else.
func (a *app) fakeOrigin(addr string) (string, error) {
	if addr == "" {
		base := a.getenv("WEBEX_BASE_URL")
		if base == "" {
			return "", usagef("where is the fake? give --addr HOST:PORT or export WEBEX_BASE_URL (as `byova fake serve` prints)")
		}
		u, err := url.Parse(base)
		if err != nil || u.Host == "" {
			return "", usagef("WEBEX_BASE_URL %q is not a URL; give --addr HOST:PORT", base)
		}
		addr = u.Host
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", usagef("--addr %q must be HOST:PORT, e.g. 127.0.0.1:8080", addr)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", usagef("%s is not a loopback address: the fake's control surface only listens on 127.0.0.1", addr)
	}
	return "http://" + addr, nil
}

var ctlClient = &http.Client{Timeout: 30 * time.Second} // deliver waits up to 10 s for the receiver

func callControl(ctx context.Context, origin, action string, req webexfake.ControlRequest) (webexfake.ControlAnswer, error) {
	var ans webexfake.ControlAnswer
	body, err := json.Marshal(req)
	if err != nil {
		return ans, err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, origin+webexfake.ControlPrefix+action, bytes.NewReader(body))
	if err != nil {
		return ans, err
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set(webexfake.ControlHeader, "1")
	res, err := ctlClient.Do(hr)
	if err != nil {
		return ans, fmt.Errorf("cannot reach the fake at %s: %w (is `byova fake serve --control` running there?)", origin, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err != nil {
		return ans, fmt.Errorf("reading the fake's answer: %w", err)
	}
	if res.StatusCode == http.StatusNotFound {
		return ans, fmt.Errorf("the fake at %s has no control surface: restart it with `byova fake serve --control`", origin)
	}
	if err := json.Unmarshal(raw, &ans); err != nil {
		return ans, fmt.Errorf("the fake at %s answered HTTP %d, not a control answer", origin, res.StatusCode)
	}
	if res.StatusCode != http.StatusOK {
		return ans, fmt.Errorf("fake ctl %s: %s", action, visible(ans.Error))
	}
	return ans, nil
}

// visible shows control characters, escape sequences and bidi controls as \u escapes. It is a
// stop-gap for the fake's answers (loopback, but they echo what a client sent) until the shared
// sanitiser package (branch `sanitise`) is merged; then this calls it.
func visible(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == utf8.RuneError {
			fmt.Fprintf(&b, `\u%04x`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
