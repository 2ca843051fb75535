package tui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/styles"
)

// footer is one line: a notice while one is showing, else the key hints of what is on screen.
// The hints change only with the mode, so the rendered line is kept until they do.
func (m *Model) footer() string {
	st, w := m.c.Styles, m.c.Width
	if m.cmdline != nil {
		return m.cmdline.view(m)
	}
	if m.notice != "" && !m.dialogOpen() {
		return format.Cut(st.Notice.Render(styles.GlyphNotice+" "+m.noticeFitting(w-2)), w)
	}
	hints, always := m.hints()
	if m.notice != "" {
		// A form or dialog keeps its own keys; the notice gets the room they leave.
		keys := m.help.ShortHelpView(hints)
		if room := w - ansi.StringWidth(keys) - 3; room > 10 {
			return format.Cut(keys+"   "+format.Cut(st.Notice.Render(styles.GlyphNotice+" "+m.noticeFitting(room-2)), room), w)
		}
	}
	var sig strings.Builder
	sig.WriteString(strconv.Itoa(w))
	for _, b := range append(hints, always...) {
		if b.Enabled() {
			sig.WriteByte(0)
			sig.WriteString(b.Help().Key)
			sig.WriteByte(1)
			sig.WriteString(b.Help().Desc)
		}
	}
	if sig.String() == m.footerSig {
		return m.footerLine
	}
	line := m.help.ShortHelpView(hints)
	if len(always) > 0 {
		// ? and q always show: the screen's hints get what is left.
		tail := m.help.ShortHelpView(always)
		h := m.help
		hw := w - ansi.StringWidth(tail) - 3
		h.SetWidth(hw)
		// bubbles' help keeps an item that overflows when not even its "…" would fit after the
		// one before: drop hints until the line leaves room for ? and q.
		for len(hints) > 1 && ansi.StringWidth(h.ShortHelpView(hints)) > hw {
			hints = hints[:len(hints)-1]
		}
		line = h.ShortHelpView(hints) + m.help.Styles.ShortSeparator.Render(m.help.ShortSeparator) + tail
	}
	m.footerSig, m.footerLine = sig.String(), format.Cut(line, w)
	return m.footerLine
}

// dialogOpen reports that a form or dialog has the keys (its footer hints are how to leave it).
func (m *Model) dialogOpen() bool {
	return m.helpView == nil && m.screens[m.active].Capturing()
}

// hints are the footer's keys: what applies now, and the ones that always show.
func (m *Model) hints() (hints, always []key.Binding) {
	k := m.c.Keys
	if m.helpView != nil {
		if m.helpView.filter.Focused() {
			// "type" is no key: it says that typing filters the help.
			return []key.Binding{
				common.As(k.Dismiss, "clear filter"),
				key.NewBinding(key.WithKeys("type"), key.WithHelp("type", "to filter")),
				key.NewBinding(key.WithKeys("enter"), key.WithHelp("↑/↓ enter", "run the key")),
			}, nil
		}
		return []key.Binding{
			common.As(k.Dismiss, "close help"), k.Filter,
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("↑/↓ enter", "run the key")), k.Quit,
		}, nil
	}
	scr := m.screens[m.active]
	hints = scr.KeyMap()
	if scr.Capturing() {
		return hints, nil
	}
	if m.banner != nil {
		hints = append([]key.Binding{common.As(k.Dismiss, "dismiss error"), common.As(k.Copy, "copy error")}, hints...)
	}
	return hints, []key.Binding{k.Help, k.Quit}
}

// noticeFitting is the notice in the most words that fit w cells: its shorter forms are tried
// before anything is cut.
func (m *Model) noticeFitting(w int) string {
	if ansi.StringWidth(m.notice) <= w {
		return m.notice
	}
	for _, t := range m.noticeShorter {
		if ansi.StringWidth(t) <= w {
			return t
		}
	}
	if n := len(m.noticeShorter); n > 0 {
		return m.noticeShorter[n-1]
	}
	return m.notice
}
