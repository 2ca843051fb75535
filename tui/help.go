package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/styles"
)

// helpGroup is one section of the ? help.
type helpGroup struct {
	Title    string
	Bindings []key.Binding
}

// helpView is the full key reference. / focuses its filter (by key or description), where
// typing filters; without that focus q quits, as everywhere else. esc clears the filter, then
// closes; ? closes too when the filter is empty.
type helpView struct {
	c             *common.Common
	groups        []helpGroup
	filter        textinput.Model
	width, height int
	closed        bool
	quit          bool         // q without the filter's focus: quit byova
	sel           int          // the entry enter runs, among those shown
	chosen        *key.Binding // set when enter closed the help on an entry
}

func newHelpView(c *common.Common, groups []helpGroup) *helpView {
	ti := textinput.New()
	ti.Prompt = "filter: "
	ti.Placeholder = "press / to filter keys"
	ti.SetStyles(c.Styles.TextInput())
	return &helpView{c: c, groups: groups, filter: ti}
}

func (h *helpView) setSize(w, ht int) {
	h.width, h.height = w, ht
	h.filter.SetWidth(max(w-len(h.filter.Prompt)-2, 10))
}

func (h *helpView) update(msg tea.Msg) tea.Cmd {
	if press, ok := msg.(tea.KeyPressMsg); ok {
		k := h.c.Keys
		switch {
		case key.Matches(press, k.Dismiss):
			if h.filter.Value() != "" || h.filter.Focused() {
				h.filter.SetValue("")
				h.filter.Blur()
				h.filter.Placeholder = "press / to filter keys"
				h.sel = 0
				return nil
			}
			h.closed = true
			return nil
		case key.Matches(press, k.Help) && h.filter.Value() == "":
			h.closed = true
			return nil
		case !h.filter.Focused() && key.Matches(press, k.Filter):
			h.filter.Placeholder = "type to filter keys"
			return h.filter.Focus()
		case !h.filter.Focused() && key.Matches(press, k.Quit):
			h.quit, h.closed = true, true
			return nil
		case !h.filter.Focused() && key.Matches(press, k.Up):
			h.sel = max(h.sel-1, 0)
			return nil
		case !h.filter.Focused() && key.Matches(press, k.Down):
			h.sel = min(h.sel+1, max(len(h.visible())-1, 0))
			return nil
		case key.Matches(press, common.Untyped(k.Up)):
			h.sel = max(h.sel-1, 0)
			return nil
		case key.Matches(press, common.Untyped(k.Down)):
			h.sel = min(h.sel+1, max(len(h.visible())-1, 0))
			return nil
		case key.Matches(press, k.Accept):
			if vis := h.visible(); h.sel < len(vis) {
				b := vis[h.sel]
				h.chosen, h.closed = &b, true
			}
			return nil
		}
	}
	if _, ok := msg.(tea.KeyPressMsg); ok && !h.filter.Focused() {
		return nil // a key that is not the help's own: press / to type a filter
	}
	before := h.filter.Value()
	var cmd tea.Cmd
	h.filter, cmd = h.filter.Update(msg)
	if h.filter.Value() != before {
		h.sel = 0 // the first match is what enter runs
	}
	return cmd
}

// visible is the entries the filter lets through, in the order they are drawn.
func (h *helpView) visible() []key.Binding {
	q := strings.ToLower(strings.TrimSpace(h.filter.Value()))
	var out []key.Binding
	for _, g := range h.groups {
		seen := map[string]bool{}
		for _, b := range g.Bindings {
			id := b.Help().Key + "\x00" + b.Help().Desc
			if !b.Enabled() || b.Help().Key == "" || !matches(b, q) || seen[id] {
				continue
			}
			seen[id] = true
			out = append(out, b)
		}
	}
	return out
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
	head := []string{st.Title.Render("Keys"), h.filter.View(), ""}
	keyW := 12
	var blocks [][]string
	selRow := ""
	n := 0 // entries drawn so far, to find the selected one
	for _, g := range h.groups {
		var rows []string
		seen := map[string]bool{}
		for _, b := range g.Bindings {
			id := b.Help().Key + "\x00" + b.Help().Desc
			if !b.Enabled() || b.Help().Key == "" || !matches(b, q) || seen[id] {
				continue
			}
			seen[id] = true
			if n == h.sel {
				selRow = st.Selected.Render(styles.GlyphCursor + " " + format.Fit(b.Help().Key, keyW) + " " + b.Help().Desc)
				rows = append(rows, selRow)
			} else {
				rows = append(rows, "  "+st.Key.Render(format.Fit(b.Help().Key, keyW))+" "+st.KeyDesc.Render(b.Help().Desc))
			}
			n++
		}
		if len(rows) > 0 {
			blocks = append(blocks, append([]string{st.Bold.Render(g.Title)}, rows...))
		}
	}
	if len(blocks) == 0 {
		return strings.Join(append(head, st.Muted.Render("  no key matches \""+q+"\" (esc clears)")), "\n")
	}
	return strings.Join(append(head, columns(blocks, h.width, h.height-len(head), selRow, st.Muted.Render)...), "\n")
}

// columns packs the sections into side-by-side columns of at most ht lines, a section staying
// whole when it fits in one column.
func columns(blocks [][]string, w, ht int, selRow string, muted func(...string) string) []string {
	ht = max(ht, 2)
	var cols [][]string
	var cur []string
	for _, b := range blocks {
		if len(cur) > 0 && len(cur)+1+len(b) > ht {
			cols, cur = append(cols, cur), nil
		}
		if len(cur) > 0 {
			cur = append(cur, "")
		}
		for len(b) > ht { // a section taller than the screen continues in the next column
			room := ht - len(cur)
			cur = append(cur, b[:room]...)
			cols, cur, b = append(cols, cur), nil, b[room:]
		}
		cur = append(cur, b...)
	}
	if len(cur) > 0 {
		cols = append(cols, cur)
	}
	// As many columns as fit side by side; when there are more (a narrow terminal), the ones
	// around the selected entry, and a line that says more are there.
	const minColW = 30
	fit := max(w/minColW, 1)
	hidden := 0
	if len(cols) > fit {
		sel := 0
		for i, col := range cols {
			if selRow != "" && slices.Contains(col, selRow) {
				sel = i
			}
		}
		start := min(max(sel-fit+1, 0), len(cols)-fit)
		hidden = len(cols) - fit
		cols = cols[start : start+fit]
		for i := range cols { // room for the line below
			if len(cols[i]) >= ht {
				cols[i] = cols[i][:ht-1]
			}
		}
	}
	colW := max(w/max(len(cols), 1), minColW)
	var out []string
	for r := 0; r < ht; r++ {
		var b strings.Builder
		for c, col := range cols {
			cell := ""
			if r < len(col) {
				cell = col[r]
			}
			if c < len(cols)-1 {
				cell = format.Fit(cell, colW)
			}
			b.WriteString(cell)
		}
		line := strings.TrimRight(ansi.Truncate(b.String(), w, "…"), " ")
		out = append(out, line)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	if hidden > 0 {
		out = append(out, muted(fmt.Sprintf("  %d more column(s) of keys: ↑/↓ or / to filter", hidden)))
	}
	return out
}
