package datasources

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/tui/common"
	"github.com/byova/byova/tui/format"
)

const labelW = 16

// detailView shows every field of one data source and its decoded token, scrollable.
type detailView struct {
	s             *Screen
	ds            *api.DataSource
	jws           *api.DecodedJWS
	jwsErr        error
	vp            viewport.Model
	width, height int
}

// openDetail shows what the list knows at once and fetches the full object: list items leave
// out fields (nonce, lifetime, updatedBy) that only GET returns.
func (s *Screen) openDetail(ds *api.DataSource) tea.Cmd {
	d := &detailView{s: s, vp: viewport.New()}
	d.vp.MouseWheelEnabled = true
	d.setSize(s.width, s.height)
	d.setDataSource(ds)
	s.detail, s.mode = d, modeDetail
	return s.fetchCmd(ds.ID)
}

// fetchedMsg is the answer to GET /dataSources/{id} for the detail view.
type fetchedMsg struct {
	id   uint64
	dsID string
	ds   *api.DataSource
	err  error
}

func (m fetchedMsg) RequestID() uint64 { return m.id }

func (s *Screen) fetchCmd(dsID string) tea.Cmd {
	id := s.c.Begin("loading details")
	s.fetchID = id
	c := s.c
	ctx, cancel := c.Context(loadTimeout)
	return func() tea.Msg {
		defer cancel()
		cl, _, err := c.OrgClient()
		if err != nil {
			return fetchedMsg{id: id, dsID: dsID, err: err}
		}
		ds, _, err := safely(func() (*api.DataSource, *api.DataSource, error) {
			ds, err := cl.GetDataSource(ctx, dsID)
			return ds, nil, err
		})
		return fetchedMsg{id: id, dsID: dsID, ds: ds, err: err}
	}
}

func (s *Screen) onFetched(msg fetchedMsg) tea.Cmd {
	if msg.id != s.fetchID {
		return nil // the person opened another one since
	}
	if msg.err != nil {
		switch {
		case canceled(msg.err):
			return nil
		case errors.Is(msg.err, api.ErrNotFound):
			s.remove(msg.dsID)
			return common.Notice("data source " + msg.dsID + " no longer exists")
		}
		return common.Error("loading the details of "+msg.dsID, msg.err)
	}
	if msg.ds != nil {
		s.upsert(msg.ds)
	}
	return nil
}

func (d *detailView) setDataSource(ds *api.DataSource) {
	d.ds = ds
	d.jws, d.jwsErr = nil, nil
	if ds.JWSToken != "" {
		d.jws, d.jwsErr = api.DecodeJWS(ds.JWSToken)
	}
	d.refresh()
}

func (d *detailView) setSize(w, h int) {
	d.width, d.height = w, h
	d.vp.SetWidth(w)
	d.vp.SetHeight(max(h-1, 1))
	if d.ds != nil {
		d.refresh()
	}
}

// refresh rebuilds the text (the countdown changes every second) keeping the scroll position.
func (d *detailView) refresh() {
	off := d.vp.YOffset()
	d.vp.SetContentLines(d.lines())
	d.vp.SetYOffset(off)
}

func (d *detailView) wheel(msg tea.MouseWheelMsg) { d.vp, _ = d.vp.Update(msg) }

func (s *Screen) detailKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.Keys
	d := s.detail
	switch {
	case key.Matches(msg, k.Dismiss):
		s.detail, s.mode = nil, modeList
	case key.Matches(msg, k.Up):
		d.vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		d.vp.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		d.vp.PageUp()
	case key.Matches(msg, k.PageDown):
		d.vp.PageDown()
	case key.Matches(msg, k.Top):
		d.vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		d.vp.GotoBottom()
	case key.Matches(msg, k.Copy):
		return s.copyID()
	case key.Matches(msg, k.Reload):
		return s.load()
	case key.Matches(msg, k.Edit):
		return s.startEdit()
	case key.Matches(msg, k.Extend):
		return s.startExtend()
	case key.Matches(msg, k.Delete):
		return s.startDelete()
	}
	return nil
}

func (d *detailView) view() string {
	st := d.s.c.Styles
	title := st.Title.Render("Data source ") + st.Bold.Render(d.ds.ID)
	pct := ""
	if d.vp.TotalLineCount() > d.vp.Height() {
		pct = st.Muted.Render(strconv.Itoa(int(d.vp.ScrollPercent()*100)) + "%")
	}
	title = format.Cut(title, d.width-6)
	pad := max(d.width-lipgloss.Width(title)-lipgloss.Width(pct), 1)
	return title + strings.Repeat(" ", pad) + pct + "\n" + d.vp.View()
}

