package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/byova/byova/api"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/signin"
	"github.com/byova/byova/tui"
	"github.com/byova/byova/ui/signintext"
)

const loginLong = `Sign in to Webex with a guided wizard and keep the result for every other command.

  integration   OAuth with your Integration: client ID, secret, redirect URI and scopes.
                byova listens on the redirect URI (loopback), opens a browser when there is
                one, and waits up to --timeout. Over SSH, or when the browser cannot reach
                this machine, paste the address the browser was sent to.
  pat           a personal access token from developer.webex.com; Webex checks it first.
  service-app   your Service App in a customer org, with a caller token (WEBEX_ACCESS_TOKEN,
                or the stored Integration or personal access token) or with the Service App's
                refresh token for the org (the sandbox path); checked by listing the org's
                data sources.

Tokens and client secrets go to the token store ($XDG_DATA_HOME/byova/tokens.json, 0600);
client IDs, the redirect URI and orgs to the profile in config.toml. The forms are prefilled
from WEBEX_INTEGRATION_*, WEBEX_SA_*, --org / WEBEX_ORG_ID and the profile. Secrets are never
shown in full.

Without a terminal on stdin the wizard cannot ask, so byova auth login stops at once (exit 2),
except:
  - ACCESSIBLE=1 (or TERM=dumb): plain prompts, one question per line, for screen readers;
    they also read answers piped on stdin, one per line;
  - --method pat --with-token: the token is read from stdin;
  - --method service-app with WEBEX_SA_CLIENT_ID, WEBEX_SA_CLIENT_SECRET, the org (--org or
    WEBEX_ORG_ID) and WEBEX_SA_REFRESH_TOKEN or a caller token all set: no question is left.

Exit codes: 0 signed in; 1 the sign-in did not complete (access denied, no answer in time,
state mismatch) or Webex could not be reached; 2 bad input, no terminal, or cancelled; 3 Webex
rejected a token, code or credential (a bad token, an expired or reused code, a wrong client
secret).`

const loginExample = `  byova auth login
  byova auth login --method service-app --org 63b02f90-9cc6-43b8-aa6d-cad425ac554c
  byova auth login --method pat --with-token < pat.txt
  ACCESSIBLE=1 byova auth login --method pat`

