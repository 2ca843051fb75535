package datasources

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/detailview"
	"github.com/byova/byova/ui/listscreen"
)

const labelW = 16

// detailView shows every field of one data source and its decoded token, scrollable.
type detailView struct {
	s      *Screen
	ds     *api.DataSource
	jws    *api.DecodedJWS
	jwsErr error
	sig    *signature // nil until the background check answers
	pane   detailview.Model
}

// openDetail shows what the list knows at once and fetches the full object: list items leave
// out fields (nonce, lifetime, updatedBy) that only GET returns.
func (s *Screen) openDetail(ds *api.DataSource) tea.Cmd {
	d := &detailView{s: s}
	d.setDataSource(ds)
	d.pane = detailview.New(s.width, s.height, d.lines)
	s.detail, s.mode = d, modeDetail
	return s.fetchCmd(ds.ID)
}

// fetchedMsg is the answer to GET /dataSources/{id} for the detail view.
type fetchedMsg struct {
	dsID string
	ds   *api.DataSource
}

func (s *Screen) fetchCmd(dsID string) tea.Cmd {
	req := s.c.Request(Owner, common.KindDetail, "loading details", loadTimeout)
	msg := fetchedMsg{dsID: dsID}
	return func() tea.Msg {
		defer req.Cancel()
		_, _, err := req.WithOrg(func(ctx context.Context, cl *api.Client) (err error) {
			msg.ds, err = cl.GetDataSource(ctx, dsID)
			return err
		})
		return common.ReplyTo(req, msg, err)
	}
}

func (s *Screen) onFetched(r common.Reply[fetchedMsg]) tea.Cmd {
	if !s.c.Current(r) {
		return nil // the person opened another one since, or switched org
	}
	msg := r.Payload
	if r.Err != nil {
		switch {
		case listscreen.Canceled(r.Err):
			return nil
		case errors.Is(r.Err, api.ErrNotFound):
			s.remove(msg.dsID)
			return common.Notice("data source " + msg.dsID + " no longer exists")
		}
		return common.Error("loading the details of "+msg.dsID, r.Err)
	}
	if msg.ds != nil {
		s.upsert(msg.ds)
		if s.detail != nil && s.detail.ds.ID == msg.dsID {
			return s.verifyCmd(msg.ds)
		}
	}
	return nil
}

func (d *detailView) setDataSource(ds *api.DataSource) {
	d.ds = ds
	d.jws, d.jwsErr = nil, nil
	if ds.JWSToken != "" {
		d.jws, d.jwsErr = api.DecodeJWS(ds.JWSToken)
	}
	d.pane.Refresh()
}

func (s *Screen) detailKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.Keys
	d := s.detail
	if d.pane.ScrollKey(msg, k) {
		return nil
	}
	if key.Matches(msg, k.Dismiss) {
		s.detail, s.mode = nil, modeList
	}
	return nil
}

func (d *detailView) view() string {
	st := d.s.c.Styles
	title := st.Title.Render("Data source ") + st.Bold.Render(safetext.Line(d.ds.ID))
	return d.pane.View(st, title)
}

