package cli

import (
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/fleet"
	"github.com/byova/byova/safetext"
)

func (a *app) dataSourcesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "datasources",
		Aliases: []string{"ds"},
		Short:   "List, inspect, register, update, extend and delete data sources",
		Args:    noArgs,
	}
	cmd.AddCommand(a.dsListCmd(), a.dsGetCmd(), a.dsCreateCmd(), a.dsUpdateCmd(), a.dsExtendCmd(), a.dsVerifyCmd(), a.dsDeleteCmd())
	return cmd
}

func (a *app) dsListCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List every data source of the org (all pages)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, _, err := a.orgClient()
			if err != nil {
				return err
			}
			if asJSON {
				// Each data source is written as it is read (as `get --json` writes it): memory
				// stays flat and time close to the fetch's.
				defer a.streamGC()()
				l := newJSONList(a.stdout)
				if err := c.EachDataSourceJSON(cmd.Context(), config.Mask, l.addRaw); err != nil {
					l.abandon()
					return err
				}
				return l.close()
			}
			items, err := c.ListDataSources(cmd.Context())
			if err != nil {
				return err
			}
			sort.SliceStable(items, func(i, j int) bool { return expiryKey(&items[i]).Before(expiryKey(&items[j])) })
			now := time.Now()
			t := a.table("ID", "STATUS", "AUDIENCE", "SUBJECT", "URL", "EXPIRES IN")
			for i := range items {
				d := &items[i]
				t.row(d.ID, statusWord(d.Status), orDash(d.Audience), orDash(d.Subject), orDash(d.URL), expiresIn(d.Expiry(), now))
			}
			if len(items) == 0 {
				fmt.Fprintln(a.stderr, "No data sources yet: register one with `byova datasources create`.")
			}
			return t.flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print every data source as one JSON array")
	return cmd
}

// nonceMasked is d as --json shows it: the nonce is a secret, masked as everywhere else.
func nonceMasked(d *api.DataSource) *api.DataSource {
	out := *d
	out.Nonce = config.Mask(d.Nonce)
	return &out
}

// expiryKey sorts unknown expiries last.
func expiryKey(d *api.DataSource) time.Time {
	if d.Expiry().IsZero() {
		return time.Unix(1<<62, 0)
	}
	return d.Expiry()
}

func statusWord(s string) string {
	switch s {
	case "active":
		return "✓ active"
	case "disabled":
		return "✗ disabled"
	case "":
		return "-"
	}
	return "? " + s
}

func (a *app) dsGetCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "get ID",
		Short: "Show one data source, with its token's claims decoded",
		Args:  exactArgs(1, "a data source ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkIDs("data source", args...); err != nil {
				return err
			}
			c, _, err := a.orgClient()
			if err != nil {
				return err
			}
			d, err := c.GetDataSource(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, nonceMasked(d))
			}
			a.printDataSource(d)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the data source as JSON")
	return cmd
}

func (a *app) printDataSource(d *api.DataSource) {
	now := time.Now()
	t := a.table("FIELD", "VALUE")
	rows := [][2]string{
		{"id", d.ID}, {"status", statusWord(d.Status)}, {"errorMessage", orDash(d.ErrorMessage)},
		{"audience", orDash(d.Audience)}, {"subject", orDash(d.Subject)}, {"url", orDash(d.URL)},
		{"schemaId", orDash(d.SchemaID)}, {"tokenLifetimeMinutes", fmt.Sprint(d.TokenLifetimeMinutes)},
		{"token expires", a.stamp(d.Expiry()) + " (" + expiresIn(d.Expiry(), now) + ")"},
		{"orgId", orDash(d.OrgID)}, {"applicationId", orDash(d.ApplicationID)},
		{"createdBy", orDash(d.CreatedBy)}, {"createdAt", orDash(d.CreatedAt)},
		{"updatedBy", orDash(d.UpdatedBy)}, {"updatedAt", orDash(d.UpdatedAt)},
	}
	for _, r := range rows {
		t.row(r[0], r[1])
	}
	t.flush()
	if d.JWSToken == "" {
		return
	}
	fmt.Fprintln(a.stdout)
	dec, err := api.DecodeJWS(d.JWSToken)
	if err != nil {
		fmt.Fprintf(a.stdout, "token: %s\n", safetext.Line(err.Error()))
		return
	}
	fmt.Fprintf(a.stdout, "token header: alg=%s kid=%s typ=%s\n", safetext.Line(dec.Header.Algorithm),
		safetext.Line(orDash(dec.Header.KeyID)), safetext.Line(orDash(dec.Header.Type)))
	keys := make([]string, 0, len(dec.Claims.Raw))
	for k := range dec.Claims.Raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	t = a.table("CLAIM", "VALUE")
	for _, k := range keys {
		v := string(dec.Claims.Raw[k])
		switch k {
		case "exp", "iat", "nbf":
			var n int64
			fmt.Sscan(v, &n)
			v += "  (" + a.stamp(time.Unix(n, 0)) + ")"
		}
		t.row(k, v)
	}
	t.flush()
}

