package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"

	charmlog "charm.land/log/v2"
	"github.com/spf13/cobra"

	"github.com/byova/byova/config"
	"github.com/byova/byova/receiver"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/serve"
	"github.com/byova/byova/tui"
)

func (a *app) serveCmd() *cobra.Command {
	var sshAddr, httpAddr string
	var public bool
	cmd := &cobra.Command{
		Use:   "serve [--ssh-addr HOST:PORT] [--http-addr HOST:PORT] [--public]",
		Short: "The on-call service: the TUI over SSH, the token keeper, webhooks, /metrics",
		Long: `Run byova as one long-lived service for a team:

  --ssh-addr   the terminal UI over SSH, one program per session; users log in with the public
               keys listed in config.toml under [serve.users.NAME] (role viewer or operator)
  --http-addr  /metrics (Prometheus), /healthz, /readyz and, with a webhook secret
               (BYOVA_WEBHOOK_SECRET or [serve.webhooks] secret_file), the webhook receiver

The token keeper always runs: every [serve.keep] interval it extends the data source tokens
of every org with a stored Service App token that expire within [serve.keep] within (or
within half their lifetime when that is shorter), and refreshes Service App tokens before
they lapse. Each action is one JSON line on stderr and, for writes, one audit log line.

Addresses other than loopback need --public. SIGINT, SIGTERM or SIGHUP: sessions are
told, writes in flight finish, then byova exits.`,
		Example: `  byova serve --ssh-addr 127.0.0.1:2222 --http-addr 127.0.0.1:9464
  ssh -p 2222 byova.internal          # a teammate whose key is in [serve.users]`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ss, readOnly, err := a.serveSettings(cmd, sshAddr, httpAddr)
			if err != nil {
				return err
			}
			exposed, err := checkExposure(ss, public)
			if err != nil {
				return err
			}
			secret, err := a.webhookSecret(ss)
			if err != nil {
				return err
			}
			sess, err := a.session()
			if err != nil {
				return err
			}
			if readOnly {
				ss.KeepDryRun = true // --readonly: the keeper only says what it would extend
			}
			opts, err := a.serveOptions()
			if err != nil {
				return err
			}
			serveLog := slog.New(slog.NewJSONHandler(safetext.NewJSONWriter(a.stderr), nil))
			leader, withMetrics := election(sess.Store, ss, serveLog)
			opts.Session, opts.Settings, opts.Leader, opts.WebhookSecret, opts.Log = sess, ss, leader, secret, serveLog
			srv, err := serve.New(opts)
			if err != nil {
				return err
			}
			withMetrics(srv)
			if err := srv.Start(); err != nil {
				_ = srv.Shutdown(cmd.Context())
				return err
			}
			a.printServing(srv, ss, secret != "", sess.Profile(), exposed)
			<-cmd.Context().Done()
			fmt.Fprintln(a.stderr, "byova serve: stopping (sessions are told, writes in flight finish)")
			ctx, cancel := shutdownContext()
			defer cancel()
			return srv.Shutdown(ctx)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&sshAddr, "ssh-addr", "", "serve the terminal UI over SSH on HOST:PORT (default: [serve] ssh_addr; off when neither)")
	fl.StringVar(&httpAddr, "http-addr", "", "serve /metrics, /healthz, /readyz and the webhook receiver on HOST:PORT")
	fl.BoolVar(&public, "public", false, "allow listening on addresses other than loopback")
	return cmd
}

// serveSettings are [serve] from config.toml with --ssh-addr and --http-addr applied, and
// whether the profile is read-only.
func (a *app) serveSettings(cmd *cobra.Command, sshAddr, httpAddr string) (config.ServeSettings, bool, error) {
	s, f, err := a.settings()
	if err != nil {
		return config.ServeSettings{}, false, err
	}
	ss, err := f.Serve.Check(config.ConfigFile())
	if err != nil {
		return config.ServeSettings{}, false, &usageError{err.Error()}
	}
	if cmd.Flags().Changed("ssh-addr") {
		ss.SSHAddr = sshAddr
	}
	if cmd.Flags().Changed("http-addr") {
		ss.HTTPAddr = httpAddr
	}
	if ss.SSHAddr == "" && ss.HTTPAddr == "" {
		return config.ServeSettings{}, false, usagef("byova serve needs --ssh-addr, --http-addr or both (or ssh_addr/http_addr under [serve] in %s)", config.ConfigFile())
	}
	return ss, s.ReadOnly, nil
}

