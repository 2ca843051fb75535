package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/session"
	"github.com/byova/byova/tui"
)

// finding is one line of `byova doctor`.
type finding struct {
	Check  string `json:"check"`
	Status string `json:"status"` // ok, fail, warn
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`

	signIn bool // only signing in again fixes it (exit 3 when every ✗ is one)
}

const maxSkew = time.Minute

var errStop = errors.New("stop after the first page")

func (a *app) doctorCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check files, sign-ins, scopes, the clock and the connection to Webex; say how to fix each problem",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fs := a.diagnose(cmd.Context())
			failed, signIn := 0, 0
			for _, f := range fs {
				if f.Status == "fail" {
					failed++
					if f.signIn {
						signIn++
					}
				}
			}
			if asJSON {
				if err := printJSON(a.stdout, fs); err != nil {
					return err
				}
			} else {
				for _, f := range fs {
					mark := map[string]string{"ok": "✓", "fail": "✗", "warn": "!"}[f.Status]
					fmt.Fprintf(a.stdout, "%s %s: %s\n", a.glyphs(mark), f.Check, a.glyphs(safetext.Line(f.Detail)))
					if f.Fix != "" {
						fmt.Fprintf(a.stdout, "    fix: %s\n", safetext.Line(f.Fix))
					}
				}
			}
			switch {
			case failed > 0 && signIn == failed:
				return &silentError{code: ExitSignIn}
			case failed > 0:
				return &silentError{code: ExitError}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the findings as JSON")
	return cmd
}

func (a *app) diagnose(ctx context.Context) []finding {
	var f findings
	if !a.checkConfig(&f) {
		return f.out // nothing below can be trusted
	}
	sess, err := a.session()
	if err != nil {
		f.add("token store", "fail", err.Error(), "move the file aside and sign in again with `byova auth login`")
		return f.out
	}
	toks, ok := checkTokenStore(&f, sess)
	if !ok {
		return f.out
	}
	checkWebex(ctx, &f, sess)
	if a.checkSignIns(ctx, &f, sess, toks) {
		checkCaller(ctx, &f, sess)
	}
	return f.out
}

// findings are doctor's rows, in the order checked.
type findings struct{ out []finding }

func (f *findings) add(check, status, detail, fix string) {
	f.out = append(f.out, finding{Check: check, Status: status, Detail: detail, Fix: fix})
}

// signInFail is a ✗ that signing in again fixes; an expired sign-in names its own fix.
func (f *findings) signInFail(check string, err error, fix string) {
	var se *api.SignInExpiredError
	if errors.As(err, &se) {
		fix = se.Fix
	}
	f.out = append(f.out, finding{Check: check, Status: "fail", Detail: err.Error(), Fix: fix, signIn: true})
}

// checkConfig checks config.toml and its [keys]; false when the file cannot be read.
func (a *app) checkConfig(f *findings) bool {
	cfgPath := config.ConfigFile()
	cf, err := config.LoadFile(cfgPath)
	if err != nil {
		f.add("config file", "fail", err.Error(), "fix the file (or move it aside) and run again")
		return false
	}
	// [keys] is checked as the UI checks it (unknown actions, clashes), so a bad line shows here
	// before it stops `byova` or `byova serve`.
	if len(cf.Keys) > 0 {
		if _, err := tui.Keys(cf, cfgPath); err != nil {
			f.add("keys", "fail", err.Error(), "fix the [keys] line it names, or remove it to keep the default")
		} else {
			f.add("keys", "ok", fmt.Sprintf("%d rebound in [keys]", len(cf.Keys)), "")
		}
	}
	if _, err := os.Stat(cfgPath); errors.Is(err, fs.ErrNotExist) {
		f.add("config file", "ok", cfgPath+" not created yet: defaults and environment in use", "")
	} else if err := config.CheckPermissions(cfgPath); err != nil {
		f.add("config file", "fail", err.Error(), "chmod 600 "+cfgPath)
	} else {
		f.add("config file", "ok", cfgPath+" (0600)", "")
	}
	return true
}

// checkTokenStore checks tokens.json and its folder; false when it cannot be read.
func checkTokenStore(f *findings, sess *session.Session) (*config.Tokens, bool) {
	tokPath := sess.Store.Path()
	toks, err := sess.Store.Load()
	_, isFile := sess.Store.(*config.Store)
	switch {
	case !isFile && err != nil: // the etcd store: Open already checked the seal key
		f.add("token store", "fail", err.Error(), "check that etcd answers from here (byova store status)")
		return nil, false
	case !isFile:
		f.add("token store", "ok", tokPath+" (sealed)", "")
	case err != nil:
		f.add("token store", "fail", err.Error(), "move "+tokPath+" aside and sign in again with `byova auth login`")
		return nil, false
	case fileMissing(tokPath):
		f.add("token store", "ok", tokPath+" not created yet", "")
	default:
		if err := config.CheckPermissions(tokPath); err != nil {
			f.add("token store", "fail", err.Error(), "chmod 600 "+tokPath)
		} else if dir := filepath.Dir(tokPath); modeWider(dir, 0o700) {
			f.add("token store", "fail", dir+" can be read by others", "chmod 700 "+dir)
		} else {
			f.add("token store", "ok", tokPath+" (0600, folder 0700)", "")
		}
	}
	return toks, true
}

// checkWebex checks that Webex answers, and that this machine's clock agrees with its.
func checkWebex(ctx context.Context, f *findings, sess *session.Session) {
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	probe, err := sess.Anonymous().Ping(pctx)
	cancel()
	if err != nil {
		f.add("Webex reachable", "fail", err.Error(), "check the network, proxy and --base-url / WEBEX_BASE_URL ("+sess.Settings.BaseURL+")")
		return
	}
	f.add("Webex reachable", "ok", fmt.Sprintf("%s answered in %d ms", sess.Settings.BaseURL, probe.Took.Milliseconds()), "")
	if probe.ServerTime.IsZero() {
		return
	}
	skew := time.Since(probe.ServerTime).Round(time.Second)
	if skew > maxSkew || skew < -maxSkew {
		f.add("clock", "fail", fmt.Sprintf("this machine's clock is %s off Webex's", skew), "sync the clock (e.g. `timedatectl set-ntp true`): token expiries are computed from it")
	} else {
		f.add("clock", "ok", fmt.Sprintf("within %s of Webex's", max(skew, -skew)+time.Second), "")
	}
}

// checkSignIns checks each org's Service App token; false when there is no caller token to
// check after them.
func (a *app) checkSignIns(ctx context.Context, f *findings, sess *session.Session, toks *config.Tokens) bool {
	ps := toks.Profiles[sess.Profile()]
	caller, _ := sess.CallerSource()
	var orgs []string
	if ps != nil {
		for org := range ps.Orgs {
			orgs = append(orgs, org)
		}
	}
	if cur, err := sess.Org(); err == nil && !slices.Contains(orgs, cur) && sess.Settings.ServiceAppRefreshToken != "" {
		orgs = append(orgs, cur)
	}
	slices.Sort(orgs)
	if caller == nil && len(orgs) == 0 {
		f.out = append(f.out, finding{Check: "signed in", Status: "fail", Detail: fmt.Sprintf("no token for profile %q", sess.Profile()),
			Fix:    "run `byova auth login` (or set WEBEX_ACCESS_TOKEN, WEBEX_SA_CLIENT_ID, WEBEX_SA_CLIENT_SECRET and WEBEX_ORG_ID); `byova --demo` tries byova without an account",
			signIn: true})
		return false
	}
	for _, org := range orgs {
		a.checkOrg(ctx, f.add, f.signInFail, org, ps)
	}
	if caller == nil {
		f.add("caller token", "warn", "no Integration token or personal access token: webhooks and new orgs' tokens are out of reach",
			"run `byova auth login --method integration` or set WEBEX_ACCESS_TOKEN")
		return false
	}
	return true
}

// checkCaller checks the Integration or personal token by reading the webhooks with it.
func checkCaller(ctx context.Context, f *findings, sess *session.Session) {
	c, _ := sess.Caller()
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	_, err := c.ListWebhooks(wctx)
	switch {
	case err == nil:
		f.add("caller token", "ok", "valid; webhooks readable (webhooks screen)", "")
	case errors.Is(err, api.ErrForbidden):
		f.add("caller token", "fail", "webhooks refused: "+err.Error(), "the token needs application:webhooks_read and application:webhooks_write (or spark:all): sign in again with those scopes")
	case errors.Is(err, api.ErrNotSignedIn), errors.Is(err, api.ErrUnauthorized):
		f.signInFail("caller token", err, "run `byova auth login` or set a fresh WEBEX_ACCESS_TOKEN")
	default:
		f.add("caller token", "fail", err.Error(), "")
	}
}

// checkOrg checks one org's Service App token: that it works, when it expires, its scopes.
func (a *app) checkOrg(ctx context.Context, add func(check, status, detail, fix string), signInFail func(check string, err error, fix string),
	org string, ps *config.ProfileSecrets) {
	name := "org " + org
	c, err := a.sess.OrgClient(org)
	if errors.Is(err, api.ErrNotSignedIn) {
		signInFail(name, err, "run `byova auth login --method service-app`")
		return
	}
	if err != nil {
		add(name, "fail", err.Error(), "run `byova auth login --method service-app`")
		return
	}
	cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	err = c.EachDataSource(cctx, func(*api.DataSource) error { return errStop })
	switch {
	case err == nil || errors.Is(err, errStop):
	case errors.Is(err, api.ErrForbidden) && tokenRefused(err):
		// Webex's documented answer when the org's admin withdrew the Service App (the
		// deauthorized event): scopes are not the cause, so the fix leads with what is.
		add(name, "fail", "the Service App is not authorized in this org (its admin withdrew it, or never authorized it): "+err.Error(),
			"have a Full Admin of the org re-authorize the Service App in Control Hub, or forget the org: `byova auth logout --org "+org+"`")
		return
	case errors.Is(err, api.ErrForbidden):
		add(name, "fail", "data sources refused: "+err.Error(), "the Service App needs spark-admin:datasource_read and _write, and a Full Admin of the org must authorize it in Control Hub")
		return
	case errors.Is(err, api.ErrNotSignedIn), errors.Is(err, api.ErrUnauthorized):
		signInFail(name, err, "run `byova auth login --method service-app` for this org")
		return
	default:
		add(name, "fail", err.Error(), "")
		return
	}
	detail := "token valid; data sources readable"
	// The store now holds the token this check used (refreshed if it had to be).
	if toks, err := a.sess.Store.Load(); err == nil {
		if p := toks.Profiles[a.sess.Profile()]; p != nil && p.Orgs[org] != nil {
			t := p.Orgs[org]
			detail = fmt.Sprintf("token valid, expires in %s (refreshed automatically)", expiresIn(t.Expiry, time.Now()))
			if !t.RefreshExpiry.IsZero() && time.Until(t.RefreshExpiry) < 7*24*time.Hour {
				add(name, "warn", detail+"; its refresh token expires in "+expiresIn(t.RefreshExpiry, time.Now()), "sign in to the org again before then: `byova auth login --method service-app`")
				return
			}
			if len(t.Scopes) > 0 && !slices.Contains(t.Scopes, "spark-admin:datasource_write") {
				add(name, "fail", detail+"; scopes "+strings.Join(t.Scopes, " ")+" lack spark-admin:datasource_write (register, edit, extend, delete)", "add the scope to the Service App and have the org re-authorize it")
				return
			}
		}
	}
	add(name, "ok", detail, "")
}

func fileMissing(p string) bool {
	_, err := os.Stat(p)
	return errors.Is(err, fs.ErrNotExist)
}

func modeWider(p string, want fs.FileMode) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().Perm()&^want != 0
}

// tokenRefused: Webex refused to grant the org's Service App token (403 from
// POST /applications/{id}/token), which is how a deauthorized org answers.
func tokenRefused(err error) bool {
	var ae *api.Error
	return errors.As(err, &ae) && ae.Status == http.StatusForbidden && ae.Method == http.MethodPost &&
		strings.Contains(ae.Path, "/applications/") && strings.HasSuffix(ae.Path, "/token")
}
