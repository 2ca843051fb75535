package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/byova/byova/config"
	"github.com/byova/byova/receiver"
	"github.com/byova/byova/safetext"
)

func (a *app) whListenCmd() *cobra.Command {
	var addr, path string
	var insecure bool
	var sec secretFlags
	cmd := &cobra.Command{
		Use:   "listen --addr HOST:PORT [--path P] [--secret-file F]",
		Short: "Receive serviceApp events: store tokens for orgs that authorize, drop them on deauthorize",
		Long: `Receive Webex serviceApp authorized/deauthorized deliveries (POST to --path, default /).
A secret is required (--secret-file F or $` + envWebhookSecret + `): the one the webhooks were
created with. X-Spark-Signature must match the body's HMAC-SHA1 and the body must be
application/json; anything else is refused. On "authorized" byova fetches the customer org's
Service App tokens with the caller token and stores them; on "deauthorized" it asks Webex
first and deletes them only when Webex confirms the org withdrew (a replayed old event keeps
the tokens: "ignored", "still authorized"). A delivery seen recently is answered without acting.

Webex gets its answer within 2 s: the outcome when it is known by then, else 202 Accepted while
byova finishes (deliveries for different orgs run in parallel, one at a time per org). Each
delivery prints one JSON line on stdout (time, event, org, result), never a secret. Put it
behind your HTTPS reverse proxy: Webex only delivers to https targets.`,
		Example: `  byova webhooks listen --addr 127.0.0.1:8000 --path /webex/events --secret-file ~/.config/byova/webhook-secret
  ` + envWebhookSecret + `=… byova webhooks listen --addr 127.0.0.1:8000`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, _, err := net.SplitHostPort(addr); err != nil {
				return usagef("--addr %q must be HOST:PORT, e.g. 127.0.0.1:8000", addr)
			}
			if !strings.HasPrefix(path, "/") {
				return usagef("--path %q must start with /", path)
			}
			secret, from, err := sec.resolve(a, cmd)
			if err != nil {
				return err
			}
			if secret == "" && !insecure {
				return usagef("webhooks listen needs the webhook secret, or anyone who can reach %s could store or delete org tokens: give --secret-file F or set %s (the secret given to `byova webhooks ensure`); --insecure accepts unsigned deliveries, for a local test only", addr, envWebhookSecret)
			}
			a.noteSecretFlag(from)
			sess, err := a.session()
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("cannot listen on %s: %w", addr, err)
			}
			h := &receiver.Handler{Session: sess, Secret: secret, Path: path, Out: safetext.NewJSONWriter(a.stdout)}
			srv := receiver.NewServer(addr, h)
			a.noteListening(addr, ln.Addr().String(), path, from, secret != "", insecure)
			return a.listenUntilDone(cmd.Context(), srv, h, ln)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&addr, "addr", "", "address to listen on, e.g. 127.0.0.1:8000")
	fl.StringVar(&path, "path", config.DefaultWebhooksPath, "path Webex posts to (the same default as serve's)")
	sec.add(cmd, "webhook secret")
	fl.BoolVar(&insecure, "insecure", false, "accept deliveries without checking signatures (no secret); warns at every start")
	cmd.MarkFlagRequired("addr")
	return cmd
}

// noteListening says where deliveries are taken and how they are checked; without a secret,
// who could forge one (judged by addr, the --addr given; listening is what it bound).
func (a *app) noteListening(addr, listening, path, from string, signed, insecure bool) {
	note := "signatures checked with the secret from " + from
	if !signed {
		note = "NO secret: signatures not checked"
		reach := "any program on this machine"
		if !receiver.IsLoopback(addr) {
			reach = "anyone who can reach " + addr
		}
		fmt.Fprintf(a.stderr, "byova: WARNING: --insecure: deliveries are not verified; %s can store or delete org tokens. Use it for a local test only.\n", reach)
	} else if insecure {
		fmt.Fprintln(a.stderr, "byova: note: --insecure has no effect with a secret: signatures are checked")
	}
	fmt.Fprintf(a.stderr, "Listening for serviceApp events on http://%s%s (%s). ctrl+c stops.\n", listening, path, note)
}

// listenUntilDone serves on ln until ctx ends, then shuts down within 10 s; deliveries
// answered 202 finish and are logged before it returns.
func (a *app) listenUntilDone(ctx context.Context, srv *http.Server, h *receiver.Handler, ln net.Listener) error {
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		h.Wait()
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	h.Wait()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(a.stderr, "Stopped.")
	return nil
}
