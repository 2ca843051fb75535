package webhooks

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/tui/common"
	"github.com/byova/byova/tui/dialog"
	"github.com/byova/byova/tui/styles"
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

// ensureStep is what ensure will do for one event, judged from the list on screen (ensure
// lists again before it writes, so the answer is what counts).
type ensureStep int

const (
	stepCreate ensureStep = iota
	stepExists
	stepReactivate
)

// plan mirrors api.EnsureServiceAppWebhooks's matching: same resource, event and target URL;
// an active match wins over an inactive one.
func plan(items []api.Webhook, target, event string) (ensureStep, *api.Webhook) {
	var match *api.Webhook
	for i := range items {
		w := &items[i]
		if w.Resource == api.ResourceServiceApp && w.Event == event && w.TargetURL == target {
			if match == nil || (statusOf(match) != "active" && statusOf(w) == "active") {
				match = w
			}
		}
	}
	switch {
	case match == nil:
		return stepCreate, nil
	case statusOf(match) == "active":
		return stepExists, match
	}
	return stepReactivate, match
}

func (s *Screen) confirmEnsure(f *whForm) *dialog.Confirm {
	v := f.v
	target := strings.TrimSpace(v.target)
	var rows [][2]string
	writes := 0
	for _, ev := range []string{api.EventAuthorized, api.EventDeauthorized} {
		step, _ := plan(s.items, target, ev)
		text := "missing: will be created"
		switch step {
		case stepExists:
			text = "exists and is active: left as it is"
		case stepReactivate:
			text = "exists, inactive: will be re-activated"
		}
		if step != stepExists {
			writes++
		}
		rows = append(rows, [2]string{ev, text})
	}
	rows = append(rows, [2]string{"targetUrl", target})
	if writes > 0 {
		rows = append(rows, [2]string{"secret", secretRow(v, "after ensuring")})
	} else {
		rows = append(rows, [2]string{"secret", "not used: nothing to write"})
	}
	note := "byova lists your webhooks again first, so this also fixes what changed since the list was loaded. " +
		"Existing webhooks keep their secret."
	return &dialog.Confirm{
		Title: "Ensure the serviceApp webhooks for this target?", Action: "ensure", Rows: rows, Note: note,
		OnConfirm: func() tea.Cmd {
			secret, generated := s.secretPlan(v)
			cmd := s.ensureCmd(target, secret, generated)
			f.pending = s.lastWrite
			return cmd
		},
	}
}

// onEnsured reports what ensure found and did: what existed, what was re-activated, what was
// created, and the secret when byova generated one that is now in use.
func (s *Screen) onEnsured(r common.Reply, msg ensuredMsg) tea.Cmd {
	if r.Stale(s.c) {
		if r.Err != nil {
			return common.Error(opTitle(opEnsure)+" (previous org or profile)", r.Err)
		}
		return common.Notice("ensured the serviceApp webhooks for the previous org or profile")
	}
	formPending := s.form != nil && s.form.pending == r.ID
	res := msg.res
	if res == nil || len(res.Created)+len(res.Reactivated)+len(res.Existing) == 0 {
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
	for _, group := range [][]api.Webhook{res.Existing, res.Reactivated, res.Created} {
		for i := range group {
			s.upsert(&group[i])
		}
	}
	// One row per event: what ensure found and did, and the webhook's name.
	var rows [][2]string
	for _, ev := range []string{api.EventAuthorized, api.EventDeauthorized} {
		done := ""
		for _, g := range []struct {
			label string
			ws    []api.Webhook
		}{{"existed", res.Existing}, {"re-activated", res.Reactivated}, {"created", res.Created}} {
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
	rows = append(rows, [2]string{"target", msg.target})
	summary := plural(len(res.Existing), "existed", "existed") + ", " + plural(len(res.Reactivated), "re-activated", "re-activated") +
		", " + plural(len(res.Created), "created", "created")
	lines := []string{capitalize(summary) + "."}
	title := "The serviceApp webhooks are in place"
	if len(res.Created)+len(res.Reactivated) == 0 && r.Err == nil {
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
		which := "The re-activated and created webhooks sign"
		switch n := len(res.Created) + len(res.Reactivated); {
		case len(res.Reactivated) == 0 && n == 1:
			which = "The created webhook signs"
		case len(res.Reactivated) == 0:
			which = "The created webhooks sign"
		case len(res.Created) == 0 && n == 1:
			which = "The re-activated webhook signs"
		case len(res.Created) == 0:
			which = "The re-activated webhooks sign"
		}
		lines = append(lines, which+" with this secret:")
	}
	s.result = &resultDialog{title: title, rows: rows, lines: lines, secret: msg.reveal}
	s.mode = modeResult
	return tea.Batch(cmd, common.Notice("ensure: "+summary))
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
func (s *Screen) ensureCmd(target, secret string, generated bool) tea.Cmd {
	req := s.c.Request("ensuring serviceApp webhooks", writeTimeout)
	s.lastWrite = req.ID
	msg := ensuredMsg{target: target}
	return func() tea.Msg {
		defer req.Cancel()
		_, err := req.WithCaller(func(ctx context.Context, cl *api.Client) (err error) {
			msg.res, err = cl.EnsureServiceAppWebhooks(ctx, target, secret)
			return err
		})
		if msg.res != nil {
			for _, w := range msg.res.Created {
				req.Audit(auditOrg, opCreate, w.ID, nil)
			}
			for _, w := range msg.res.Reactivated {
				req.Audit(auditOrg, opUpdate, w.ID, nil)
			}
			if generated && len(msg.res.Created)+len(msg.res.Reactivated) > 0 {
				msg.reveal = secret
			}
		}
		if err != nil {
			req.Audit(auditOrg, opEnsure, "", err)
		}
		return req.Reply(msg, err)
	}
}
