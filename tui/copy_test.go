package tui

import (
	"errors"
	"strings"
	"testing"

	"github.com/byova/byova/ui/common"
	fixture "github.com/byova/byova/ui/uitest"
)

// Issue 11, bug 9: y on the error banner says the error was sent (byova cannot know that the
// terminal took OSC 52) and shows the trackingId to select by hand; an error without one does
// not claim a trackingId.
func TestCopyErrorSaysWhatWasSent(t *testing.T) {
	for _, tc := range []struct {
		name      string
		msg       common.ErrorMsg
		want, not string
	}{
		{"with trackingId", errorMsg400(), "trackingId ROUTER_65A1B2C3 · the error and its trackingId sent", "copied"},
		{"without", common.ErrorMsg{Op: "loading", Err: errors.New("connection refused")}, "(it has no trackingId) sent", "and its trackingId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := bare(t, 200, 30)
			m.Update(tc.msg)
			n, ok := fixture.Find[common.NoticeMsg](fixture.Run(hit(m, "y")))
			if !ok || !strings.Contains(n.Text, tc.want) || strings.Contains(n.Text, tc.not) {
				t.Fatalf("notice %q, want %q and not %q", n.Text, tc.want, tc.not)
			}
		})
	}
}

// Issue 11, bug 5: a notice never covers a form's or dialog's own keys.
func TestNoticeKeepsTheFormKeys(t *testing.T) {
	srv := fixture.NewServer()
	defer srv.Close()
	d := newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), NoColor: true}, 80, 24)
	d.press("n", "ctrl+r") // a new nonce: a notice while the form is open
	foot := d.plain()[strings.LastIndex(d.plain(), "\n")+1:]
	if !strings.HasPrefix(foot, "esc cancel") {
		t.Fatalf("the form's keys must stay in the footer: %q", foot)
	}
}
