package schemas

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/detailview"
)

const labelW = 13

// detailView shows every field of one schema, scrollable. The list already holds every field
// Webex returns for a schema, so nothing is fetched.
type detailView struct {
	s    *Screen
	sc   *api.Schema
	pane detailview.Model
}

func (s *Screen) openDetail(sc *api.Schema) {
	d := &detailView{s: s}
	d.setSchema(sc)
	d.pane = detailview.New(s.width, s.height, d.lines)
	s.detail, s.mode = d, modeDetail
}

func (d *detailView) setSchema(sc *api.Schema) {
	d.sc = sc
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
	case key.Matches(msg, k.Copy):
		return s.copyID()
	case key.Matches(msg, k.Reload):
		return s.load(true)
	}
	return nil
}

func (d *detailView) view() string {
	st := d.s.c.Styles
	title := st.Title.Render("Schema ") + st.Bold.Render(safetext.Line(d.sc.Label()))
	return d.pane.View(st, title)
}

func (d *detailView) lines(width int) []string {
	st := d.s.c.Styles
	sc := d.sc
	f := detailview.Fields{Styles: st, Width: width, LabelW: labelW, Gap: 2, Breaks: " /"}
	f.Field("id", sc.ID)
	f.Field("serviceType", sc.ServiceType)
	f.Field("protocol", sc.Protocol)
	f.Field("appType", sc.AppType)
	f.Field("url", sc.URL)
	f.Text("description", sc.Description)
	f.Field("createdAt", detailview.Stamp(sc.CreatedAt, d.s.c.Now()))
	f.Add("")
	f.Add("  " + st.Muted.Render("Data sources name this schema by its id (schemaId). y copies it."))
	f.Add("  " + st.Muted.Render("List "+d.s.sourceText()+"."))
	return f.Lines
}
