package datasources

// The writes (register, edit, extend, delete): what each asks before it sends, the request it
// sends, and what its answer changes. The forms that feed create and update are in form.go, the
// bulk extend in bulk.go.

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/tui/common"
	"github.com/byova/byova/tui/detailview"
	"github.com/byova/byova/tui/dialog"
	"github.com/byova/byova/tui/format"
)

// writeTimeout bounds one write; the api client retries inside it.
const writeTimeout = 30 * time.Second

// closeConfirm takes the answered dialog away (dialog.Confirm's Key and Clicked call it).
func (s *Screen) closeConfirm() { s.confirm, s.mode = nil, s.back() }

// target is the data source an action applies to: the one in the detail view, else the
// selected row.
func (s *Screen) target() *api.DataSource {
	if s.mode == modeDetail && s.detail != nil {
		return s.detail.ds
	}
	return s.Selected()
}

func name(ds *api.DataSource) string {
	parts := []string{}
	if ds.Audience != "" {
		parts = append(parts, ds.Audience)
	}
	if ds.Subject != "" {
		parts = append(parts, ds.Subject)
	}
	if len(parts) == 0 {
		return safetext.Line(ds.ID)
	}
	return safetext.Line(strings.Join(parts, " / ")) // for titles and notices: Webex's text, made safe
}

// lifetimeFor keeps the data source's lifetime when Webex told it, else the maximum.
func lifetimeFor(ds *api.DataSource) int {
	if api.ValidateLifetime(ds.TokenLifetimeMinutes) == nil {
		return ds.TokenLifetimeMinutes
	}
	return api.MaxLifetimeMinutes
}

func (s *Screen) expiryLine(t time.Time, lifetime time.Duration) string {
	if t.IsZero() {
		return "unknown"
	}
	state, left := classify(t.Unix(), lifetime, s.warnWindow(), s.c.Now())
	if state == expiryOK {
		return detailview.TimeText(t) + "  (in " + format.Remaining(left) + ")"
	}
	return detailview.TimeText(t) + "  (" + strings.TrimSpace(expiryText(state, left)) + ")"
}

// startExtend shows what extending changes: the expiry, and a new nonce; nothing else.
func (s *Screen) startExtend(ds *api.DataSource) tea.Cmd {
	lifetime := lifetimeFor(ds)
	plan, err := api.ExtendPlan(ds, lifetime)
	if err != nil {
		return common.Error("extending the token", err)
	}
	plan.Nonce = s.c.NewNonce()
	newExp := s.c.Now().Add(time.Duration(lifetime) * time.Minute)
	id, nonce := ds.ID, plan.Nonce
	s.confirm = &dialog.Confirm{
		Title:  "Extend the token of " + name(ds) + "?",
		Action: "extend",
		Rows: [][2]string{
			{"id", ds.ID},
			{"expires now", s.expiryLine(ds.Expiry(), lifetimeOf(ds))},
			{"after extending", detailview.TimeText(newExp) + "  (in " + format.Remaining(newExp.Sub(s.c.Now())) + ")"},
			{"lifetime", strconv.Itoa(lifetime) + " min"},
			{"new nonce", config.Mask(nonce)},
		},
		Note:      "Audience, subject, schema, url and status stay as they are; Webex issues a new token.",
		OnConfirm: func() tea.Cmd { return s.extendCmd(id, nonce, lifetime) },
	}
	s.mode = modeConfirm
	return nil
}

// startDelete asks before deleting; only y deletes.
func (s *Screen) startDelete(ds *api.DataSource) tea.Cmd {
	id := ds.ID
	r := newRow(ds, s.schemas)
	s.confirm = &dialog.Confirm{
		Title:       "Delete the data source " + name(ds) + "?",
		Action:      "delete",
		Destructive: true,
		Rows: [][2]string{
			{"id", ds.ID},
			{"status", r.statusText()},
			{"url", ds.URL},
			{"schema", r.schema},
		},
		Note:      "Webex stops sending data to this URL. This cannot be undone.",
		OnConfirm: func() tea.Cmd { return s.deleteCmd(id) },
	}
	s.mode = modeConfirm
	return nil
}

// Audit operation names for the writes this screen sends.
const (
	opCreate = "datasources.create"
	opUpdate = "datasources.update"
	opExtend = "datasources.extend"
	opDelete = "datasources.delete"
)

// writtenMsg is the answer to a create, update or extend.
type writtenMsg struct {
	op   string
	dsID string
	ds   *api.DataSource // the object Webex returned
}

// deletedMsg is the answer to a delete.
type deletedMsg struct {
	dsID string
}

// write sends one create/update/extend and audits it. fn gets the org client.
func (s *Screen) write(op, what, dsID string, fn func(ctx context.Context, cl *api.Client) (*api.DataSource, error)) tea.Cmd {
	req := s.c.Request(what, writeTimeout)
	s.lastWrite = req.ID
	msg := writtenMsg{op: op, dsID: dsID}
	return func() tea.Msg {
		defer req.Cancel()
		sent := false // audited only once there was a client to send with
		org, tid, err := req.WithOrg(func(ctx context.Context, cl *api.Client) (err error) {
			sent = true
			msg.ds, err = fn(ctx, cl)
			return err
		})
		if sent {
			auditID := dsID
			if msg.ds != nil && msg.ds.ID != "" {
				auditID = msg.ds.ID
			}
			req.AuditTracked(org, op, auditID, tid, err)
		}
		return req.Reply(msg, err)
	}
}