// dsFields are the flags shared by create and update.
type dsFields struct {
	schema, url, audience, subject, nonce, status, errorMessage string
	lifetime                                                    int
}

// validateURL refuses what is not an absolute URL. Webex's docs only say "URL", so another
// scheme than https (gRPC and HTTP data sources) or wss (the BYOVA WebSocket schema) gets a
// warning and Webex answers for itself.
func validateURL(s string, warn io.Writer) error {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return usagef("--url %q must be an absolute URL Webex can reach, e.g. https://va.example.com/grpc", s)
	}
	if u.Scheme != "https" && u.Scheme != "wss" {
		fmt.Fprintf(warn, "byova: warning: --url %q is not https:// or wss://; sending it anyway, Webex decides whether to accept it.\n", s)
	}
	return nil
}

func validateSchemaID(s string) error {
	if _, err := uuid.Parse(s); err != nil {
		return usagef("--schema %q is not a schema UUID: see `byova schemas list`", s)
	}
	return nil
}

func validateLifetime(n int) error {
	if err := api.ValidateLifetime(n); err != nil {
		return usagef("--lifetime: %v", err)
	}
	return nil
}

func (a *app) dsCreateCmd() *cobra.Command {
	var f dsFields
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "create --schema ID --url URL --audience A --subject S [--lifetime MIN] [--nonce N]",
		Short: "Register a data source",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var missing []string
			for name, v := range map[string]string{"--schema": f.schema, "--url": f.url, "--audience": f.audience, "--subject": f.subject} {
				if strings.TrimSpace(v) == "" {
					missing = append(missing, name)
				}
			}
			if len(missing) > 0 {
				sort.Strings(missing)
				return usagef("datasources create needs %s", strings.Join(missing, ", "))
			}
			if err := firstErr(validateSchemaID(f.schema), validateURL(f.url, a.stderr), validateLifetime(f.lifetime)); err != nil {
				return err
			}
			if err := a.guardWrite("register a data source"); err != nil {
				return err
			}
			c, org, err := a.orgClient()
			if err != nil {
				return err
			}
			d, _, err := a.writer(c, org).Create(cmd.Context(), api.DataSourceCreate{
				SchemaID: f.schema, URL: f.url, Audience: f.audience, Subject: f.subject, Nonce: f.nonce, TokenLifetimeMinutes: f.lifetime})
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, nonceMasked(d))
			}
			fmt.Fprintf(a.stdout, a.glyphs("Registered data source %s (%s → %s); token expires %s.\n"),
				safetext.Line(d.ID), safetext.Line(d.Audience), safetext.Line(d.URL), a.stamp(d.Expiry()))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.schema, "schema", "", "schema UUID (see: byova schemas list)")
	fl.StringVar(&f.url, "url", "", "https URL Webex delivers data to")
	fl.StringVar(&f.audience, "audience", "", "audience (the JWS aud), e.g. your app's name")
	fl.StringVar(&f.subject, "subject", "", "subject (the JWS sub), e.g. callAudioData")
	fl.IntVar(&f.lifetime, "lifetime", api.MaxLifetimeMinutes, "token lifetime in minutes, 1-1440")
	fl.StringVar(&f.nonce, "nonce", "", "nonce (default: a fresh UUID v4)")
	fl.BoolVar(&asJSON, "json", false, "print the created data source as JSON")
	return cmd
}

