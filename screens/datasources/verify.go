package datasources

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
)

// ExtendWithinMsg asks for X with another window than the profile's (the :extend --within
// command).
type ExtendWithinMsg struct{ Within time.Duration }

// VerifyMsg asks to verify the marked rows' tokens, else the selected one's (:verify): the
// same check as `byova datasources verify`.
type VerifyMsg struct{}

// verifyTimeout bounds one :verify: a GET per data source and the key set.
const verifyTimeout = 60 * time.Second

// checkedMsg is the answer to a :verify (the detail's own check is verifiedMsg).
type checkedMsg struct {
	results []api.Verification
}

// verdict is one row's verification, for the panel under the list.
type verdict struct {
	name   string
	ok     bool
	reason string
}

// startVerify checks the marked tokens (else the selected one) in one command: the key set
// is fetched once for all of them.
func (s *Screen) startVerify() tea.Cmd {
	targets := s.markedSources()
	if len(targets) == 0 {
		if sel := s.target(); sel != nil {
			targets = []*api.DataSource{sel}
		}
	}
	if len(targets) == 0 {
		return common.Notice("nothing to verify: mark rows with space, or move to one")
	}
	ids := make([]string, len(targets))
	for i, ds := range targets {
		ids[i] = ds.ID
	}
	req := s.c.Request(Owner, kindVerify, "verifying tokens", verifyTimeout)
	msg := checkedMsg{}
	return func() tea.Msg {
		defer req.Cancel()
		_, _, err := req.WithOrg(func(ctx context.Context, cl *api.Client) error {
			// The session's key set: fetched once, shared with the detail's check.
			ks, err := req.Session.KeySet()
			if err == nil {
				err = ks.Load(ctx, cl)
			}
			if err != nil {
				return err
			}
			for _, id := range ids {
				// The list's items may lack the registered values the claims are checked against.
				ds, err := cl.GetDataSource(ctx, id)
				if err != nil {
					msg.results = append(msg.results, api.Verification{ID: id, Reason: err.Error()})
					continue
				}
				// Webex's clock, not the UI's (tests and demos may fix that one).
				msg.results = append(msg.results, api.VerifyDataSource(ctx, cl, ks, ds, time.Now()))
			}
			return nil
		})
		return common.ReplyTo(req, msg, err) // err: nothing could be checked (no client, no key set)
	}
}

func (s *Screen) onChecked(r common.Reply[checkedMsg]) tea.Cmd {
	err, msg := r.Err, r.Payload
	if !s.c.Current(r) {
		return nil
	}
	if err != nil {
		return common.Error("verifying tokens", err)
	}
	s.verdicts = s.verdicts[:0]
	bad := 0
	for _, v := range msg.results {
		n := v.ID
		if p := s.tbl.RowOf(v.ID); p >= 0 {
			n = name(s.tbl.Rows[p].ds)
		}
		s.verdicts = append(s.verdicts, verdict{name: n, ok: v.OK, reason: safetext.Line(v.Reason)})
		if !v.OK {
			bad++
		}
	}
	s.resizeList()
	if bad > 0 {
		return common.Error("verifying tokens", errors.New(plural(bad, "token fails", "tokens fail")+" the check: the reasons are under the list"))
	}
	return common.Notice("verified " + plural(len(msg.results), "token", "tokens") + ": signature, exp/iat and claims hold")
}

// verdictLines are the panel's lines for the last :verify.
func (s *Screen) verdictLines() []string {
	st := s.c.Styles
	var out []string
	for _, v := range s.verdicts {
		if v.ok {
			out = append(out, st.StatusActive.Render(styles.GlyphOK+" "+v.name+": signature, exp/iat and claims hold"))
		} else {
			out = append(out, st.Error.Render(styles.GlyphError+" "+v.name+": "+v.reason))
		}
	}
	return out
}
