package styles

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// Painter applies an inline style (colours and attributes, no padding, width or border) by
// concatenation: the escape sequences the style wraps text in are worked out once, so hot paths
// such as table rows avoid a lipgloss.Render per cell.
type Painter struct{ pre, post string }

// paintMark is what a style is rendered around once, to find its escape sequences: one cell,
// printable, and never in them. It is below U+0300 on purpose: lipgloss measures what it
// renders, and the first rune above that makes go-runewidth fill its 2.2 MB table (5 ms
// here, mostly page faults), which, from the screens' constructors, delayed the first list
// request by as much; a frame that needs the table builds it while the list is on its way.
const paintMark = "\u00b6"

// NewPainter captures s.
func NewPainter(s lipgloss.Style) Painter {
	r := s.Render(paintMark)
	i := strings.Index(r, paintMark)
	if i < 0 {
		return Painter{}
	}
	return Painter{pre: r[:i], post: r[i+len(paintMark):]}
}

// Paint returns text in the style.
func (p Painter) Paint(text string) string {
	if p.pre == "" && p.post == "" {
		return text
	}
	return p.pre + text + p.post
}

// PaintTo writes text in the style to b.
func (p Painter) PaintTo(b *strings.Builder, text string) {
	b.WriteString(p.pre)
	b.WriteString(text)
	b.WriteString(p.post)
}
