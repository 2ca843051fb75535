package webhooks

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/tui/format"
)

const labelW = 11

// detailView shows every field of one webhook, the secret masked, scrollable.
type detailView struct {
	s             *Screen
	wh            *api.Webhook
	vp            viewport.Model
	width, height int
}

// openDetail shows what the list knows at once and fetches the webhook again, so what the
// person reads (status above all) is Webex's latest word.
func (s *Screen) openDetail(wh *api.Webhook) tea.Cmd {
	d := &detailView{s: s, vp: viewport.New()}
	d.vp.MouseWheelEnabled = true
	d.setSize(s.width, s.height)
	d.setWebhook(wh)
	s.detail, s.mode = d, modeDetail
	return s.fetchCmd(wh.ID)
}

func (d *detailView) setWebhook(wh *api.Webhook) {
	d.wh = wh
	d.refresh()
}

func (d *detailView) setSize(w, h int) {
	d.width, d.height = w, h
	d.vp.SetWidth(w)
	d.vp.SetHeight(max(h-1, 1))
	if d.wh != nil {
		d.refresh()
	}
}

func (d *detailView) refresh() {
	off := d.vp.YOffset()
	d.vp.SetContentLines(d.lines())
	d.vp.SetYOffset(off)
}

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
		return tea.Batch(s.load(), s.fetchCmd(d.wh.ID))
	case key.Matches(msg, k.Edit):
		return s.startEdit()
	case key.Matches(msg, k.Delete):
		return s.startDelete()
	}
	return nil
}

func (d *detailView) view() string {
	st := d.s.c.Styles
	title := st.Title.Render("Webhook ") + st.Bold.Render(nameOf(d.wh))
	pct := ""
	if d.vp.TotalLineCount() > d.vp.Height() {
		pct = st.Muted.Render(strconv.Itoa(int(d.vp.ScrollPercent()*100)) + "%")
	}
	title = format.Cut(title, d.width-6)
	pad := max(d.width-lipgloss.Width(title)-lipgloss.Width(pct), 1)
	return title + strings.Repeat(" ", pad) + pct + "\n" + d.vp.View()
}

func (d *detailView) lines() []string {
	st := d.s.c.Styles
	wh := d.wh
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
		valW := max(d.width-labelW-4, 10)
		for i, w := range strings.Split(lipgloss.Wrap(value, valW, " /&"), "\n") {
			l := strings.Repeat(" ", labelW+4)
			if i == 0 {
				l = "  " + st.FieldName.Render(format.Fit(label, labelW)) + "  "
			}
			out = append(out, l+w)
		}
	}
	status := statusOf(wh)
	section("Subscription")
	field("id", wh.ID)
	field("name", wh.Name)
	field("status", statusStyle(st, status).Render(statusText(status)))
	if status == "inactive" {
		hint := "Webex turned it off, usually after deliveries kept failing."
		if !d.s.c.ReadOnly() {
			hint += " Press e to re-activate it."
		}
		field("", st.Muted.Render(hint))
	}
	field("resource", wh.Resource)
	field("event", wh.Event)
	field("filter", wh.Filter)
	field("targetUrl", wh.TargetURL)
	secret := st.Muted.Render("none: deliveries are not signed")
	if wh.Secret != "" {
		secret = config.Mask(wh.Secret) + st.Muted.Render("  (masked; the HMAC-SHA1 key of X-Spark-Signature)")
	}
	field("secret", secret)

	section("Record")
	field("ownedBy", wh.OwnedBy)
	field("created", stampText(wh.Created, d.s.c.Now()))
	field("orgId", wh.OrgID)
	field("createdBy", wh.CreatedBy)
	field("appId", wh.AppID)
	return out
}

func stampText(v string, now time.Time) string {
	if v == "" {
		return ""
	}
	t, err := api.ParseTime(v)
	if err != nil {
		return v
	}
	return t.UTC().Format("2006-01-02 15:04:05Z") + "  (" + format.Ago(now, t) + ")"
}
