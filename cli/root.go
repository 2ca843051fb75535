package cli

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
)

// Version is set by main from the build.
var Version = "dev"

// app is one invocation: its streams, environment and global flags.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string

	baseURL, profile, org string
	readonly, debug       bool
	noColor               bool
	noAltScreen, mouse    bool
	demo                  bool
	local                 bool // human output in local time (also TZ); UTC otherwise

	// endpointRoots are extra CAs the TUI's probe and call trust (the demo's fake gateway).
	endpointRoots *x509.CertPool

	root     *cobra.Command
	sess     *session.Session
	log      *slog.Logger
	closeLog func()
	// closeStore closes the etcd token store when one was opened (store.go).
	closeStore func()
	// process is set when this invocation is the whole process (Main): only then may a
	// command tune the runtime for itself (streamGC).
	process bool
}

// Main runs byova with the process's arguments and streams and returns the exit code.
func Main() int {
	ctx, stop := signalContext()
	defer stop()
	return run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv, true)
}

// Run runs byova with the given arguments, streams and environment.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	return run(ctx, args, stdin, stdout, stderr, getenv, false)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string, process bool) int {
	api.Version = Version
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, process: process}
	config.SetNotifier(func(msg string) { fmt.Fprintln(stderr, "byova: "+msg) })
	a.root = a.rootCmd()
	a.root.SetArgs(args)
	a.root.SetIn(stdin)
	a.root.SetOut(stdout)
	a.root.SetErr(stderr)
	err := a.root.ExecuteContext(ctx)
	if a.closeStore != nil {
		a.closeStore()
	}
	if a.closeLog != nil {
		a.closeLog()
	}
	// A server (listen, fake serve) stops cleanly on ^C and says so: that is its normal end.
	// A command that a signal cut short exits 128+signal.
	if in, ok := interruptedBy(ctx); ok && err != nil {
		fmt.Fprintln(stderr, "byova: "+in.Error())
		return in.code()
	}
	if err != nil {
		err = classifyCobra(err)
		_, partial := err.(*partialError)
		_, silent := err.(*silentError)
		if !partial && !silent {
			fmt.Fprintln(stderr, describe(err))
		}
		if _, ok := err.(*usageError); ok {
			fmt.Fprintln(stderr, "Run 'byova --help' (or 'byova COMMAND --help') for usage.")
		}
	}
	return exitCode(err)
}

// classifyCobra turns cobra's own argument errors into usage errors (exit 2).
func classifyCobra(err error) error {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "invalid argument", "required flag", "flag needs an argument", "accepts "} {
		if strings.HasPrefix(msg, p) {
			return &usageError{msg}
		}
	}
	return err
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "byova",
		Short: "Manage Webex BYODS data sources, Service App tokens and webhooks",
		Long: `byova manages Webex "Bring Your Own Data Source" / "Bring Your Own Virtual Agent"
integrations: data sources and their tokens, schemas, webhooks and Service App sign-in.

Run it without a command for the terminal UI; byova --demo tries it on a built-in fake Webex.`,
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runUI(cmd.Context())
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err.Error()} })
	pf := root.PersistentFlags()
	pf.StringVar(&a.baseURL, "base-url", "", "Webex REST base URL (env WEBEX_BASE_URL)")
	pf.StringVar(&a.profile, "profile", "", "profile in config.toml (env BYOVA_PROFILE)")
	pf.StringVar(&a.org, "org", "", "customer org: an alias from config.toml, its UUID or Webex org ID (env WEBEX_ORG_ID)")
	pf.BoolVar(&a.readonly, "readonly", false, "refuse every write to Webex")
	pf.BoolVar(&a.debug, "debug", false, "log to the state folder's byova.log (never secrets)")
	pf.BoolVar(&a.noColor, "no-color", false, "no colour (also NO_COLOR)")
	pf.BoolVar(&a.local, "local", false, "times in local time, zone named (also TZ); default UTC")
	root.Flags().BoolVar(&a.demo, "demo", false, "open the terminal UI against a built-in fake Webex with sample data")
	root.Flags().BoolVar(&a.noAltScreen, "no-alt-screen", false, "draw in the normal screen buffer")
	root.Flags().BoolVar(&a.mouse, "mouse", false, "enable the mouse")
	root.SetVersionTemplate("byova {{.Version}}\n")

	root.AddGroup(&cobra.Group{ID: "webex", Title: "Webex resources:"}, &cobra.Group{ID: "setup", Title: "Sign-in and tools:"})
	for _, c := range []*cobra.Command{a.dataSourcesCmd(), a.schemasCmd(), a.webhooksCmd(), a.probeCmd(), a.callCmd()} {
		c.GroupID = "webex"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{a.authCmd(), a.orgsCmd(), a.doctorCmd(), a.fakeCmd(), a.serveCmd(), a.storeCmd()} {
		c.GroupID = "setup"
		root.AddCommand(c)
	}
	a.completeIDs(root)
	root.SetHelpCommandGroupID("setup")
	root.SetCompletionCommandGroupID("setup")
	a.bashCompletionHint(root)
	return root
}

