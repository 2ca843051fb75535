package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/fleet"
	"github.com/byova/byova/safetext"
)

func (a *app) webhooksCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "webhooks", Short: "List, create, update, delete and ensure webhooks", Args: noArgs}
	cmd.AddCommand(a.whListCmd(), a.whGetCmd(), a.whCreateCmd(), a.whUpdateCmd(), a.whDeleteCmd(), a.whEnsureCmd(), a.whListenCmd())
	return cmd
}

// masked returns the webhook with its secret hidden: secrets never reach the screen in full.
func masked(w api.Webhook) api.Webhook {
	w.Secret = config.Mask(w.Secret)
	return w
}

func (a *app) whListCmd() *cobra.Command {
	var asJSON bool
	var ownedBy string
	cmd := &cobra.Command{
		Use: "list [--owned-by org]", Short: "List every webhook (all pages)", Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := validateOwnedBy(ownedBy); err != nil {
				return err
			}
			c, err := a.callerClient()
			if err != nil {
				return err
			}
			items, err := c.ListWebhooksOwnedBy(cmd.Context(), ownedBy)
			if err != nil {
				return err
			}
			for i := range items {
				items[i] = masked(items[i])
			}
			if asJSON {
				return printJSONList(a.stdout, items)
			}
			t := a.table("ID", "NAME", "RESOURCE", "EVENT", "TARGET URL", "STATUS", "CREATED")
			for _, w := range items {
				t.row(w.ID, orDash(w.Name), orDash(w.Resource), orDash(w.Event), orDash(w.TargetURL), orDash(w.Status), orDash(w.Created))
			}
			return t.flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print every webhook as one JSON array (secrets masked)")
	cmd.Flags().StringVar(&ownedBy, "owned-by", "", "org: every webhook of the org, not only the caller's (needs an admin token)")
	return cmd
}

// validateOwnedBy accepts the one value Webex documents for ownedBy.
func validateOwnedBy(v string) error {
	if v != "" && v != api.OwnedByOrg {
		return usagef("--owned-by %q: the only value Webex takes is org", v)
	}
	return nil
}

func (a *app) whGetCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use: "get ID", Short: "Show one webhook", Args: exactArgs(1, "a webhook ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkIDs("webhook", args...); err != nil {
				return err
			}
			c, err := a.callerClient()
			if err != nil {
				return err
			}
			w, err := c.GetWebhook(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return a.printWebhook(masked(*w), asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the webhook as JSON (secret masked)")
	return cmd
}

func (a *app) printWebhook(w api.Webhook, asJSON bool) error {
	if asJSON {
		return printJSON(a.stdout, w)
	}
	t := a.table("FIELD", "VALUE")
	for _, r := range [][2]string{{"id", w.ID}, {"name", w.Name}, {"resource", w.Resource}, {"event", w.Event},
		{"filter", w.Filter}, {"targetUrl", w.TargetURL}, {"secret", w.Secret}, {"status", w.Status},
		{"ownedBy", w.OwnedBy}, {"created", w.Created}, {"orgId", w.OrgID}, {"createdBy", w.CreatedBy}, {"appId", w.AppID}} {
		t.row(r[0], orDash(r[1]))
	}
	return t.flush()
}

func validateTargetURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Scheme != "https" {
		return usagef("--target-url %q must be an https:// address Webex can reach", s)
	}
	return nil
}

func (a *app) callerClient() (*api.Client, error) {
	s, err := a.session()
	if err != nil {
		return nil, err
	}
	return s.Caller()
}

func (a *app) whCreateCmd() *cobra.Command {
	var in api.WebhookCreate
	var asJSON bool
	var sec secretFlags
	cmd := &cobra.Command{
		Use:   "create --name N --target-url U --resource R --event E [--filter F] [--owned-by org] [--secret-file F]",
		Short: "Create a webhook",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var missing []string
			for _, p := range [][2]string{{"--name", in.Name}, {"--target-url", in.TargetURL}, {"--resource", in.Resource}, {"--event", in.Event}} {
				if strings.TrimSpace(p[1]) == "" {
					missing = append(missing, p[0])
				}
			}
			if len(missing) > 0 {
				return usagef("webhooks create needs %s", strings.Join(missing, ", "))
			}
			if err := firstErr(validateTargetURL(in.TargetURL), validateOwnedBy(in.OwnedBy)); err != nil {
				return err
			}
			secret, from, err := sec.resolve(a, cmd)
			if err != nil {
				return err
			}
			a.noteSecretFlag(from)
			in.Secret = secret
			if secret == "" {
				a.noteUnsigned()
			}
			if err := a.guardWrite("create a webhook"); err != nil {
				return err
			}
			c, err := a.callerClient()
			if err != nil {
				return err
			}
			w, _, err := a.webhookWriter(c).Create(cmd.Context(), in)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, masked(*w))
			}
			fmt.Fprintf(a.stdout, a.glyphs("Created webhook %s (%s %s → %s).\n"), safetext.Line(w.ID), safetext.Line(w.Resource), safetext.Line(w.Event), safetext.Line(w.TargetURL))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&in.Name, "name", "", "webhook name")
	fl.StringVar(&in.TargetURL, "target-url", "", "https URL that receives the events")
	fl.StringVar(&in.Resource, "resource", "", "resource, e.g. serviceApp or dataSources")
	fl.StringVar(&in.Event, "event", "", "event, e.g. authorized, deauthorized, created, updated")
	fl.StringVar(&in.Filter, "filter", "", "filter, key=value")
	fl.StringVar(&in.OwnedBy, "owned-by", "", "org: an org-level webhook (admin token; Webex supports it for some resources)")
	sec.add(cmd, "secret Webex signs deliveries with (X-Spark-Signature)")
	fl.BoolVar(&asJSON, "json", false, "print the webhook as JSON (secret masked)")
	return cmd
}

