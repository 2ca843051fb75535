package webhooks

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/detailview"
)

const labelW = 11

// detailView shows every field of one webhook, the secret masked, scrollable.
type detailView struct {
	s    *Screen
	wh   *api.Webhook
	pane detailview.Model
}

// openDetail shows what the list knows at once and fetches the webhook again, so what the
// person reads (status above all) is Webex's latest word.
func (s *Screen) openDetail(wh *api.Webhook) tea.Cmd {
	d := &detailView{s: s}
	d.setWebhook(wh)
	d.pane = detailview.New(s.width, s.height, d.lines)
	s.detail, s.mode = d, modeDetail
	return s.fetchCmd(wh.ID)
}

func (d *detailView) setWebhook(wh *api.Webhook) {
	d.wh = wh
	d.pane.Refresh()
}

func (s *Screen) detailKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.c.Keys
	d := s.detail
	if d.pane.ScrollKey(msg, k) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Dismiss):
		s.detail, s.mode = nil, modeList
	case key.Matches(msg, k.Reload):
		return tea.Batch(s.load(), s.fetchCmd(d.wh.ID))
	}
	return nil
}

func (d *detailView) view() string {
	st := d.s.c.Styles
	title := st.Title.Render("Webhook ") + st.Bold.Render(safetext.Line(nameOf(d.wh)))
	return d.pane.View(st, title)
}

func (d *detailView) lines(width int) []string {
	st := d.s.c.Styles
	wh := d.wh
	f := detailview.Fields{Styles: st, Width: width, LabelW: labelW, Gap: 2, Breaks: " /&"}
	status := statusOf(wh)
	f.Section("Subscription")
	f.Field("id", wh.ID)
	f.Field("name", wh.Name)
	f.Styled("status", statusStyle(st, status).Render(statusText(status)))
	if status == "inactive" {
		hint := "Webex turned it off, usually after deliveries kept failing."
		if !d.s.c.ReadOnly() {
			hint += " Press " + d.s.c.Keys.Edit.Help().Key + " to re-activate it."
		}
		f.Styled("", st.Muted.Render(hint))
	}
	f.Field("resource", wh.Resource)
	f.Field("event", wh.Event)
	f.Field("filter", wh.Filter)
	f.Field("targetUrl", wh.TargetURL)
	secret := st.Muted.Render("none: deliveries are not signed")
	if wh.Secret != "" {
		secret = safetext.Line(config.Mask(wh.Secret)) + st.Muted.Render("  (masked; the HMAC-SHA1 key of X-Spark-Signature)")
	}
	f.Styled("secret", secret)

	f.Section("Record")
	f.Field("ownedBy", wh.OwnedBy)
	f.Field("created", detailview.Stamp(wh.Created, d.s.c.Now()))
	f.Field("orgId", wh.OrgID)
	f.Field("createdBy", wh.CreatedBy)
	f.Field("appId", wh.AppID)
	return f.Lines
}