// bashCompletionNeeds opens the bash script: cobra's script calls _get_comp_words_by_ref from
// the bash-completion package, and without it every TAB prints "command not found". Checked
// once as the script is sourced, and said in one line on stderr.
const bashCompletionNeeds = `# byova's completion uses _get_comp_words_by_ref, from the bash-completion package.
if ! declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
    echo "byova: completion needs the bash-completion package (apt-get install bash-completion, or brew install bash-completion@2), then a new shell" >&2
fi
`

// bashCompletionHint makes cobra's completion command now (it would at Execute) so that its
// bash script can start with bashCompletionNeeds.
func (a *app) bashCompletionHint(root *cobra.Command) {
	root.SetOut(a.stdout)
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		for _, sh := range c.Commands() {
			if sh.Name() != "bash" || sh.RunE == nil {
				continue
			}
			gen := sh.RunE
			sh.Long = strings.Replace(sh.Long, "This script depends on the 'bash-completion' package.",
				"This script depends on the 'bash-completion' package; when it is missing, sourcing the script says so on stderr.", 1)
			sh.RunE = func(cmd *cobra.Command, args []string) error {
				if _, err := io.WriteString(a.stdout, bashCompletionNeeds); err != nil {
					return err
				}
				return gen(cmd, args)
			}
		}
	}
}

// noArgs refuses positional arguments with a usage error (exit 2).
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
	}
	return nil
}

func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s needs %s (got %d arguments)", cmd.CommandPath(), what, len(args))
		}
		return nil
	}
}

// settings resolves flag > environment > config file > default.
func (a *app) settings() (config.Settings, *config.File, error) {
	f, err := config.LoadFile(config.ConfigFile())
	if err != nil {
		return config.Settings{}, nil, err
	}
	fl := config.Flags{BaseURL: a.baseURL, Profile: a.profile, Org: a.org, ReadOnly: a.readonly,
		ReadOnlySet: a.root.PersistentFlags().Changed("readonly")}
	return config.Resolve(fl, a.getenv, f), f, nil
}

// session opens the session once per invocation.
func (a *app) session() (*session.Session, error) {
	if a.sess != nil {
		return a.sess, nil
	}
	s, f, err := a.settings()
	if err != nil {
		return nil, err
	}
	log, err := a.logger()
	if err != nil {
		return nil, err
	}
	store, err := a.tokenStore(f)
	if err != nil {
		return nil, err
	}
	sess, err := session.New(s, store, log)
	if err != nil {
		return nil, err
	}
	a.sess = sess
	return sess, nil
}

// logger is the --debug log in the state folder, or a discarding one.
func (a *app) logger() (*slog.Logger, error) {
	if a.log != nil {
		return a.log, nil
	}
	if !a.debug {
		a.log = slog.New(slog.DiscardHandler)
		return a.log, nil
	}
	f, err := config.OpenLog(config.DebugLogFile())
	if err != nil {
		return nil, fmt.Errorf("opening the debug log: %w", err)
	}
	a.closeLog = func() { f.Close() }
	a.log = slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return a.log, nil
}

// guardWrite refuses writes in read-only mode, before anything is sent.
func (a *app) guardWrite(what string) error {
	s, err := a.session()
	if err != nil {
		return err
	}
	if s.Settings.ReadOnly {
		return usagef("read-only mode: refusing to %s (drop --readonly, or readonly = true from profile %q)", what, s.Profile())
	}
	return nil
}

// orgClient is the Service App client for the selected org.
func (a *app) orgClient() (*api.Client, string, error) {
	s, err := a.session()
	if err != nil {
		return nil, "", err
	}
	return s.CurrentOrgClient()
}

// audit records a write; a failure to record is a warning, not the command's failure.
// The trackingId is the one Webex sent with the write (from api.WithTracking); on errors the
// error's own is used.
func (a *app) audit(tr *api.Tracking, org, op, id string, err error) {
	if a.sess == nil {
		return
	}
	if aerr := a.sess.AuditTracked(org, op, id, tr.ID(), err); aerr != nil {
		a.auditFailed(aerr)
	}
}
