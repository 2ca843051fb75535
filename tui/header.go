package tui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/styles"
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
		brand := l1.String()
		user := func(u string) string {
			if u == "" {
				return brand + "  "
			}
			return brand + " " + st.Bold.Render(u) + "  "
		}
		// Over SSH "alice · operator" moves to the second line before the tabs lose their
		// names; only when the tabs do not fit even then do they go by number.
		tabs, spans := m.tabs(false)
		m.userBelow = false
		switch {
		case ansi.StringWidth(user(m.opts.User)+tabs) <= w:
			brand = user(m.opts.User)
		case ansi.StringWidth(user("")+tabs) <= w:
			brand, m.userBelow = user(""), true
		default:
			brand = user(m.opts.User)
			tabs, spans = m.tabs(true) // a narrow terminal: the other tabs by number only
		}
		l1.Reset()
		l1.WriteString(brand)
		at := ansi.StringWidth(l1.String())
		for i := range spans {
			spans[i][0] += at
			spans[i][1] += at
		}
		l1.WriteString(tabs)
		m.tabsSig, m.tabsLine, m.tabSpans = sig, format.Cut(l1.String(), w), spans
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

// tabs are the screen tabs; short names only the active one, the others by number. spans[i]
// is the cells tab i takes, from the start of the tabs, for a mouse click.
func (m *Model) tabs(short bool) (string, [][2]int) {
	st := m.c.Styles
	var b strings.Builder
	spans := make([][2]int, 0, len(m.screens))
	x := 0
	for i, s := range m.screens {
		label := strconv.Itoa(i+1) + " " + s.Title()
		var tab string
		switch {
		case i == m.active:
			tab = st.TabActive.Render("[" + label + "]")
		case short:
			tab = st.Tab.Render(" " + strconv.Itoa(i+1) + " ")
		default:
			tab = st.Tab.Render(" " + label + " ")
		}
		w := ansi.StringWidth(tab)
		spans = append(spans, [2]int{x, x + w})
		x += w
		b.WriteString(tab)
	}
	return b.String(), spans
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
	who := ""
	if m.userBelow && m.opts.User != "" {
		who = st.Bold.Render(m.opts.User) + sep
	}
	return who + label("profile") + st.Bold.Render(profile) + sep +
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
