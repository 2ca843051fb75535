package tui

import (
	"strings"
	"testing"

	fixture "github.com/byova/byova/ui/uitest"
)

// Issue 11, bug 4: read-only hides the write keys on the data sources screen, in the footer
// and in the help, on the list and in the detail, as the webhooks screen does.
func TestReadOnlyHidesWriteKeys(t *testing.T) {
	srv := fixture.NewServer()
	defer srv.Close()
	d := newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", true), NoColor: true}, 160, 40)
	writes := []string{"n new", "x extend", "e edit", "d delete"}
	check := func(where string) {
		t.Helper()
		footer := d.plain()[strings.LastIndex(d.plain(), "\n")+1:]
		for _, w := range writes {
			if strings.Contains(footer, w) {
				t.Errorf("%s: the footer offers %q in read-only:\n%s", where, w, footer)
			}
		}
		d.press("?")
		help := d.plain()
		for _, w := range []string{"new", "extend token", "edit", "delete"} {
			if strings.Contains(help, " "+w+"\n") || strings.Contains(help, " "+w+" ") {
				t.Errorf("%s: the help lists %q in read-only:\n%s", where, w, help)
			}
		}
		d.press("esc")
	}
	check("list")
	d.press("enter")
	check("detail")
}
