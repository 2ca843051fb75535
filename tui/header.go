package tui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/tui/format"
	"github.com/byova/byova/tui/styles"
)

const (
	headerHeight = 2
	footerHeight = 1
)

// tokenWarn is when the header starts warning that the Service App token runs out. byova
// refreshes it on its own a minute before; a warning that stays means refreshing fails.
const tokenWarn = 5 * time.Minute

// writeHeader writes two lines: the brand, badges and screen tabs; then profile · org · token
// with the spinner on the right while anything is in flight.
func (m *Model) writeHeader(b *strings.Builder) {
	st, w := m.c.Styles, m.c.Width
	sig := strconv.Itoa(w) + "/" + strconv.Itoa(m.active) + "/" + strconv.FormatBool(m.c.ReadOnly())
	for _, s := range m.screens {
		sig += "/" + s.Title()
	}
	if sig != m.tabsSig {
		var l1 strings.Builder
		l1.WriteString(st.App.Render("byova"))
		if m.opts.Demo {
			l1.WriteString(" " + st.Demo.Render("DEMO"))
		}
		if m.c.ReadOnly() {
			l1.WriteString(" " + st.ReadOnly.Render("READ-ONLY"))
		}
		if m.opts.User != "" {
			l1.WriteString(" " + st.Bold.Render(m.opts.User))
		}
		l1.WriteString("  ")
		tabs := m.tabs(false)
		if ansi.StringWidth(l1.String()+tabs) > w {
			tabs = m.tabs(true) // a narrow terminal: the other tabs by number only
		}
		l1.WriteString(tabs)
		m.tabsSig, m.tabsLine = sig, format.Cut(l1.String(), w)
	}
	b.WriteString(m.tabsLine)
	b.WriteByte('\n')

	right := ""
	if busy, what := m.c.Busy(); busy {
		right = m.spin.View() + " " + st.Muted.Render(what+"…")
	}
	left := m.contextLine()
	room := w - ansi.StringWidth(right) - 1
	if room < 20 {
		right, room = "", w
	}
	left = format.Cut(left, room)
	b.WriteString(left)
	if right != "" {
		b.WriteString(strings.Repeat(" ", max(w-ansi.StringWidth(left)-ansi.StringWidth(right), 1)))
		b.WriteString(right)
	}
	b.WriteByte('\n')
}

// tabs are the screen tabs; short names only the active one, the others by number.
func (m *Model) tabs(short bool) string {
	st := m.c.Styles
	var b strings.Builder
	for i, s := range m.screens {
		label := strconv.Itoa(i+1) + " " + s.Title()
		switch {
		case i == m.active:
			b.WriteString(st.TabActive.Render("[" + label + "]"))
		case short:
			b.WriteString(st.Tab.Render(" " + strconv.Itoa(i+1) + " "))
		default:
			b.WriteString(st.Tab.Render(" " + label + " "))
		}
	}
	return b.String()
}

// contextLine is "profile P · org O · token T"; under 80 columns the words go, the values stay.
func (m *Model) contextLine() string {
	st := m.c.Styles
	sep := st.Muted.Render(" · ")
	profile := m.c.Profile()
	if profile == "" {
		profile = "—"
	}
	org := m.c.OrgLabel()
	if org == "" {
		org = "—"
	}
	label := func(s string) string {
		if m.c.Width < 80 {
			return ""
		}
		return st.Muted.Render(s + " ")
	}
	return label("profile") + st.Bold.Render(profile) + sep +
		label("org") + st.Bold.Render(org) + sep +
		label("token") + tokenCell(st, m.c.TokenExpiry, m.c.Now())
}

// tokenCell renders the token's remaining life with a glyph and a word when it is short.
func tokenCell(st *styles.Styles, exp, now time.Time) string {
	if exp.IsZero() {
		return st.ExpiryUnknown.Render(styles.GlyphUnknown + " unknown")
	}
	left := exp.Sub(now)
	switch {
	case left <= 0:
		return st.ExpiryExpired.Render(styles.GlyphExpired + " expired")
	case left < tokenWarn:
		return st.ExpirySoon.Render(styles.GlyphSoon + " " + format.Remaining(left) + " left")
	}
	return st.ExpiryOK.Render(format.Remaining(left))
}
