package datasources

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/detailview"
	"github.com/byova/byova/ui/listscreen"
)

// signature is what the detail view knows of its token's check against Webex's keys: the
// token it was made for (an extend re-issues the token, and the verdict then no longer holds).
type signature struct {
	token string
	v     api.Verification
	err   error // the check could not be made (key set unreachable)
	done  bool
}

// verifiedMsg is the verdict on one data source's token, checked in the background when its
// detail opens.
type verifiedMsg struct {
	dsID  string
	token string
	v     api.Verification
}

// verifyCmd checks ds's token (a full object, as GET returns it) with the session's key set,
// which is fetched once per session value and once more for a kid it lacks.
func (s *Screen) verifyCmd(ds *api.DataSource) tea.Cmd {
	req := s.c.Request(Owner, kindSignature, "checking the token's signature", loadTimeout)
	snap := *ds
	msg := verifiedMsg{dsID: ds.ID, token: ds.JWSToken}
	return func() tea.Msg {
		defer req.Cancel()
		_, _, err := req.WithOrg(func(ctx context.Context, cl *api.Client) error {
			ks, err := req.Session.KeySet()
			if err == nil {
				err = ks.Load(ctx, cl)
			}
			if err != nil {
				return err
			}
			msg.v = api.VerifyDataSource(ctx, cl, ks, &snap, req.Now)
			return nil
		})
		return common.ReplyTo(req, msg, err)
	}
}

func (s *Screen) onVerified(r common.Reply[verifiedMsg]) tea.Cmd {
	msg := r.Payload
	if !s.c.Current(r) || s.detail == nil || s.detail.ds.ID != msg.dsID {
		return nil // another detail is open now
	}
	if listscreen.Canceled(r.Err) {
		return nil
	}
	s.detail.sig = &signature{token: msg.token, v: msg.v, err: r.Err, done: true}
	s.detail.pane.Refresh()
	return nil
}

// signatureField adds the "signature" line of the Token section.
func (d *detailView) signatureField(f *detailview.Fields) {
	st := d.s.c.Styles
	sig := d.sig
	switch {
	case d.ds.JWSToken == "":
		return
	case sig == nil:
		f.Styled("signature", st.Muted.Render("checking against Webex's keys…"))
	case sig.token != d.ds.JWSToken:
		f.Styled("signature", st.Muted.Render("not checked: the token changed since (reopen to check)"))
	case sig.err != nil:
		f.Styled("signature", st.ExpiryUnknown.Render("? could not check: "+safetext.Line(sig.err.Error())))
	case sig.v.OK:
		f.Styled("signature", st.StatusActive.Render("✓ verified")+st.Muted.Render(" (kid "+safetext.Line(sig.v.KeyID)+")"))
	default:
		f.Styled("signature", st.Error.Render("✗ "+safetext.Line(sig.v.Reason)))
	}
}
