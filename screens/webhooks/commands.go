package webhooks

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/tui/common"
)

// Timeouts for one user action; the api client retries inside them.
const (
	loadTimeout  = 60 * time.Second
	writeTimeout = 30 * time.Second
)

// Audit operation names: the same the CLI writes, so the log reads the same either way.
const (
	opCreate = "webhooks.create"
	opUpdate = "webhooks.update"
	opDelete = "webhooks.delete"
	opEnsure = "webhooks.ensure"
)

// auditOrg is the org written in the audit log for webhook writes. Webhooks belong to the
// caller (the developer's token), not to the customer org the other screens work in; the CLI
// writes an empty org for them too.
const auditOrg = ""

// loadedMsg is the answer to a load: every webhook of every page.
type loadedMsg struct {
	items []api.Webhook
	held  bool // a caller token is held (stored or in the environment): a sign-in error is Webex refusing it
}

// fetchedMsg is the answer to GET /webhooks/{id} for the detail view.
type fetchedMsg struct {
	whID string
	wh   *api.Webhook
}

// writtenMsg is the answer to a create or an update.
type writtenMsg struct {
	op     string
	whID   string
	wh     *api.Webhook
	reveal string // a secret byova generated for this write: shown once, then forgotten
}

// deletedMsg is the answer to a delete.
type deletedMsg struct {
	whID, name string
}

// ensuredMsg is the answer to an ensure: what existed, what was re-activated, what was
// created (partial when err is set), and the secret when byova generated it.
type ensuredMsg struct {
	target string
	res    *api.EnsureResult
	reveal string
}

func (s *Screen) load() tea.Cmd {
	if s.loadCancel != nil {
		s.loadCancel()
	}
	req := s.c.Request("loading webhooks", loadTimeout)
	s.loadID = req.ID
	s.loadCancel = req.Cancel
	return func() tea.Msg {
		defer req.Cancel()
		msg := loadedMsg{}
		_, err := req.WithCaller(func(ctx context.Context, cl *api.Client) (err error) {
			msg.items, err = cl.ListWebhooks(ctx)
			return err
		})
		if errors.Is(err, api.ErrNotSignedIn) && req.Session != nil {
			src, serr := req.Session.CallerSource()
			msg.held = serr == nil && src != nil
		}
		return req.Reply(msg, err)
	}
}

func (s *Screen) fetchCmd(whID string) tea.Cmd {
	req := s.c.Request("loading webhook details", loadTimeout)
	s.fetchID = req.ID
	msg := fetchedMsg{whID: whID}
	return func() tea.Msg {
		defer req.Cancel()
		_, err := req.WithCaller(func(ctx context.Context, cl *api.Client) (err error) {
			msg.wh, err = cl.GetWebhook(ctx, whID)
			return err
		})
		return req.Reply(msg, err)
	}
}

func (s *Screen) onFetched(r common.Reply, msg fetchedMsg) tea.Cmd {
	if r.ID != s.fetchID || r.Stale(s.c) {
		return nil // the person opened another one since, or switched org
	}
	if r.Err != nil {
		switch {
		case errors.Is(r.Err, context.Canceled):
			return nil
		case errors.Is(r.Err, api.ErrNotFound):
			s.remove(msg.whID)
			return common.Notice("webhook " + msg.whID + " no longer exists")
		}
		return common.Error("loading the details of webhook "+msg.whID, r.Err)
	}
	if msg.wh != nil {
		s.upsert(msg.wh)
	}
	return nil
}

// write sends one create or update and audits it.
func (s *Screen) write(op, what, whID, reveal string, fn func(ctx context.Context, cl *api.Client) (*api.Webhook, error)) tea.Cmd {
	req := s.c.Request(what, writeTimeout)
	s.lastWrite = req.ID
	msg := writtenMsg{op: op, whID: whID}
	return func() tea.Msg {
		defer req.Cancel()
		tid, err := req.WithCaller(func(ctx context.Context, cl *api.Client) (err error) {
			msg.wh, err = fn(ctx, cl)
			return err
		})
		auditID := whID
		if msg.wh != nil && msg.wh.ID != "" {
			auditID = msg.wh.ID
		}
		req.AuditTracked(auditOrg, op, auditID, tid, err)
		if err == nil {
			msg.reveal = reveal
		}
		return req.Reply(msg, err)
	}
}

func (s *Screen) createCmd(in api.WebhookCreate, reveal string) tea.Cmd {
	return s.write(opCreate, "creating webhook", "", reveal, func(ctx context.Context, cl *api.Client) (*api.Webhook, error) {
		return cl.CreateWebhook(ctx, in)
	})
}

func (s *Screen) updateCmd(whID string, in api.WebhookUpdate, reveal string) tea.Cmd {
	return s.write(opUpdate, "updating webhook", whID, reveal, func(ctx context.Context, cl *api.Client) (*api.Webhook, error) {
		return cl.UpdateWebhook(ctx, whID, in)
	})
}

func (s *Screen) deleteCmd(whID, name string) tea.Cmd {
	req := s.c.Request("deleting webhook", writeTimeout)
	s.lastWrite = req.ID
	msg := deletedMsg{whID: whID, name: name}
	return func() tea.Msg {
		defer req.Cancel()
		tid, err := req.WithCaller(func(ctx context.Context, cl *api.Client) error { return cl.DeleteWebhook(ctx, whID) })
		req.AuditTracked(auditOrg, opDelete, whID, tid, err)
		return req.Reply(msg, err)
	}
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

// failed is the banner for a write Webex refused. A 403 on a write almost always means the
// token can read webhooks but not change them, so the banner names the scope to add.
func failed(op string, err error) tea.Cmd {
	what := opTitle(op)
	if errors.Is(err, api.ErrForbidden) {
		what += " (the token needs " + scopeWrite + ")"
	}
	return common.Error(what, err)
}

func opTitle(op string) string {
	switch op {
	case opCreate:
		return "creating the webhook"
	case opDelete:
		return "deleting the webhook"
	case opEnsure:
		return "ensuring the serviceApp webhooks"
	}
	return "updating the webhook"
}