// lines is the detail text: registration, token, JWS header and claims, record.
func (d *detailView) lines() []string {
	st := d.s.c.Styles
	ds := d.ds
	now := d.s.c.Now()
	var out []string
	section := func(name string) {
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, st.Bold.Render(name))
	}
	field := func(label, value string) {
		if value == "" {
			value = st.Muted.Render("—")
		}
		valW := max(d.width-labelW-2, 10)
		wrapped := strings.Split(wrap(value, valW), "\n")
		for i, w := range wrapped {
			l := strings.Repeat(" ", labelW+2)
			if i == 0 {
				l = "  " + st.FieldName.Render(format.Fit(label, labelW))
			}
			out = append(out, l+w)
		}
	}

	r := newRow(ds, d.s.schemas)
	section("Registration")
	field("id", ds.ID)
	field("status", d.s.statusStyle(&r).Render(r.statusText()))
	if ds.ErrorMessage != "" || !r.active {
		field("errorMessage", ds.ErrorMessage)
	}
	field("audience", ds.Audience)
	field("subject", ds.Subject)
	field("url", ds.URL)
	field("schema", d.schemaText(ds.SchemaID))
	if ds.TokenLifetimeMinutes > 0 {
		field("lifetime", strconv.Itoa(ds.TokenLifetimeMinutes)+" min")
	} else {
		field("lifetime", "")
	}
	field("nonce", config.Mask(ds.Nonce))

	section("Token")
	state, left := classify(r.expiry, now)
	exp := d.s.expiryStyle(state).Render(strings.TrimSpace(expiryText(state, left)))
	if t := ds.Expiry(); !t.IsZero() {
		exp = timeText(t) + "  " + exp
	}
	field("expires", exp)
	field("jwsToken", config.Mask(ds.JWSToken))
	if p := ds.TokenProblem(); p != "" {
		field("problem", st.Error.Render(p))
	}

	if d.jws != nil {
		section("JWS header (decoded, not verified)")
		h := d.jws.Header
		field("alg", h.Algorithm)
		field("typ", h.Type)
		field("kid", h.KeyID)

		section("JWS claims")
		c := d.jws.Claims
		field("iss", c.Issuer)
		field("aud", strings.Join(c.Audience, ", "))
		field("sub", c.Subject)
		field("iat", unixText(c.IssuedAt))
		field("exp", unixText(c.Expiry))
		jti := c.ID
		if jti != "" && jti == ds.Nonce {
			jti = config.Mask(jti) + st.Muted.Render(" (the nonce)")
		}
		field("jti", jti)
		field("datasource.url", c.URL)
		field("schema.uuid", c.SchemaUUID)
		field("org.uuid", c.OrgUUID)
		known := map[string]bool{"iss": true, "aud": true, "sub": true, "iat": true, "exp": true, "jti": true,
			"com.cisco.datasource.url": true, "com.cisco.datasource.schema.uuid": true, "com.cisco.org.uuid": true}
		var extra []string
		for name := range c.Raw {
			if !known[name] {
				extra = append(extra, name)
			}
		}
		slices.Sort(extra)
		for _, name := range extra {
			field(strings.TrimPrefix(name, "com.cisco."), rawText(c.Raw[name]))
		}
	} else if d.jwsErr != nil {
		section("JWS")
		field("problem", st.Error.Render(d.jwsErr.Error()))
	}

	section("Record")
	field("orgId", ds.OrgID)
	field("applicationId", ds.ApplicationID)
	field("createdBy", ds.CreatedBy)
	field("createdAt", stampText(ds.CreatedAt, now))
	field("updatedBy", ds.UpdatedBy)
	field("updatedAt", stampText(ds.UpdatedAt, now))
	return out
}

func (d *detailView) schemaText(id string) string {
	if id == "" {
		return ""
	}
	sc, ok := d.s.schemas[id]
	if !ok {
		return id + d.s.c.Styles.Muted.Render(" (not in the schema list)")
	}
	var parts []string
	for _, p := range []string{sc.ServiceType, sc.Protocol, sc.AppType} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	parts = append(parts, id)
	return strings.Join(parts, " · ")
}

// timeText shows an instant in UTC, unambiguous for people on call in different zones.
func timeText(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") }

func unixText(sec int64) string {
	if sec == 0 {
		return ""
	}
	return strconv.FormatInt(sec, 10) + "  (" + timeText(time.Unix(sec, 0)) + ")"
}

func stampText(s string, now time.Time) string {
	if s == "" {
		return ""
	}
	t, err := api.ParseTime(s)
	if err != nil {
		return s
	}
	return timeText(t) + "  (" + format.Ago(now, t) + ")"
}

func rawText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// wrap wraps text (styled or not) to w cells.
func wrap(s string, w int) string {
	if w <= 0 {
		return s
	}
	return lipgloss.Wrap(s, w, " /")
}
