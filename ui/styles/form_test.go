package styles

import (
	"strings"
	"testing"

	"charm.land/huh/v2"
)

// TestFormUsesTheAppPalette: forms are drawn in byova's ANSI palette (cyan accent), never in
// huh's own truecolor purple and pink.
func TestFormUsesTheAppPalette(t *testing.T) {
	s := New(false)
	var name string
	f := huh.NewForm(huh.NewGroup(
		huh.NewInput().Title("Audience").Placeholder("BYOVAGateway").Value(&name),
		huh.NewSelect[string]().Title("Schema").Options(huh.NewOptions("a", "b")...),
	)).WithTheme(s.Form())
	f.Init()
	v := f.View()
	if strings.Contains(v, "38;2;") || strings.Contains(v, "48;2;") {
		t.Fatalf("the form carries truecolor (huh's palette):\n%q", v)
	}
	if !strings.Contains(v, "\x1b[1;36m") && !strings.Contains(v, "36m") {
		t.Fatalf("the form's title is not in the accent colour (cyan):\n%q", v)
	}
}