// serveOptions are the parts of serve's options that come from this process rather than
// from [serve]: the consoles' log, key map and output, and the prober's roots.
func (a *app) serveOptions() (serve.Options, error) {
	// wish's Bubble Tea middleware logs every session's end as an error in its own
	// format; byova logs sessions itself, as JSON.
	charmlog.SetOutput(io.Discard)
	tuiLog, err := a.logger()
	if err != nil {
		return serve.Options{}, err
	}
	// The consoles use the same [keys] as `byova`; a bad line stops serve before it starts.
	cf, err := config.LoadFile(config.ConfigFile())
	if err != nil {
		return serve.Options{}, err
	}
	keys, err := tui.Keys(cf, config.ConfigFile())
	if err != nil {
		return serve.Options{}, err
	}
	probeRoots, err := a.caRoots("") // the prober trusts BYOVA_CA_FILE as probe does
	if err != nil {
		return serve.Options{}, err
	}
	return serve.Options{
		ProbeRoots: probeRoots, DataDir: filepath.Dir(config.TokenFile()), Keys: keys,
		// JSON lines carry Webex text (errors, audiences): C1 and bidi are escaped like --json.
		Out: safetext.NewJSONWriter(a.stdout), TUILog: tuiLog,
	}, nil
}

// checkExposure refuses a non-loopback listener without --public and, with it, lists what
// leaves the machine.
func checkExposure(ss config.ServeSettings, public bool) ([]string, error) {
	var exposed []string
	for _, l := range []struct{ flag, addr, what string }{
		{"--ssh-addr", ss.SSHAddr, "the SSH console (key login for the users in [serve.users])"},
		{"--http-addr", ss.HTTPAddr, "/metrics (org ids, data source ids, audiences and token expiries), /healthz, /readyz and the webhook receiver"},
	} {
		if l.addr == "" {
			continue
		}
		host, _, err := net.SplitHostPort(l.addr)
		if err != nil {
			return nil, usagef("%s %q is not HOST:PORT (e.g. 127.0.0.1:2222)", l.flag, l.addr)
		}
		if !receiver.IsLoopback(host) {
			if !public {
				return nil, usagef("refusing to listen on %s (%s) beyond this machine: give --public to expose %s", l.addr, l.flag, l.what)
			}
			exposed = append(exposed, l.addr+": "+l.what)
		}
	}
	return exposed, nil
}

// webhookSecret is BYOVA_WEBHOOK_SECRET, else [serve.webhooks] secret_file; "" leaves the
// receiver off.
func (a *app) webhookSecret(ss config.ServeSettings) (string, error) {
	if v := strings.TrimSpace(a.getenv(envWebhookSecret)); v != "" {
		return v, nil
	}
	if ss.WebhooksSecretFile == "" {
		return "", nil
	}
	b, err := os.ReadFile(ss.WebhooksSecretFile)
	if err != nil {
		return "", usagef("[serve.webhooks] secret_file: %v", err)
	}
	v := strings.TrimSpace(string(b))
	if v == "" {
		return "", usagef("[serve.webhooks] secret_file %s is empty: put the webhook secret in it", ss.WebhooksSecretFile)
	}
	return v, nil
}

func (a *app) printServing(srv *serve.Server, ss config.ServeSettings, receiverOn bool, profile string, exposed []string) {
	w := a.stderr
	fmt.Fprintf(w, "byova serve: profile %s, data folder %s\n", profile, filepath.Dir(config.TokenFile()))
	if addr := srv.SSHAddr(); addr != "" {
		fp, created := srv.HostKeyFingerprint()
		note := ""
		if created {
			note = " (new: teammates should check it on their first connect)"
		}
		fmt.Fprintf(w, "  SSH console on %s, host key %s%s\n", addr, fp, note)
		var users []string
		for _, u := range ss.Users {
			users = append(users, u.Name+" ("+u.Role+")")
		}
		fmt.Fprintf(w, "    users: %s; idle timeout %s, at most %d connections and consoles, %d per key\n",
			strings.Join(users, ", "), ss.IdleTimeout, ss.MaxSessions, ss.MaxPerKey)
	}
	if addr := srv.HTTPAddr(); addr != "" {
		hooks := "webhook receiver off (no secret: set BYOVA_WEBHOOK_SECRET or [serve.webhooks] secret_file)"
		if receiverOn {
			hooks = "webhooks at " + ss.WebhooksPath
		}
		fmt.Fprintf(w, "  HTTP on %s: /metrics /healthz /readyz; %s\n", addr, hooks)
	}
	dry := ""
	if ss.KeepDryRun {
		dry = " (dry run: nothing is sent)"
	}
	fmt.Fprintf(w, "  keeper: every %s, tokens expiring within %s%s\n", ss.KeepInterval, ss.KeepWithin, dry)
	if srv.Leader() != nil {
		fmt.Fprintf(w, "  token store: %s; the keeper runs on the replica that leads the election\n", srv.StorePath())
	}
	for _, e := range exposed {
		fmt.Fprintf(w, "  --public: %s\n", e)
	}
}

func shutdownContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), serve.ShutdownGrace)
}
