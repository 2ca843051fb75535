package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/tui/common"
	"github.com/byova/byova/tui/format"
)

// helpGroup is one section of the ? help.
type helpGroup struct {
	Title    string
	Bindings []key.Binding
}

// helpView is the full key reference. Typing filters it (by key or description); esc clears
// the filter, then closes; ? closes too when the filter is empty.
type helpView struct {
	c             *common.Common
	groups        []helpGroup
	filter        textinput.Model
	width, height int
	closed        bool
}

func newHelpView(c *common.Common, groups []helpGroup) *helpView {
	ti := textinput.New()
	ti.Prompt = "filter: "
	ti.Placeholder = "type to filter keys"
	ti.SetStyles(c.Styles.TextInput())
	ti.Focus()
	return &helpView{c: c, groups: groups, filter: ti}
}

func (h *helpView) setSize(w, ht int) {
	h.width, h.height = w, ht
	h.filter.SetWidth(max(w-len(h.filter.Prompt)-2, 10))
}

func (h *helpView) update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "esc":
			if h.filter.Value() != "" {
				h.filter.SetValue("")
				return nil
			}
			h.closed = true
			return nil
		case "?":
			if h.filter.Value() == "" {
				h.closed = true
				return nil
			}
		case "enter":
			return nil
		}
	}
	var cmd tea.Cmd
	h.filter, cmd = h.filter.Update(msg)
	return cmd
}

// matches reports whether a binding fits the filter.
func matches(b key.Binding, q string) bool {
	if q == "" {
		return true
	}
	hl := b.Help()
	if strings.Contains(strings.ToLower(hl.Desc), q) || strings.Contains(strings.ToLower(hl.Key), q) {
		return true
	}
	for _, k := range b.Keys() {
		if strings.ToLower(k) == q {
			return true
		}
	}
	return false
}

func (h *helpView) view() string {
	st := h.c.Styles
	q := strings.ToLower(strings.TrimSpace(h.filter.Value()))
	lines := []string{st.Title.Render("Keys"), h.filter.View(), ""}
	keyW := 12
	found := 0
	for _, g := range h.groups {
		var rows []string
		seen := map[string]bool{}
		for _, b := range g.Bindings {
			if !b.Enabled() || b.Help().Key == "" || !matches(b, q) || seen[b.Help().Key+b.Help().Desc] {
				continue
			}
			seen[b.Help().Key+b.Help().Desc] = true
			rows = append(rows, "  "+st.Key.Render(format.Fit(b.Help().Key, keyW))+" "+st.KeyDesc.Render(b.Help().Desc))
		}
		if len(rows) == 0 {
			continue
		}
		found += len(rows)
		lines = append(lines, st.Bold.Render(g.Title))
		lines = append(lines, rows...)
		lines = append(lines, "")
	}
	if found == 0 {
		lines = append(lines, st.Muted.Render("no key matches "+q+" (esc clears)"))
	}
	return columns(lines, h.width, h.height)
}

// columns lays lines out in as many columns as the height requires and the width allows.
func columns(lines []string, w, ht int) string {
	if len(lines) <= ht || ht < 4 {
		return strings.Join(lines, "\n")
	}
	head, rest := lines[:3], lines[3:]
	per := ht - len(head)
	colW := 40
	ncol := max(w/colW, 1)
	out := append([]string{}, head...)
	for r := 0; r < per; r++ {
		var b strings.Builder
		for c := 0; c < ncol; c++ {
			i := c*per + r
			if i >= len(rest) {
				break
			}
			cell := rest[i]
			if c < ncol-1 {
				cell = format.Fit(cell, colW)
			}
			b.WriteString(cell)
		}
		out = append(out, strings.TrimRight(b.String(), " "))
	}
	return strings.Join(out, "\n")
}