// lines is the detail text: registration, token, JWS header and claims, record.
func (d *detailView) lines(width int) []string {
	st := d.s.c.Styles
	ds := d.ds
	now := d.s.c.Now()
	f := detailview.Fields{Styles: st, Width: width, LabelW: labelW, Gap: 0, Breaks: " /"}

	r := newRow(ds, d.s.schemas)
	f.Section("Registration")
	f.Field("id", ds.ID)
	f.Styled("status", d.s.paint.status(&r).Paint(r.statusText()))
	if ds.ErrorMessage != "" || !r.active {
		f.Field("errorMessage", ds.ErrorMessage)
	}
	f.Field("audience", ds.Audience)
	f.Field("subject", ds.Subject)
	f.Field("url", ds.URL)
	f.Styled("schema", d.schemaText(ds.SchemaID))
	if ds.TokenLifetimeMinutes > 0 {
		f.Field("lifetime", strconv.Itoa(ds.TokenLifetimeMinutes)+" min")
	} else {
		f.Field("lifetime", "")
	}
	f.Field("nonce", config.Mask(ds.Nonce))

	f.Section("Token")
	state, left := classify(r.expiry, lifetimeOf(ds), d.s.warnWindow(), now)
	exp := d.s.paint.expiry[state].Paint(strings.TrimSpace(expiryText(state, left)))
	if t := ds.Expiry(); !t.IsZero() {
		exp = detailview.TimeText(t) + "  " + exp
	}
	f.Styled("expires", exp)
	f.Field("jwsToken", config.Mask(ds.JWSToken))
	d.signatureField(&f)
	if p := ds.TokenProblem(); p != "" {
		f.Styled("problem", st.Error.Render(safetext.Line(p)))
	}

	d.jwsSections(&f)
	d.endpointSection(&f)

	f.Section("Record")
	f.Field("orgId", ds.OrgID)
	f.Field("applicationId", ds.ApplicationID)
	f.Field("createdBy", ds.CreatedBy)
	f.Field("createdAt", detailview.Stamp(ds.CreatedAt, now))
	f.Field("updatedBy", ds.UpdatedBy)
	f.Field("updatedAt", detailview.Stamp(ds.UpdatedAt, now))
	return f.Lines
}

// jwsSections are the token's header and claims, decoded (not verified: the signature line
// says whether Webex's keys hold), or why it would not decode.
func (d *detailView) jwsSections(f *detailview.Fields) {
	st := d.s.c.Styles
	if d.jws == nil {
		if d.jwsErr != nil {
			f.Section("JWS")
			f.Styled("problem", st.Error.Render(safetext.Line(d.jwsErr.Error())))
		}
		return
	}
	f.Section("JWS header (decoded, not verified)")
	h := d.jws.Header
	f.Field("alg", h.Algorithm)
	f.Field("typ", h.Type)
	f.Field("kid", h.KeyID)

	f.Section("JWS claims")
	c := d.jws.Claims
	f.Field("iss", c.Issuer)
	f.Field("aud", strings.Join(c.Audience, ", "))
	f.Field("sub", c.Subject)
	f.Field("iat", unixText(c.IssuedAt))
	f.Field("exp", unixText(c.Expiry))
	jti := safetext.Line(c.ID)
	if c.ID != "" && c.ID == d.ds.Nonce {
		jti = safetext.Line(config.Mask(c.ID)) + st.Muted.Render(" (the nonce)")
	}
	f.Styled("jti", jti)
	f.Field("datasource.url", c.URL)
	f.Field("schema.uuid", c.SchemaUUID)
	f.Field("org.uuid", c.OrgUUID)
	var extra []string
	for name := range c.Raw {
		if !knownClaims[name] {
			extra = append(extra, name)
		}
	}
	slices.Sort(extra)
	for _, name := range extra {
		f.Field(strings.TrimPrefix(name, "com.cisco."), rawText(c.Raw[name]))
	}
}

// knownClaims are the claims the detail names above; the rest follow, sorted.
var knownClaims = map[string]bool{"iss": true, "aud": true, "sub": true, "iat": true, "exp": true, "jti": true,
	"com.cisco.datasource.url": true, "com.cisco.datasource.schema.uuid": true, "com.cisco.org.uuid": true}

func (d *detailView) schemaText(id string) string {
	if id == "" {
		return ""
	}
	sc, ok := d.s.schemas[id]
	if !ok {
		return safetext.Line(id) + d.s.c.Styles.Muted.Render(" (not in the schema list)")
	}
	var parts []string
	for _, p := range []string{sc.ServiceType, sc.Protocol, sc.AppType} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	parts = append(parts, id)
	return safetext.Line(strings.Join(parts, " · "))
}

func unixText(sec int64) string {
	if sec == 0 {
		return ""
	}
	return strconv.FormatInt(sec, 10) + "  (" + detailview.TimeText(time.Unix(sec, 0)) + ")"
}

func rawText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}
