package styles

import (
	"testing"

	"charm.land/lipgloss/v2"
)

func TestPainterMatchesRender(t *testing.T) {
	for _, st := range []lipgloss.Style{
		lipgloss.NewStyle(),
		lipgloss.NewStyle().Bold(true),
		lipgloss.NewStyle().Foreground(lipgloss.Color("2")),
		lipgloss.NewStyle().Foreground(lipgloss.Color("0")).Background(lipgloss.Color("6")),
		lipgloss.NewStyle().Reverse(true).Bold(true),
	} {
		for _, text := range []string{"✓ active", "▸ ✗ disabled  BankingVA  x", "  23h59m59s"} {
			if got, want := NewPainter(st).Paint(text), st.Render(text); got != want {
				t.Errorf("Paint(%q) = %q, Render = %q", text, got, want)
			}
		}
	}
}
