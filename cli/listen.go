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

	"github.com/byova/byova/receiver"
)

// envWebhookSecret lets the secret stay out of the process list.
const envWebhookSecret = "BYOVA_WEBHOOK_SECRET"

func (a *app) whListenCmd() *cobra.Command {
	var addr, path, secret string
	var insecure bool
	cmd := &cobra.Command{
		Use:   "listen --addr HOST:PORT [--path P] [--secret S]",
		Short: "Receive serviceApp events: store tokens for orgs that authorize, drop them on deauthorize",
		Long: `Receive Webex serviceApp authorized/deauthorized deliveries (POST to --path, default /).
With a secret (--secret or ` + envWebhookSecret + `), X-Spark-Signature must match the body's HMAC-SHA1.
On "authorized" byova fetches the customer org's Service App tokens with the caller token and
stores them; on "deauthorized" it deletes them. Each delivery prints one JSON line on stdout
(time, event, org, result), never a secret. Put it behind your HTTPS reverse proxy: Webex only
delivers to https targets.`,
		Example: `  ` + envWebhookSecret + `=… byova webhooks listen --addr 127.0.0.1:8000 --path /webex/events`,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if secret == "" {
				secret = a.getenv(envWebhookSecret)
			}
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return usagef("--addr %q must be HOST:PORT, e.g. 127.0.0.1:8000", addr)
			}
			if !strings.HasPrefix(path, "/") {
				return usagef("--path %q must start with /", path)
			}
			if secret == "" && !receiver.IsLoopback(host) && !insecure {
				return usagef("refusing to listen on %s without a secret: anyone could forge events; give --secret (or %s), or --insecure", addr, envWebhookSecret)
			}
			sess, err := a.session()
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("cannot listen on %s: %w", addr, err)
			}
			h := &receiver.Handler{Session: sess, Secret: secret, Path: path, Out: a.stdout}
			srv := receiver.NewServer(addr, h)
			note := "signatures checked"
			if secret == "" {
				note = "NO secret: signatures not checked"
			}
			fmt.Fprintf(a.stderr, "Listening for serviceApp events on http://%s%s (%s). ctrl+c stops.\n", ln.Addr(), path, note)
			done := make(chan error, 1)
			go func() { done <- srv.Serve(ln) }()
			select {
			case err := <-done:
				return err
			case <-cmd.Context().Done():
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			fmt.Fprintln(a.stderr, "Stopped.")
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&addr, "addr", "", "address to listen on, e.g. 127.0.0.1:8000")
	fl.StringVar(&path, "path", "/", "path Webex posts to")
	fl.StringVar(&secret, "secret", "", "webhook secret (default: $"+envWebhookSecret+")")
	fl.BoolVar(&insecure, "insecure", false, "allow a non-loopback address without a secret")
	cmd.MarkFlagRequired("addr")
	return cmd
}
