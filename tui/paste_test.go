package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	fixture "github.com/byova/byova/ui/uitest"
)

// Issue 11, bug 2: a bracketed paste (tea.PasteMsg) filters as typing does, on every list
// screen, and lands in the form's fields.
func TestPasteFiltersAndFills(t *testing.T) {
	srv := fixture.NewServer()
	defer srv.Close()
	d := newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), NoColor: true}, 100, 30)
	d.press("/")
	d.update(tea.PasteMsg{Content: "callaudio"})
	d.press("enter")
	d.mustShow(`filter "callaudio"`, "3 of 6")
	d.press("esc")

	d.press("n", "tab")
	d.update(tea.PasteMsg{Content: "https://pasted.example.com/grpc"})
	d.mustShow("https://pasted.example.com/grpc")
	d.press("esc", "y")

	for _, scr := range []struct{ key, query, want string }{
		{"2", "webservice", "1 of 3"},
	} {
		d.press(scr.key, "/")
		d.update(tea.PasteMsg{Content: scr.query})
		d.press("enter")
		d.mustShow(`filter "`+scr.query+`"`, scr.want)
		d.press("esc")
	}
}
