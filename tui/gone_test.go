package tui

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
)

// Issue 11, bug 10: a data source deleted elsewhere; x gets a 404 from Webex, the row goes
// and the footer says so. Issue 11, bug 6: a successful extend says the new expiry first.
func TestExtendOfAGoneRowDropsIt(t *testing.T) {
	_, s := fakeWebex(t, webexfake.Options{Seed: 1})
	d := newDriver(t, Options{Session: s, NoColor: true}, 80, 24)
	d.mustShow("Data sources 8")
	selected := func() *api.DataSource { return d.m.screens[0].(interface{ Selected() *api.DataSource }).Selected() }

	d.press("x", "y")
	foot := d.plain()[strings.LastIndex(d.plain(), "\n")+1:]
	if !regexp.MustCompile(`now expires \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ`).MatchString(foot) {
		t.Fatalf("the extend result must start with the new expiry (80 columns):\n%s", foot)
	}

	id := selected().ID
	cl, _, err := s.CurrentOrgClient()
	if err != nil {
		t.Fatal(err)
	}
	if err := cl.DeleteDataSource(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	d.press("x", "y")
	d.mustShow("Data sources 7", "is gone (deleted elsewhere)")
	if strings.Contains(d.plain(), "trackingId") {
		t.Fatalf("a row deleted elsewhere is no error banner:\n%s", d.plain())
	}
	if sel := selected(); sel != nil && sel.ID == id {
		t.Fatal("the gone row must leave the list")
	}
}
