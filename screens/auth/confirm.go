package auth

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/byova/byova/tui/format"
	"github.com/byova/byova/tui/styles"
)

// confirmDialog asks before logging out; only y does it.
type confirmDialog struct {
	title     string
	rows      [][2]string
	note      string
	action    string
	onConfirm func() tea.Cmd
}

func (d *confirmDialog) keyMap() []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("y"), key.WithHelp("y", d.action)),
		key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "cancel")),
	}
}

func (s *Screen) confirmKey(msg tea.KeyPressMsg) tea.Cmd {
	d := s.confirm
	switch msg.String() {
	case "y", "Y":
		s.confirm, s.mode = nil, modeList
		return d.onConfirm()
	case "n", "N", "esc", "q":
		s.confirm, s.mode = nil, modeList
		return nil
	}
	return nil
}

func (d *confirmDialog) view(st *styles.Styles, w, h int) string {
	boxW := min(w-4, 78)
	inner := boxW - 4
	labelW := 0
	for _, r := range d.rows {
		labelW = max(labelW, lipgloss.Width(r[0]))
	}
	lines := []string{st.Bold.Render(format.Cut(d.title, inner)), ""}
	for _, r := range d.rows {
		lines = append(lines, st.FieldName.Render(format.Fit(r[0], labelW))+"  "+format.Cut(r[1], inner-labelW-2))
	}
	if d.note != "" {
		lines = append(lines, "")
		lines = append(lines, strings.Split(wrap(d.note, inner), "\n")...)
	}
	lines = append(lines, "", st.Key.Render("y")+" "+d.action+st.Muted.Render("   ")+st.Key.Render("n/esc")+" cancel")
	box := st.Dialog.Width(boxW).Render(strings.Join(lines, "\n"))
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box)
}