func (a *app) authLoginCmd() *cobra.Command {
	var method string
	var withToken, noBrowser bool
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:     "login [--method integration|pat|service-app]",
		Short:   "Sign in: Integration (OAuth), personal access token, or a Service App in a customer org",
		Long:    loginLong,
		Example: loginExample,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if method != "" && !slices.Contains(signin.Methods, method) {
				return usagef("--method %q: use integration, pat or service-app", method)
			}
			if withToken && method != signin.MethodPAT {
				return usagef("--with-token reads a personal access token: use it with --method pat")
			}
			if timeout <= 0 {
				return usagef("--timeout must be positive, e.g. 5m")
			}
			sess, err := a.session()
			if err != nil {
				return err
			}
			env := signin.Env{Getenv: a.getenv, OpenURL: signin.SystemBrowser, Timeout: timeout, NoBrowser: noBrowser}
			ctx := cmd.Context()
			var o signin.Outcome
			inTTY := isTerminal(a.stdin)
			switch {
			case withToken:
				token, rerr := readToken(a.stdin)
				if rerr != nil {
					return rerr
				}
				o, err = signin.SignInPAT(ctx, sess, token)
			case a.getenv("ACCESSIBLE") != "" || a.getenv("TERM") == "dumb":
				o, err = a.plainLogin(cmd, tui.PlainSignInOptions{Session: sess, Env: env, Method: method,
					Input: a.stdin, Output: a.stderr, Terminal: inTTY})
			case !inTTY:
				in, ok, perr := a.serviceAppFromSettings(method)
				if perr != nil {
					return perr
				}
				if !ok {
					return usagef("byova auth login asks its questions in a terminal, and stdin is not one.\n" +
						"  Run it in a terminal; or set ACCESSIBLE=1 for plain prompts that read answers from stdin;\n" +
						"  or sign in without questions: byova auth login --method pat --with-token < token.txt,\n" +
						"  or --method service-app with WEBEX_SA_CLIENT_ID, WEBEX_SA_CLIENT_SECRET, --org or\n" +
						"  WEBEX_ORG_ID, and WEBEX_SA_REFRESH_TOKEN or WEBEX_ACCESS_TOKEN set")
				}
				o, err = signin.SignInServiceApp(ctx, sess, in)
			default:
				o, err = tui.RunSignIn(ctx, tui.SignInOptions{Session: sess, Env: env, Method: method,
					NoColor: a.noColor || a.getenv("NO_COLOR") != "", Input: a.stdin, Output: a.terminalOut(), Logger: a.log})
			}
			if err != nil {
				return loginFailure(method, err)
			}
			printOutcome(a.stdout, o)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&method, "method", "", "integration, pat or service-app (default: ask)")
	f.BoolVar(&withToken, "with-token", false, "read a personal access token from stdin (with --method pat)")
	f.BoolVar(&noBrowser, "no-browser", false, "do not open a browser; paste the address it was sent to")
	f.DurationVar(&timeout, "timeout", signin.DefaultTimeout, "how long to wait for the browser to come back")
	_ = cmd.RegisterFlagCompletionFunc("method", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return signin.Methods, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// plainLogin runs the plain prompts. They block on reading stdin, which a context cannot
// stop: on ctrl+c the command returns at once and leaves the read behind.
func (a *app) plainLogin(cmd *cobra.Command, o tui.PlainSignInOptions) (signin.Outcome, error) {
	type result struct {
		o   signin.Outcome
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := tui.RunSignInPlain(cmd.Context(), o)
		done <- result{out, err}
	}()
	select {
	case r := <-done:
		return r.o, r.err
	case <-cmd.Context().Done():
		fmt.Fprintln(a.stderr)
		return signin.Outcome{}, signintext.ErrCancelled
	}
}

// serviceAppFromSettings is a Service App sign-in that needs no question: --method service-app
// with everything set in the environment, flags and profile.
func (a *app) serviceAppFromSettings(method string) (signin.ServiceAppInput, bool, error) {
	if method != signin.MethodServiceApp {
		return signin.ServiceAppInput{}, false, nil
	}
	v, err := signin.Prefill(a.sess, method)
	if err != nil {
		return signin.ServiceAppInput{}, false, err
	}
	var missing []string
	for _, m := range []struct{ v, name string }{
		{v.SAClientID, "WEBEX_SA_CLIENT_ID"}, {v.SAClientSecret, "WEBEX_SA_CLIENT_SECRET"}, {v.Org, "--org or WEBEX_ORG_ID"},
	} {
		if m.v == "" {
			missing = append(missing, m.name)
		}
	}
	if v.RefreshToken == "" && v.CallerName == "" {
		missing = append(missing, "WEBEX_SA_REFRESH_TOKEN or WEBEX_ACCESS_TOKEN")
	}
	if len(missing) > 0 {
		return signin.ServiceAppInput{}, false, usagef("stdin is not a terminal, so byova cannot ask; set %s (or run it in a terminal, or with ACCESSIBLE=1)", strings.Join(missing, ", "))
	}
	return v.ServiceAppInput(), true, nil
}

// readToken reads a token from the first line of stdin.
func readToken(r io.Reader) (string, error) {
	sc := bufio.NewScanner(io.LimitReader(r, 64<<10))
	if !sc.Scan() || strings.TrimSpace(sc.Text()) == "" {
		return "", usagef("--with-token reads the token from stdin, and stdin was empty: byova auth login --method pat --with-token < token.txt")
	}
	return strings.TrimSpace(sc.Text()), nil
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// terminalOut is where the wizard draws: stderr when it is a terminal, so stdout keeps only
// the result; else stdout.
func (a *app) terminalOut() io.Writer {
	if f, ok := a.stderr.(*os.File); ok && term.IsTerminal(f.Fd()) {
		return a.stderr
	}
	if f, ok := a.stdout.(*os.File); ok && term.IsTerminal(f.Fd()) {
		return a.stdout
	}
	return a.stderr
}

// printOutcome prints what a sign-in stored, without any secret.
func printOutcome(w io.Writer, o signin.Outcome) {
	fmt.Fprintln(w, "✓ "+safetext.Line(signintext.Headline(o))) // org and person names come from Webex
	for _, r := range signintext.Details(o, time.Now()) {
		fmt.Fprintf(w, "  %-9s %s\n", r[0], safetext.Line(r[1]))
	}
	fmt.Fprintln(w, "  "+signintext.NextStep(o, true))
}

// loginError is a failed sign-in explained: what happened and what to do. It keeps the
// classes of the error underneath for the exit code, but not its own hint (no repeats).
type loginError struct {
	msg string
	err error
}

func (e *loginError) Error() string { return e.msg }
func (e *loginError) Is(target error) bool {
	return errors.Is(e.err, target)
}

func loginFailure(method string, err error) error {
	var in *signin.InputError
	if errors.As(err, &in) {
		return usagef("%s", in.Error())
	}
	if errors.Is(err, signintext.ErrCancelled) {
		return usagef("%s", err.Error())
	}
	headline, hint := signintext.Explain(method, err)
	msg := headline
	if hint != "" {
		msg += "\n  " + hint
	}
	if tid := api.TrackingIDOf(err); tid != "" {
		msg += "\n  trackingId " + tid
	}
	return &loginError{msg: msg, err: err}
}
