package webhooks

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/dialog"
	"github.com/byova/byova/ui/styles"
)

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// openEnsure opens the ensure form, prefilled with the target of the serviceApp webhook under
// the cursor, else of the first serviceApp webhook: ensuring is usually "make that receiver
// whole again".
func (s *Screen) openEnsure() tea.Cmd {
	target := ""
	if wh := s.target(); wh != nil && wh.Resource == api.ResourceServiceApp {
		target = wh.TargetURL
	}
	if target == "" {
		for _, wh := range s.items {
			if wh.Resource == api.ResourceServiceApp && wh.TargetURL != "" {
				target = wh.TargetURL
				break
			}
		}
	}
	return s.openForm(&whForm{s: s, kind: formEnsure, v: &formValues{target: target, secretMode: secretGenerate}})
}

// planEnsure is ensure's own plan (api.PlanEnsure) for the form's secret choice, judged from
// the list on screen (ensure lists again before it writes, so its answer is what counts), and
// the options ensure is sent with. Generate keeps the pair's shared secret when it has one,
// else a new one goes on every webhook of the pair; type my own goes on every one; none keeps
// the shared one, if any.
func planEnsure(items []api.Webhook, target string, v *formValues) (*api.EnsurePlan, api.EnsureOptions, error) {
	var opt api.EnsureOptions
	switch v.secretMode {
	case secretType:
		opt = api.EnsureOptions{Secret: v.secret, RotateSecret: true}
	case secretGenerate:
		if p, err := api.PlanEnsure(items, target, opt); err == nil && p.Secret != "" {
			return p, opt, nil
		}
		opt = api.EnsureOptions{Fresh: true, RotateSecret: true}
	}
	p, err := api.PlanEnsure(items, target, opt)
	return p, opt, err
}

// ensureStepText is a confirmation row's words for what ensure does to one event's webhook.
var ensureStepText = [...]string{
	api.EnsureCreate:     "missing: will be created",
	api.EnsureKeep:       "exists and is active: left as it is",
	api.EnsureReactivate: "exists, inactive: will be re-activated",
	api.EnsureRotate:     "exists: its secret will be set to the pair's",
}

func (s *Screen) confirmEnsure(f *whForm) *dialog.Confirm {
	v := f.v
	target := strings.TrimSpace(v.target)
	p, opt, err := planEnsure(s.items, target, v)
	var rows [][2]string
	for k, ev := range api.EnsureEvents {
		rows = append(rows, [2]string{ev, ensureStepText[p.Step[k]]})
	}
	rows = append(rows, [2]string{"targetUrl", target})
	switch {
	case p.Writes() == 0:
		rows = append(rows, [2]string{"secret", "not used: nothing to write"})
	case err != nil:
		rows = append(rows, [2]string{"secret", "the two webhooks have different secrets: choose generate or type my own"})
	case p.ReusedFrom != nil:
		rows = append(rows, [2]string{"secret", "the " + safetext.Line(p.ReusedFrom.Event) + " webhook's (" + config.Mask(p.ReusedFrom.Secret) + "), reused"})
	default:
		rows = append(rows, [2]string{"secret", secretRow(v, "after ensuring")})
	}
	note := "byova lists your webhooks again first, so this also fixes what changed since the list was loaded. " +
		"Both webhooks end with one secret, the one your receiver checks."
	return &dialog.Confirm{
		Title: "Ensure the serviceApp webhooks for this target?", Action: "ensure", Rows: rows, Note: note,
		OnConfirm: func() tea.Cmd {
			generated := opt.Fresh
			if generated {
				opt.Secret, opt.Fresh = s.NewSecret(), false // drawn now, not when the form opened
			}
			cmd := s.ensureCmd(target, opt, generated)
			f.pending = s.lastWrite
			return cmd
		},
	}
}

// onEnsured reports what ensure found and did: what existed, what was re-activated, what was
// created, and the secret when byova generated one that is now in use.
func (s *Screen) onEnsured(r common.Reply[ensuredMsg]) tea.Cmd {
	msg := r.Payload
	if s.c.Judge(r) == common.Previous {
		if r.Err != nil {
			return common.Error(opTitle(opEnsure)+" ("+previous+")", r.Err)
		}
		return common.Notice("ensured the serviceApp webhooks for the " + previous)
	}
	formPending := s.form != nil && s.form.pending == r.ID
	res := msg.res
	if res == nil || len(res.Created)+len(res.Reactivated)+len(res.Existing)+len(res.Rotated) == 0 {
		if r.Err == nil {
			r.Err = errEmptyEnsure
		}
		if formPending && s.mode != modeForm && s.mode != modeConfirm {
			s.form.pending = 0
			s.mode = modeForm
			return tea.Batch(s.form.reopen(), failed(opEnsure, r.Err))
		}
		return failed(opEnsure, r.Err)
	}
	if formPending {
		s.form = nil
	}
	for _, group := range [][]api.Webhook{res.Existing, res.Rotated, res.Reactivated, res.Created} {
		for i := range group {
			s.upsert(&group[i])
		}
	}
	summary := ensureSummary(res)
	lines := append([]string{capitalize(summary) + "."}, secretLines(res)...)
	title := "The serviceApp webhooks are in place"
	if len(res.Created)+len(res.Reactivated)+len(res.Rotated) == 0 && r.Err == nil {
		title = "Nothing to do: both serviceApp webhooks exist and are active"
	}
	var cmd tea.Cmd
	if r.Err != nil {
		title = "Ensure stopped part way"
		head, _ := common.Describe(s.c.Keys, r.Err)
		lines = append(lines, s.c.Styles.Error.Render(styles.GlyphError+" ")+head+" Press "+s.c.Keys.Ensure.Help().Key+" to try again.")
		cmd = failed(opEnsure, r.Err)
	}
	if msg.reveal != "" {
		lines = append(lines, revealedTo(res)+" with this secret:")
	}
	s.result = &resultDialog{title: title, rows: ensuredRows(res, msg.target), lines: lines, secret: msg.reveal}
	s.mode = modeResult
	return tea.Batch(cmd, common.Notice("ensure: "+summary))
}