func (a *app) dsUpdateCmd() *cobra.Command {
	var f dsFields
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "update ID [--url U] [--audience A] [--subject S] [--schema ID] [--lifetime MIN] [--status active|disabled --error-message TEXT]",
		Short: "Change a data source (the rest of its configuration is kept; a fresh nonce is sent)",
		Args:  exactArgs(1, "a data source ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkIDs("data source", args...); err != nil {
				return err
			}
			fl := cmd.Flags()
			if err := a.checkUpdate(fl, &f); err != nil {
				return err
			}
			if err := a.guardWrite("update a data source"); err != nil {
				return err
			}
			c, org, err := a.orgClient()
			if err != nil {
				return err
			}
			cur, err := c.GetDataSource(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			d, _, err := a.writer(c, org).Update(cmd.Context(), cur.ID, updateOf(cur, fl, &f))
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, nonceMasked(d))
			}
			fmt.Fprintf(a.stdout, "Updated data source %s (%s); token expires %s.\n", safetext.Line(d.ID), a.glyphs(safetext.Line(statusWord(d.Status))), a.stamp(d.Expiry()))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.schema, "schema", "", "schema UUID")
	fl.StringVar(&f.url, "url", "", "https URL")
	fl.StringVar(&f.audience, "audience", "", "audience")
	fl.StringVar(&f.subject, "subject", "", "subject")
	fl.IntVar(&f.lifetime, "lifetime", 0, "new token lifetime in minutes, 1-1440 (default: keep the current one)")
	fl.StringVar(&f.status, "status", "", "active or disabled")
	fl.StringVar(&f.errorMessage, "error-message", "", "message shown to the customer's admin when disabled")
	fl.BoolVar(&asJSON, "json", false, "print the updated data source as JSON")
	return cmd
}

// checkUpdate refuses an update that changes nothing or a value Webex would refuse, before
// anything is sent.
func (a *app) checkUpdate(fl *pflag.FlagSet, f *dsFields) error {
	changed := false
	for _, n := range []string{"url", "audience", "subject", "schema", "lifetime", "status", "error-message"} {
		changed = changed || fl.Changed(n)
	}
	if !changed {
		return usagef("datasources update: nothing to change; give at least one of --url, --audience, --subject, --schema, --lifetime, --status")
	}
	var checks []error
	if fl.Changed("url") {
		checks = append(checks, validateURL(f.url, a.stderr))
	}
	if fl.Changed("schema") {
		checks = append(checks, validateSchemaID(f.schema))
	}
	if fl.Changed("lifetime") {
		checks = append(checks, validateLifetime(f.lifetime))
	}
	if fl.Changed("status") && f.status != "active" && f.status != "disabled" {
		checks = append(checks, usagef("--status must be active or disabled, not %q", f.status))
	}
	if f.status == "disabled" && strings.TrimSpace(f.errorMessage) == "" {
		checks = append(checks, usagef("--status disabled needs --error-message TEXT: the message the customer's admin sees in Control Hub"))
	}
	if fl.Changed("audience") && strings.TrimSpace(f.audience) == "" || fl.Changed("subject") && strings.TrimSpace(f.subject) == "" {
		checks = append(checks, usagef("--audience and --subject cannot be empty"))
	}
	return firstErr(checks...)
}

// updateOf is cur's full configuration with a fresh nonce and the flags given applied.
func updateOf(cur *api.DataSource, fl *pflag.FlagSet, f *dsFields) api.DataSourceUpdate {
	up := fleet.UpdateFrom(cur)
	set := map[string]*string{"url": &up.URL, "audience": &up.Audience, "subject": &up.Subject, "schema": &up.SchemaID, "status": &up.Status, "error-message": &up.ErrorMessage}
	vals := map[string]string{"url": f.url, "audience": f.audience, "subject": f.subject, "schema": f.schema, "status": f.status, "error-message": f.errorMessage}
	for n, p := range set {
		if fl.Changed(n) {
			*p = vals[n]
		}
	}
	if fl.Changed("lifetime") {
		up.TokenLifetimeMinutes = f.lifetime
	}
	if up.Status == "active" && !fl.Changed("error-message") {
		up.ErrorMessage = "" // re-enabling clears the customer-facing message
	}
	return up
}

func (a *app) dsDeleteCmd() *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "delete ID [--yes]",
		Short: "Delete a data source (asks first unless --yes)",
		Args:  exactArgs(1, "a data source ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := firstErr(checkIDs("data source", args...), a.guardWrite("delete a data source")); err != nil {
				return err
			}
			if !yes {
				ok, err := a.confirm(fmt.Sprintf("Delete data source %s? Webex stops sending it data.", args[0]))
				if err != nil {
					return err
				}
				if !ok {
					fmt.Fprintln(a.stderr, "Not deleted.")
					return nil
				}
			}
			c, org, err := a.orgClient()
			if err != nil {
				return err
			}
			if _, err := a.writer(c, org).Delete(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Deleted data source %s.\n", args[0])
			return nil
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
