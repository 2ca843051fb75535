package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/byova/byova/tui/common"
	"github.com/byova/byova/tui/format"
)

// placeholder stands in for a screen that is not built yet (schemas, webhooks, auth & orgs).
// It says so plainly and points to what works today.
type placeholder struct {
	c             *common.Common
	title, hint   string
	width, height int
}

func newPlaceholder(c *common.Common, title, hint string) *placeholder {
	return &placeholder{c: c, title: title, hint: hint}
}

func (p *placeholder) Init() tea.Cmd                           { return nil }
func (p *placeholder) Update(tea.Msg) (common.Screen, tea.Cmd) { return p, nil }
func (p *placeholder) SetSize(w, h int)                        { p.width, p.height = w, h }
func (p *placeholder) KeyMap() []key.Binding                   { return nil }
func (p *placeholder) Title() string                           { return p.title }
func (p *placeholder) Capturing() bool                         { return false }

func (p *placeholder) View() string {
	st := p.c.Styles
	lines := []string{
		st.Title.Render(p.title),
		"",
		"This screen is not built yet.",
		p.hint,
		"",
		st.Muted.Render("Press 1 for data sources, ? for help, q to quit."),
	}
	for i, l := range lines {
		lines[i] = format.Cut(l, p.width)
	}
	body := strings.Join(lines, "\n")
	return lipgloss.Place(p.width, p.height, lipgloss.Center, lipgloss.Center, body)
}