func (a *app) whUpdateCmd() *cobra.Command {
	var name, target, status string
	var asJSON bool
	var sec secretFlags
	cmd := &cobra.Command{
		Use:   "update ID [--name N] [--target-url U] [--secret-file F] [--status active]",
		Short: "Rename a webhook, move its target, change its secret or re-activate it",
		Args:  exactArgs(1, "a webhook ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			fl := cmd.Flags()
			if !fl.Changed("name") && !fl.Changed("target-url") && !sec.given(a, cmd) && !fl.Changed("status") {
				return usagef("webhooks update: nothing to change; give --name, --target-url, --secret-file (or $%s) or --status active", envWebhookSecret)
			}
			secret, from, err := sec.resolve(a, cmd)
			if err != nil {
				return err
			}
			a.noteSecretFlag(from)
			if secret != "" && from == "$"+envWebhookSecret {
				fmt.Fprintf(a.stderr, "byova: the webhook's secret is set from $%s\n", envWebhookSecret)
			}
			if fl.Changed("target-url") {
				if err := validateTargetURL(target); err != nil {
					return err
				}
			}
			if fl.Changed("status") && status != "active" {
				return usagef("--status can only be active (Webex re-activates a disabled webhook; it cannot deactivate one)")
			}
			if fl.Changed("name") && strings.TrimSpace(name) == "" {
				return usagef("--name cannot be empty")
			}
			if err := firstErr(a.guardWrite("update a webhook"), checkIDs("webhook", args...)); err != nil {
				return err
			}
			c, err := a.callerClient()
			if err != nil {
				return err
			}
			cur, err := c.GetWebhook(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			up := api.WebhookUpdate{Name: cur.Name, TargetURL: cur.TargetURL, Status: status}
			if fl.Changed("name") {
				up.Name = name
			}
			if fl.Changed("target-url") {
				up.TargetURL = target
			}
			up.Secret = secret
			w, _, err := a.webhookWriter(c).Update(cmd.Context(), cur.ID, up)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(a.stdout, masked(*w))
			}
			fmt.Fprintf(a.stdout, "Updated webhook %s (%s, %s).\n", safetext.Line(w.ID), safetext.Line(w.Name), safetext.Line(orDash(w.Status)))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&name, "name", "", "new name")
	fl.StringVar(&target, "target-url", "", "new https target URL")
	sec.add(cmd, "new secret")
	fl.StringVar(&status, "status", "", "active: re-activate a webhook Webex disabled")
	fl.BoolVar(&asJSON, "json", false, "print the webhook as JSON (secret masked)")
	return cmd
}

func (a *app) whDeleteCmd() *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use: "delete ID [--yes]", Short: "Delete a webhook (asks first unless --yes)", Args: exactArgs(1, "a webhook ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := firstErr(a.guardWrite("delete a webhook"), checkIDs("webhook", args...)); err != nil {
				return err
			}
			if !yes {
				ok, err := a.confirm(fmt.Sprintf("Delete webhook %s?", args[0]))
				if err != nil {
					return err
				}
				if !ok {
					fmt.Fprintln(a.stderr, "Not deleted.")
					return nil
				}
			}
			c, err := a.callerClient()
			if err != nil {
				return err
			}
			_, err = a.webhookWriter(c).Delete(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Deleted webhook %s.\n", args[0])
			return nil
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

func (a *app) whEnsureCmd() *cobra.Command {
	var target string
	var asJSON, rotate bool
	var sec secretFlags
	cmd := &cobra.Command{
		Use:   "ensure --target-url U [--secret-file F] [--rotate-secret]",
		Short: "Make sure the serviceApp authorized and deauthorized webhooks exist for a target, with one secret (idempotent)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if target == "" {
				return usagef("webhooks ensure needs --target-url")
			}
			if err := validateTargetURL(target); err != nil {
				return err
			}
			secret, from, err := sec.resolve(a, cmd)
			if err != nil {
				return err
			}
			a.noteSecretFlag(from)
			if rotate && secret == "" {
				return usagef("--rotate-secret needs the secret to set: give --secret-file F (or $%s)", envWebhookSecret)
			}
			if err := a.guardWrite("create webhooks"); err != nil {
				return err
			}
			c, err := a.callerClient()
			if err != nil {
				return err
			}
			res, asked, err := a.ensureWebhooks(cmd.Context(), c, target, api.EnsureOptions{Secret: secret, RotateSecret: rotate})
			if asked {
				return err // no answer, or no: nothing was sent
			}
			aw := a.webhookWriter(c)
			aw.Ensured(res)
			aw.EnsureFailed(err) // fleet leaves out a refusal made before any write
			var mis *api.SecretMismatchError
			if errors.As(err, &mis) {
				return usagef("%v", err) // decided before any write: nothing was sent
			}
			if err != nil {
				return err
			}
			switch {
			case res.Unsigned:
				a.noteUnsigned()
			case res.ReusedFrom != nil:
				fmt.Fprintf(a.stderr, "byova: both webhooks sign with one secret: the existing %s webhook's (%s), reused as no secret was given\n", safetext.Line(res.ReusedFrom.Event), config.Mask(res.ReusedFrom.Secret))
			case len(res.Rotated) > 0:
				fmt.Fprintln(a.stderr, "byova: both webhooks sign with one secret: the one given, now set on the existing one too")
			}
			return a.printEnsured(res, asJSON)
		},
	}
	cmd.Flags().StringVar(&target, "target-url", "", "https URL that receives the serviceApp events")
	sec.add(cmd, "secret for both webhooks (deliveries are signed with it; default: the existing webhook's)")
	cmd.Flags().BoolVar(&rotate, "rotate-secret", false, "set the given secret on an existing webhook of the pair that has another one")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print what existed and what was created as JSON")
	return cmd
}

