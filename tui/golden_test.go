package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	fixture "github.com/byova/byova/ui/uitest"
)

// TestGolden renders what the root draws at 80x24 and 120x40 without colour (Ascii profile) and
// a fixed clock: the frame around a body (header, tabs, the footer's global keys) and the help.
// The data sources screen's own states are its goldens (screens/datasources).
// Regenerate with: go test ./tui -run TestGolden -update
func TestGolden(t *testing.T) {
	srv := fixture.NewServer()
	defer srv.Close()
	views := []struct {
		name  string
		setup func(d *driver)
	}{
		{"list", func(d *driver) {}},
		{"help", func(d *driver) { d.press("?") }},
		{"help_filtered", func(d *driver) { d.press("?", "/"); d.typeText("sort") }},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, v := range views {
			t.Run(fmt.Sprintf("%s_%dx%d", v.name, size[0], size[1]), func(t *testing.T) {
				d := newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), Demo: true, NoColor: true}, size[0], size[1])
				v.setup(d)
				d.checkFits()
				golden.RequireEqual(t, d.frame())
			})
		}
	}
}

// TestGoldenStates renders the banner and the too-small screen.
func TestGoldenStates(t *testing.T) {
	srv := fixture.NewServer()
	defer srv.Close()
	t.Run("banner_80x24", func(t *testing.T) {
		d := newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), NoColor: true}, 80, 24)
		d.update(errorMsg400())
		d.checkFits()
		golden.RequireEqual(t, d.frame())
	})
	t.Run("too_small_59x19", func(t *testing.T) {
		d := newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), NoColor: true}, 59, 19)
		golden.RequireEqual(t, d.frame())
	})
	// A terminal without UTF-8 (LANG=C, TERM=vt100): every symbol and border in ASCII, the
	// layout unchanged.
	t.Run("ascii_extend_confirm_80x24", func(t *testing.T) {
		d := newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), NoColor: true, ASCII: true}, 80, 24)
		d.press("x")
		d.checkFits()
		frame := d.frame()
		for _, r := range frame {
			if r >= 0x80 {
				t.Fatalf("non-ASCII %q in the ASCII frame:\n%s", r, frame)
			}
		}
		golden.RequireEqual(t, frame)
	})
	t.Run("readonly_80x24", func(t *testing.T) {
		d := newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", true), NoColor: true}, 80, 24)
		d.press("n")
		golden.RequireEqual(t, d.frame())
	})
}

// TestGoldenCompact renders every screen at 60x20, half a tmux split: the compact layout
// (fewer columns, tabs by number, the header's values without their words) instead of
// "terminal too small".
func TestGoldenCompact(t *testing.T) {
	srv := fixture.NewServer()
	defer srv.Close()
	views := []struct {
		name  string
		setup func(d *driver)
	}{
		{"datasources", func(d *driver) {}},
		{"datasources_detail", func(d *driver) { d.press("enter") }},
		{"register_form", func(d *driver) { d.press("n") }},
		{"schemas", func(d *driver) { d.press("2") }},
		{"webhooks", func(d *driver) { d.press("3") }},
		{"auth", func(d *driver) { d.press("4") }},
		{"activity", func(d *driver) { d.press("5") }},
		{"help", func(d *driver) { d.press("?") }},
	}
	for _, v := range views {
		t.Run(v.name+"_60x20", func(t *testing.T) {
			d := newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), Demo: true, NoColor: true}, 60, 20)
			v.setup(d)
			d.checkFits()
			if strings.Contains(d.plain(), "too small") {
				t.Fatalf("60x20 is drawn, not refused:\n%s", d.plain())
			}
			golden.RequireEqual(t, d.frame())
		})
	}
}
