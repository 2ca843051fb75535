package detailview

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/styles"
)

// Model is the pane: one title line, then the item's lines in a viewport. The screen's lines
// function builds them (see Fields) for a width; the pane builds them again on a resize and on
// Refresh (the item changed, or a countdown in it).
type Model struct {
	vp    viewport.Model
	width int
	lines func(width int) []string
}

// New is a pane of w×h whose text lines builds; it scrolls with the mouse wheel too.
func New(w, h int, lines func(width int) []string) Model {
	vp := viewport.New()
	vp.MouseWheelEnabled = true
	m := Model{vp: vp, lines: lines}
	m.SetSize(w, h)
	return m
}

// SetSize gives the pane its body (the title takes one line) and rebuilds the text for it.
func (m *Model) SetSize(w, h int) {
	m.width = w
	m.vp.SetWidth(w)
	m.vp.SetHeight(max(h-1, 1))
	m.Refresh()
}

// Refresh rebuilds the text, keeping the scroll position.
func (m *Model) Refresh() {
	if m.lines != nil {
		m.SetLines(m.lines(m.width))
	}
}

// Width is the pane's width, for wrapping the lines.
func (m *Model) Width() int { return m.width }

// SetLines replaces the text, keeping the scroll position (a countdown in it changes every
// second; the person's place must not).
func (m *Model) SetLines(lines []string) {
	off := m.vp.YOffset()
	m.vp.SetContentLines(lines)
	m.vp.SetYOffset(off)
}

// ScrollKey scrolls for the keymap's Up, Down, PageUp, PageDown, Top and Bottom and reports
// whether msg was one of them.
func (m *Model) ScrollKey(msg tea.KeyPressMsg, k *common.KeyMap) bool {
	switch {
	case key.Matches(msg, k.Up):
		m.vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		m.vp.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		m.vp.PageUp()
	case key.Matches(msg, k.PageDown):
		m.vp.PageDown()
	case key.Matches(msg, k.Top):
		m.vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		m.vp.GotoBottom()
	default:
		return false
	}
	return true
}

// GotoBottom shows the last lines (a pane that grows as things happen, like a test call).
func (m *Model) GotoBottom() { m.vp.GotoBottom() }

// Wheel scrolls for the mouse wheel.
func (m *Model) Wheel(msg tea.MouseWheelMsg) { m.vp, _ = m.vp.Update(msg) }

// View is the title (cut to fit) with how far down the text is on the right when it does not
// all fit, then the visible lines.
func (m *Model) View(st *styles.Styles, title string) string {
	pct := ""
	if m.vp.TotalLineCount() > m.vp.Height() {
		pct = st.Muted.Render(strconv.Itoa(int(m.vp.ScrollPercent()*100)) + "%")
	}
	title = format.Cut(title, m.width-6)
	pad := max(m.width-lipgloss.Width(title)-lipgloss.Width(pct), 1)
	return title + strings.Repeat(" ", pad) + pct + "\n" + m.vp.View()
}