// ensureWebhooks ensures the pair. When an existing webhook signs with another secret and
// that may be changed, it asks first (a listener checks one secret: whatever checks the old
// one will refuse the next delivery) and, on yes, ensures again setting the given secret.
// stopped says the question was not answered yes: err is what to exit with, nothing was sent.
func (a *app) ensureWebhooks(ctx context.Context, c *api.Client, target string, opt api.EnsureOptions) (res *api.EnsureResult, stopped bool, err error) {
	res, err = c.EnsureServiceAppWebhooksWith(ctx, target, opt)
	var mis *api.SecretMismatchError
	if !errors.As(err, &mis) || !mis.Rotatable {
		return res, false, err
	}
	ids := make([]string, 0, len(mis.Differ))
	for _, w := range mis.Differ {
		ids = append(ids, safetext.Line(w.Event)+" "+safetext.Line(w.ID))
	}
	q := fmt.Sprintf("The existing %s webhook signs with another secret. Set it to the one you gave, so both webhooks share one?", strings.Join(ids, ", "))
	ok, cerr := a.confirm(q)
	if cerr != nil {
		return nil, true, usagef("%v: give --rotate-secret to set the given secret on it too (nothing was sent)", mis)
	}
	if !ok {
		fmt.Fprintln(a.stderr, "Nothing changed: give the existing webhook's secret, or --rotate-secret.")
		return nil, true, nil
	}
	opt.RotateSecret = true
	res, err = c.EnsureServiceAppWebhooksWith(ctx, target, opt)
	return res, false, err
}

// printEnsured says what ensure found and did: a table, or --json by outcome.
func (a *app) printEnsured(res *api.EnsureResult, asJSON bool) error {
	if asJSON {
		out := map[string][]api.Webhook{"existing": {}, "reactivated": {}, "created": {}, "rotated": {}}
		for k, ws := range map[string][]api.Webhook{"existing": res.Existing, "reactivated": res.Reactivated, "created": res.Created, "rotated": res.Rotated} {
			for _, w := range ws {
				out[k] = append(out[k], masked(w))
			}
		}
		return printJSON(a.stdout, out)
	}
	t := a.table("EVENT", "ID", "RESULT")
	for _, g := range []struct {
		word string
		ws   []api.Webhook
	}{{"already there", res.Existing}, {"secret set", res.Rotated}, {"re-activated", res.Reactivated}, {"created", res.Created}} {
		for _, w := range g.ws {
			t.row(w.Event, w.ID, g.word)
		}
	}
	return t.flush()
}

// webhookWriter is fleet's audited webhook writes with the caller's client c.
func (a *app) webhookWriter(c *api.Client) fleet.Webhooks {
	return fleet.Webhooks{Client: c, Audit: a.auditor(), AuditFailed: a.auditFailed}
}