func (s *Screen) createCmd(in api.DataSourceCreate) tea.Cmd {
	return s.write(opCreate, "registering data source", "", func(ctx context.Context, cl *api.Client) (*api.DataSource, error) {
		return cl.CreateDataSource(ctx, in)
	})
}

func (s *Screen) updateCmd(id string, in api.DataSourceUpdate) tea.Cmd {
	return s.write(opUpdate, "updating data source", id, func(ctx context.Context, cl *api.Client) (*api.DataSource, error) {
		return cl.UpdateDataSource(ctx, id, in)
	})
}

// extendCmd is the CLI's extend (api.ExtendDataSource: re-read, as the list may be stale, keep
// the configuration) with the nonce the confirmation showed.
func (s *Screen) extendCmd(id, nonce string, lifetime int) tea.Cmd {
	return s.write(opExtend, "extending token", id, extendFn(id, nonce, lifetime))
}

// extendFn is one extend, shared by x on one row and the bulk run: the CLI's
// api.ExtendDataSource with the nonce the confirmation showed.
func extendFn(id, nonce string, lifetime int) func(ctx context.Context, cl *api.Client) (*api.DataSource, error) {
	return func(ctx context.Context, cl *api.Client) (*api.DataSource, error) {
		_, after, err := cl.ExtendDataSource(ctx, id, lifetime, api.WithNonce(nonce))
		return after, err
	}
}

func (s *Screen) deleteCmd(id string) tea.Cmd {
	req := s.c.Request("deleting data source", writeTimeout)
	msg := deletedMsg{dsID: id}
	return func() tea.Msg {
		defer req.Cancel()
		sent := false
		org, tid, err := req.WithOrg(func(ctx context.Context, cl *api.Client) error {
			sent = true
			return cl.DeleteDataSource(ctx, id)
		})
		if sent {
			req.AuditTracked(org, opDelete, id, tid, err)
		}
		return req.Reply(msg, err)
	}
}

func (s *Screen) onWritten(r common.Reply, msg writtenMsg) tea.Cmd {
	if r.Stale(s.c) {
		// Sent for the org shown before a switch: say how it went, change nothing here.
		if r.Err != nil {
			return common.Error(opTitle(msg.op)+" (previous org)", r.Err)
		}
		return common.Notice("done in the previous org: " + opTitle(msg.op))
	}
	formPending := s.form != nil && s.form.pending == r.ID
	if r.Err != nil && msg.op != opCreate && errors.Is(r.Err, api.ErrNotFound) {
		// Deleted elsewhere (another person, the CLI): the row goes, and the person is told.
		if formPending {
			s.form = nil
			if s.mode == modeForm {
				s.mode = modeList
			}
		}
		s.remove(msg.dsID)
		return common.Notice("data source " + msg.dsID + " is gone (deleted elsewhere): removed from the list")
	}
	if r.Err != nil {
		if formPending && s.mode != modeForm && s.mode != modeConfirm {
			// Give the form back with what was typed, so one bad field is one fix.
			s.form.pending = 0
			s.mode = modeForm
			return tea.Batch(s.form.reopen(), common.Error(opTitle(msg.op), r.Err))
		}
		return common.Error(opTitle(msg.op), r.Err)
	}
	if formPending {
		s.form = nil
	}
	if msg.ds != nil {
		s.upsert(msg.ds)
	}
	switch msg.op {
	case opCreate:
		id := ""
		if msg.ds != nil {
			id = msg.ds.ID
		}
		return common.Notice("registered data source " + id)
	case opExtend:
		// The new expiry first: a narrow footer cuts the end, and the id is on the row.
		note := "extended the token of " + msg.dsID
		if msg.ds != nil && !msg.ds.Expiry().IsZero() {
			note = "now expires " + detailview.TimeText(msg.ds.Expiry()) + ": extended the token of " + msg.dsID
		}
		return common.Notice(note)
	}
	return common.Notice("updated data source " + msg.dsID)
}

func (s *Screen) onDeleted(r common.Reply, msg deletedMsg) tea.Cmd {
	if r.Stale(s.c) {
		if r.Err != nil {
			return common.Error("deleting data source "+msg.dsID+" (previous org)", r.Err)
		}
		return common.Notice("deleted data source " + msg.dsID + " in the previous org")
	}
	if r.Err != nil {
		if errors.Is(r.Err, api.ErrNotFound) {
			s.remove(msg.dsID)
			return common.Notice("data source " + msg.dsID + " was already gone")
		}
		return common.Error("deleting data source "+msg.dsID, r.Err)
	}
	s.remove(msg.dsID)
	return common.Notice("deleted data source " + msg.dsID)
}

func opTitle(op string) string {
	switch op {
	case opCreate:
		return "registering the data source"
	case opExtend:
		return "extending the token"
	case opDelete:
		return "deleting the data source"
	}
	return "updating the data source"
}
