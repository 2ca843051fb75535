package tui

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
)

// at finds text on the drawn frame: its line and the cell it starts at.
func (d *driver) at(text string) (x, y int) {
	d.t.Helper()
	for y, l := range strings.Split(d.plain(), "\n") {
		if i := strings.Index(l, text); i >= 0 {
			return ansi.StringWidth(l[:i]), y
		}
	}
	d.t.Fatalf("%q is not on the screen:\n%s", text, d.plain())
	return 0, 0
}

// click is a left click on the cell x, y of the frame.
func (d *driver) click(x, y int) {
	d.t.Helper()
	d.update(tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft})
	d.settle()
}

func (d *driver) selectedDS() *api.DataSource {
	return d.m.screens[ScreenDataSources].(interface{ Selected() *api.DataSource }).Selected()
}

// Issue 11: with --mouse, a click on a tab, a row or a dialog's answer does what its key does,
// at 80x24 and in the compact layout; where to click is read off the drawn frame.
func TestMouseClicks(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 20}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			fake, s := fakeWebex(t, webexfake.Options{Seed: 1})
			d := newDriver(t, Options{Session: s, NoColor: true, Mouse: true}, size[0], size[1])
			d.mustShow("Data sources 8")

			// Row 4 (the fourth drawn): the cursor goes there; a second click opens it.
			d.press("down", "down", "down")
			fourth := d.selectedDS()
			d.press("up", "up", "up")
			_, y := d.at(styles.GlyphCursor)
			d.click(10, y+3)
			if got := d.selectedDS(); got.ID != fourth.ID {
				t.Fatalf("a click on row 4 selected %s, want %s:\n%s", got.ID, fourth.ID, d.plain())
			}
			if strings.Contains(d.plain(), fourth.ID) {
				t.Fatalf("the first click only selects:\n%s", d.plain())
			}
			d.click(10, y+3)
			d.mustShow(fourth.ID) // the detail names the data source in full
			if !strings.Contains(d.plain(), "Registration") {
				t.Fatalf("a click on the selected row must open it:\n%s", d.plain())
			}
			d.press("esc")

			// The extend dialog's cancel answer closes it and sends nothing.
			d.press("x")
			d.mustShow("Extend the token of")
			fake.ResetRequests()
			x, y := d.at("n/esc")
			d.click(x+1, y)
			if strings.Contains(d.plain(), "Extend the token of") {
				t.Fatalf("a click on cancel must close the dialog:\n%s", d.plain())
			}
			for _, r := range fake.Requests() {
				if r.Method != "GET" {
					t.Fatalf("cancel sent %s %s", r.Method, r.Path)
				}
			}
			// A click beside the answers does nothing; on confirm, it extends.
			d.press("x")
			x, y = d.at("y/enter")
			d.click(x-3, y)
			d.mustShow("Extend the token of")
			d.click(x, y)
			d.mustShow("now expires")

			// Tab 3 in the header: screen 3.
			x, y = d.at("3")
			if y != 0 {
				t.Fatalf("tab 3 is not on the first line:\n%s", d.plain())
			}
			d.click(x, y)
			if d.m.Active() != ScreenWebhooks {
				t.Fatalf("a click on tab 3: screen %d, want %d", d.m.Active()+1, ScreenWebhooks+1)
			}
			x, _ = d.at(" 1 ")
			d.click(x+1, 0)
			if d.m.Active() != ScreenDataSources {
				t.Fatalf("a click on tab 1: screen %d", d.m.Active()+1)
			}
		})
	}
}

// Without --mouse a click changes nothing.
func TestClicksIgnoredWithoutMouse(t *testing.T) {
	_, s := fakeWebex(t, webexfake.Options{Seed: 1})
	d := newDriver(t, Options{Session: s, NoColor: true}, 80, 24)
	d.mustShow("Data sources 8")
	before := d.plain()
	x, y := d.at("3 ")
	d.click(x, y)
	_, ry := d.at(styles.GlyphCursor)
	d.click(10, ry+3)
	if d.m.Active() != ScreenDataSources || d.plain() != before {
		t.Fatalf("a click without --mouse changed the screen:\n%s", d.plain())
	}
	if d.m.View().MouseMode != tea.MouseModeNone {
		t.Fatal("without --mouse the terminal's mouse mode stays off")
	}
}

// Every list takes a click on its rows, below an error banner too (the body starts lower).
func TestMouseRowsOnEveryScreen(t *testing.T) {
	_, s := fakeWebex(t, webexfake.Options{Seed: 1})
	d := newDriver(t, Options{Session: s, NoColor: true, Mouse: true}, 80, 24)
	d.mustShow("Data sources 8")
	d.press("x", "y", "down", "x", "y") // two audit entries for the activity screen
	d.update(common.ErrorMsg{Op: "loading", Err: errors.New("connection refused")})
	d.mustShow("connection refused")
	for _, tc := range []struct {
		tab   string
		title string
		dy    int    // the row to click, from the cursor's
		want  string // the title's "P/N" once that row is selected
	}{
		{"2 Schemas", "Schemas", 1, "2/"},
		{"3 Webhooks", "Webhooks", 2, "3/4"},
		{"5 Activity", "Activity", 1, "2/2"},
		{"1 Data", "Data sources", -2, "6/8"}, // the two extended moved to the end

	} {
		x, y := d.at(tc.tab)
		if y != 0 {
			t.Fatalf("%q is not a tab", tc.tab)
		}
		d.click(x, 0)
		d.update(common.TickMsg{Time: d.m.c.Now()}) // the activity screen reads the log on a tick
		d.settle()
		d.mustShow(tc.title)
		_, y = d.at(styles.GlyphCursor)
		d.click(5, y+tc.dy)
		if !strings.Contains(strings.Split(d.plain(), "\n")[4], tc.want) {
			t.Fatalf("%s: a click on the row under the cursor; want %s in the title:\n%s", tc.title, tc.want, d.plain())
		}
	}
}
