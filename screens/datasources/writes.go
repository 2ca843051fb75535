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
	"github.com/byova/byova/fleet"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/detailview"
	"github.com/byova/byova/ui/dialog"
	"github.com/byova/byova/ui/format"
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
	life := fleet.Lifetime(ds, 0)
	lifetime := life.Minutes
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
			{"lifetime", lifetimeText(life)},
			{"new nonce", config.Mask(nonce)},
		},
		Note:      "Audience, subject, schema, url and status stay as they are; Webex issues a new token.",
		OnConfirm: func() tea.Cmd { return s.extendCmd(id, nonce) },
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

// lifetimeText is the confirmation's lifetime row: a made-up one says so.
func lifetimeText(l fleet.LifetimeChoice) string {
	if l.Defaulted {
		return strconv.Itoa(l.Minutes) + " min (Webex gave none)"
	}
	return strconv.Itoa(l.Minutes) + " min"
}

// writtenMsg is the answer to a create, update or extend.
type writtenMsg struct {
	op        string
	dsID      string
	ds        *api.DataSource // the object Webex returned
	defaulted bool            // an extend whose lifetime Webex did not give (fleet.Lifetime)
}

// deletedMsg is the answer to a delete.
type deletedMsg struct {
	dsID string
}

// write sends one create or update through fleet's audited writer. fn gets the org's writer.
func (s *Screen) write(op, what, dsID string, fn func(ctx context.Context, w fleet.Writer) (*api.DataSource, error)) tea.Cmd {
	req := s.c.Request(Owner, common.KindWrite, what, writeTimeout)
	s.lastWrite = req.ID
	msg := writtenMsg{op: op, dsID: dsID}
	return func() tea.Msg {
		defer req.Cancel()
		err := withWriter(req, func(w fleet.Writer) (err error) {
			msg.ds, err = fn(req.Ctx, w)
			return err
		})
		return common.ReplyTo(req, msg, err)
	}
}

// withWriter runs fn with fleet's writer for the request's org, recovering from a panic.
func withWriter(req common.Request, fn func(w fleet.Writer) error) error {
	cl, org, err := req.OrgClient()
	if err != nil {
		return err
	}
	w := req.Writer(org, cl)
	return common.Safely(func() error { return fn(w) })
}

func (s *Screen) createCmd(in api.DataSourceCreate) tea.Cmd {
	return s.write(fleet.OpDataSourceCreate, "registering data source", "", func(ctx context.Context, w fleet.Writer) (*api.DataSource, error) {
		d, _, err := w.Create(ctx, in)
		return d, err
	})
}

func (s *Screen) updateCmd(id string, in api.DataSourceUpdate) tea.Cmd {
	return s.write(fleet.OpDataSourceUpdate, "updating data source", id, func(ctx context.Context, w fleet.Writer) (*api.DataSource, error) {
		d, _, err := w.Update(ctx, id, in)
		return d, err
	})
}

// extendCmd is x on one row: fleet's extend (a fresh GET, the lifetime rule, the PUT with the
// full configuration, the audit line) with the nonce the confirmation showed.
func (s *Screen) extendCmd(id, nonce string) tea.Cmd {
	req := s.c.Request(Owner, common.KindWrite, "extending token", writeTimeout)
	s.lastWrite = req.ID
	msg := writtenMsg{op: fleet.OpDataSourceExtend, dsID: id}
	return func() tea.Msg {
		defer req.Cancel()
		r := extendOne(req, id, nonce)
		msg.ds, msg.defaulted = r.DataSource, r.Lifetime.Defaulted
		return common.ReplyTo(req, msg, r.Err)
	}
}

// extendOne is one fleet extend of id in the request's org (x on one row).
func extendOne(req common.Request, id, nonce string) fleet.Result {
	r := fleet.Result{ID: id, Outcome: fleet.Failed}
	cl, org, err := req.OrgClient()
	if err != nil {
		r.Err = err
		return r
	}
	ex := req.Extender()
	if err := common.Safely(func() error {
		r = ex.One(req.Ctx, fleet.Job{Org: org, Client: cl, ID: id, Nonce: nonce})
		return nil
	}); err != nil {
		r = fleet.Result{Org: org, ID: id, Outcome: fleet.Failed, Err: err}
	}
	return r
}

func (s *Screen) deleteCmd(id string) tea.Cmd {
	req := s.c.Request(Owner, common.KindWrite, "deleting data source", writeTimeout)
	msg := deletedMsg{dsID: id}
	return func() tea.Msg {
		defer req.Cancel()
		err := withWriter(req, func(w fleet.Writer) error {
			_, err := w.Delete(req.Ctx, id)
			return err
		})
		return common.ReplyTo(req, msg, err)
	}
}

func (s *Screen) onWritten(r common.Reply[writtenMsg]) tea.Cmd {
	msg := r.Payload
	if s.c.Judge(r) == common.Previous {
		// Sent for the org shown before a switch: say how it went, change nothing here.
		return common.PreviousWrite(opTitle(msg.op), "in", "previous org", r.Err)
	}
	formPending := s.form != nil && s.form.pending == r.ID
	if r.Err != nil && msg.op != fleet.OpDataSourceCreate && errors.Is(r.Err, api.ErrNotFound) {
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
	case fleet.OpDataSourceCreate:
		id := ""
		if msg.ds != nil {
			id = msg.ds.ID
		}
		return common.Notice("registered data source " + id)
	case fleet.OpDataSourceExtend:
		// The new expiry first: a narrow footer cuts the end, and the id is on the row.
		note := "extended the token of " + msg.dsID
		if msg.ds != nil && !msg.ds.Expiry().IsZero() {
			note = "now expires " + detailview.TimeText(msg.ds.Expiry()) + ": extended the token of " + msg.dsID
		}
		if msg.defaulted {
			note += "; " + fleet.DefaultedNote
		}
		return common.Notice(note)
	}
	return common.Notice("updated data source " + msg.dsID)
}

func (s *Screen) onDeleted(r common.Reply[deletedMsg]) tea.Cmd {
	msg := r.Payload
	return common.Deleted(s.c.Judge(r) == common.Previous, r.Err, common.Deletion{What: "data source " + msg.dsID, Previous: "previous org", In: "in",
		Remove: func() { s.remove(msg.dsID) },
		Failed: func(err error) tea.Cmd { return common.Error("deleting data source "+msg.dsID, err) }})
}

func opTitle(op string) string {
	switch op {
	case fleet.OpDataSourceCreate:
		return "registering the data source"
	case fleet.OpDataSourceExtend:
		return "extending the token"
	case fleet.OpDataSourceDelete:
		return "deleting the data source"
	}
	return "updating the data source"
}
