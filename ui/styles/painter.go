package styles

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// Painter applies an inline style (colours and attributes, no padding, width or border) by
// concatenation: the escape sequences the style wraps text in are worked out once, so hot paths
// such as table rows avoid a lipgloss.Render per cell.
type Painter struct{ pre, post string }

const paintMark = "\uE000" // private use: never in real text

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
