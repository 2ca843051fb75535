package schemas

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/tui/format"
)

const labelW = 13

// detailView shows every field of one schema, scrollable. The list already holds every field
// Webex returns for a schema, so nothing is fetched.
type detailView struct {
	s             *Screen
	sc            *api.Schema
	vp            viewport.Model
	width, height int
}

func (s *Screen) openDetail(sc *api.Schema) {
	d := &detailView{s: s, vp: viewport.New()}
	d.vp.MouseWheelEnabled = true
	d.setSize(s.width, s.height)
	d.setSchema(sc)
	s.detail, s.mode = d, modeDetail
}

func (d *detailView) setSchema(sc *api.Schema) {
	d.sc = sc
	d.refresh()
}

func (d *detailView) setSize(w, h int) {
	d.width, d.height = w, h
	d.vp.SetWidth(w)
	d.vp.SetHeight(max(h-1, 1))
	if d.sc != nil {
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
		return s.load(true)
	}
	return nil
}

func (d *detailView) view() string {
	st := d.s.c.Styles
	title := st.Title.Render("Schema ") + st.Bold.Render(d.sc.Label())
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
	sc := d.sc
	var out []string
	field := func(label, value string) {
		if value == "" {
			value = st.Muted.Render("—")
		}
		valW := max(d.width-labelW-4, 10)
		for i, w := range strings.Split(lipgloss.Wrap(value, valW, " /"), "\n") {
			l := strings.Repeat(" ", labelW+4)
			if i == 0 {
				l = "  " + st.FieldName.Render(format.Fit(label, labelW)) + "  "
			}
			out = append(out, l+w)
		}
	}
	field("id", sc.ID)
	field("serviceType", sc.ServiceType)
	field("protocol", sc.Protocol)
	field("appType", sc.AppType)
	field("url", sc.URL)
	field("description", sc.Description)
	field("createdAt", stampText(sc.CreatedAt, d.s.c.Now()))
	out = append(out, "")
	out = append(out, "  "+st.Muted.Render("Data sources name this schema by its id (schemaId). y copies it."))
	out = append(out, "  "+st.Muted.Render("List "+d.s.sourceText()+"."))
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
