package datasources

import (
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
func (s *Screen) startExtend() tea.Cmd {
	ds := s.target()
	if ds == nil {
		return nil
	}
	if ok, cmd := s.c.Writable(); !ok {
		return cmd
	}
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
func (s *Screen) startDelete() tea.Cmd {
	ds := s.target()
	if ds == nil {
		return nil
	}
	if ok, cmd := s.c.Writable(); !ok {
		return cmd
	}
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
