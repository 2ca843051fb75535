package webhooks

import (
	"errors"
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/byova/byova/api"
	"github.com/byova/byova/ui/common"
	fixture "github.com/byova/byova/ui/uitest"
)

// TestGolden renders the screen's states at 80x24 and 120x40 (the body the root gives it,
// with the footer's key hints under it) without colour and with a fixed clock.
// Regenerate with: go test ./screens/webhooks -run TestGolden -update
func TestGolden(t *testing.T) {
	// A fresh list per use: the subtests run in parallel and a screen keeps (and updates) it.
	inactivePair := func() []api.Webhook {
		items := webhooks()
		items[1].Status = "inactive"
		return items
	}
	views := []struct {
		name  string
		setup func(s *Screen)
	}{
		{"list", func(s *Screen) { loaded(s, webhooks()) }},
		{"list_filtered", func(s *Screen) {
			loaded(s, webhooks())
			fixture.Press(s, "/")
			fixture.TypeText(s, "serviceapp")
			fixture.Press(s, "enter")
		}},
		{"filter_typing", func(s *Screen) { loaded(s, webhooks()); fixture.Press(s, "/"); fixture.TypeText(s, "bot") }},
		{"detail", func(s *Screen) { loaded(s, webhooks()); fixture.Press(s, "enter") }},
		{"detail_inactive", func(s *Screen) { loaded(s, webhooks()); fixture.Press(s, "G", "enter") }},
		{"create_form", func(s *Screen) { loaded(s, webhooks()); fixture.Press(s, "n") }},
		{"create_invalid", func(s *Screen) {
			loaded(s, webhooks())
			fixture.Press(s, "n", "tab")
			fixture.TypeText(s, "http://plain.example.com/hook")
			fixture.Press(s, "enter")
		}},
		{"create_secret", func(s *Screen) {
			loaded(s, webhooks())
			fixture.Press(s, "n")
			fillCreate(s, "Receiver", "https://receiver.example.com/webex", 0, 0, "")
			fixture.Press(s, "right", "enter")
		}},
		{"create_confirm", func(s *Screen) {
			loaded(s, webhooks())
			fixture.Press(s, "n")
			fillCreate(s, "Receiver", "https://receiver.example.com/webex", 1, 1, "id=Y2lzY29zcGFyazovL3VzL0FQUExJQ0FUSU9OL2FiYw")
			fixture.Press(s, "enter")
		}},
		{"created_secret_once", func(s *Screen) {
			loaded(s, webhooks())
			wh := webhooks()[2]
			wh.Name, wh.ID = "Receiver", "Y2lzY29zcGFyazovL3VzL1dFQkhPT0svcmVjZWl2ZXI"
			s.Update(fixture.Reply(s.c, s.c.BeginFor(Owner, common.KindWrite, "creating webhook").ID, writtenMsg{op: opCreate, wh: &wh, reveal: s.NewSecret()}, nil))
		}},
		{"edit_form", func(s *Screen) { loaded(s, webhooks()); fixture.Press(s, "e") }},
		{"edit_inactive", func(s *Screen) { loaded(s, webhooks()); fixture.Press(s, "G", "e") }},
		{"edit_confirm", func(s *Screen) {
			loaded(s, webhooks())
			fixture.Press(s, "G", "e", "ctrl+u")
			fixture.TypeText(s, "Message bot")
			fixture.Press(s, "enter", "enter", "right", "enter", "enter")
		}},
		{"delete_confirm", func(s *Screen) { loaded(s, webhooks()); fixture.Press(s, "d") }},
		{"ensure_form", func(s *Screen) { loaded(s, webhooks()); fixture.Press(s, "E") }},
		{"ensure_confirm", func(s *Screen) { loaded(s, inactivePair()); fixture.Press(s, "E", "enter", "enter") }},
		{"ensure_result", func(s *Screen) {
			items := inactivePair()
			loaded(s, items)
			fixture.Press(s, "E", "enter", "enter", "y")
			fresh := inactivePair()
			re := fresh[1]
			re.Status = "active"
			s.Update(fixture.Reply(s.c, s.lastWrite, ensuredMsg{target: eventsURL, reveal: s.NewSecret(), res: &api.EnsureResult{Existing: fresh[:1], Reactivated: []api.Webhook{re}}}, nil))
		}},
		{"empty", func(s *Screen) { loaded(s, nil) }},
		{"empty_readonly", func(s *Screen) { s.c.Session = readOnlySession(); loaded(s, nil) }},
		{"list_readonly", func(s *Screen) { s.c.Session = readOnlySession(); loaded(s, webhooks()) }},
		{"not_signed_in", func(s *Screen) {
			s.load()
			s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{}, &api.SignInError{Reason: "no Integration or personal access token: run `byova auth login` or set WEBEX_ACCESS_TOKEN"}))
		}},
		{"forbidden", func(s *Screen) {
			s.load()
			s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{}, &api.Error{Status: 403, Method: "GET", Path: "/v1/webhooks", Message: "Unauthorized",
				Details: []string{"The access token lacks the required scope: spark:all or application:webhooks_read"}, TrackingID: "ROUTER_6E1B0C2A"}))
		}},
		{"unreachable", func(s *Screen) {
			s.load()
			s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{}, &api.NetError{Op: "GET /v1/webhooks", Host: "webexapis.com", Err: errors.New("dial tcp: connection refused")}))
		}},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, v := range views {
			t.Run(fmt.Sprintf("%s_%dx%d", v.name, size[0], size[1]), func(t *testing.T) {
				t.Parallel() // each builds its own screen; the keys' waits add up otherwise
				w, h := size[0], size[1]
				s := newScreen(t, w, h-3)
				v.setup(s)
				fixture.CheckFits(t, s, w, h-3)
				golden.RequireEqual(t, fixture.Frame(s, s.c.Styles.Help(), w, h))
			})
		}
	}
}