// ensuredRows are the result's rows: for each event what ensure found and did and the
// webhook's name, then the target.
func ensuredRows(res *api.EnsureResult, target string) [][2]string {
	var rows [][2]string
	for _, ev := range api.EnsureEvents {
		done := ""
		for _, g := range []struct {
			label string
			ws    []api.Webhook
		}{{"existed", res.Existing}, {"secret set", res.Rotated}, {"re-activated", res.Reactivated}, {"created", res.Created}} {
			for i := range g.ws {
				if g.ws[i].Event == ev && done == "" {
					done = g.label + " · " + nameOf(&g.ws[i])
				}
			}
		}
		if done == "" {
			done = styles.GlyphError + " not done"
		}
		rows = append(rows, [2]string{ev, done})
	}
	return append(rows, [2]string{"target", target})
}

// ensureSummary counts what ensure did ("1 existed, 0 re-activated, 1 created").
func ensureSummary(res *api.EnsureResult) string {
	summary := plural(len(res.Existing), "existed", "existed") + ", " + plural(len(res.Reactivated), "re-activated", "re-activated") +
		", " + plural(len(res.Created), "created", "created")
	if len(res.Rotated) > 0 {
		summary += ", " + plural(len(res.Rotated), "secret set", "secrets set")
	}
	return summary
}

// secretLines say which secret the pair signs with now.
func secretLines(res *api.EnsureResult) []string {
	switch {
	case res.Unsigned && len(res.Created)+len(res.Reactivated) > 0:
		return []string{"Both webhooks are unsigned: a receiver that checks X-Spark-Signature refuses their deliveries."}
	case res.ReusedFrom != nil:
		return []string{"Both webhooks sign with one secret: the " + safetext.Line(res.ReusedFrom.Event) + " webhook's (" + config.Mask(res.ReusedFrom.Secret) + "), reused."}
	case len(res.Rotated) > 0:
		return []string{"Both webhooks sign with one secret: the existing one's was set to it."}
	}
	return nil
}

// revealedTo names the webhooks that sign with the secret byova generated and shows once.
func revealedTo(res *api.EnsureResult) string {
	switch n := len(res.Created) + len(res.Reactivated); {
	case len(res.Rotated) > 0:
		return "Both webhooks sign"
	case len(res.Reactivated) == 0 && n == 1:
		return "The created webhook signs"
	case len(res.Reactivated) == 0:
		return "The created webhooks sign"
	case len(res.Created) == 0 && n == 1:
		return "The re-activated webhook signs"
	case len(res.Created) == 0:
		return "The re-activated webhooks sign"
	}
	return "The re-activated and created webhooks sign"
}

// ensuredMsg is the answer to an ensure: what existed, what was re-activated, what was
// created (partial when err is set), and the secret when byova generated it.
type ensuredMsg struct {
	target string
	res    *api.EnsureResult
	reveal string
}

// ensureCmd runs the idempotent ensure. Each webhook it creates or re-activates is audited as
// the create or update it is; a failure is audited as the ensure.
func (s *Screen) ensureCmd(target string, opt api.EnsureOptions, generated bool) tea.Cmd {
	req := s.c.Request(Owner, common.KindWrite, "ensuring serviceApp webhooks", writeTimeout)
	s.lastWrite = req.ID
	msg := ensuredMsg{target: target}
	return func() tea.Msg {
		defer req.Cancel()
		_, err := req.WithCaller(func(ctx context.Context, cl *api.Client) (err error) {
			msg.res, err = cl.EnsureServiceAppWebhooksWith(ctx, target, opt)
			return err
		})
		aw := req.Webhooks(nil) // the ensure sent its writes itself: audit only
		aw.Ensured(msg.res)
		if msg.res != nil {
			if generated && len(msg.res.Created)+len(msg.res.Reactivated)+len(msg.res.Rotated) > 0 {
				msg.reveal = opt.Secret
			}
		}
		if err != nil {
			aw.EnsureFailed(err)
		}
		return common.ReplyTo(req, msg, err)
	}
}
