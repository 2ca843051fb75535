package schemas

import (
	"errors"
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/byova/byova/api"
	"github.com/byova/byova/ui/common"
	fixture "github.com/byova/byova/ui/uitest"
)

// TestGolden renders the screen's states at 80x24 and 120x40 (the body the root gives it, with
// the footer's key hints under it) without colour and with a fixed clock.
// Regenerate with: go test ./screens/schemas -run TestGolden -update
func TestGolden(t *testing.T) {
	views := []struct {
		name  string
		setup func(s *Screen)
	}{
		{"list", func(s *Screen) { loaded(s, schemaList(), true) }},
		{"list_fresh", func(s *Screen) { loaded(s, schemaList(), false) }},
		{"list_filtered", func(s *Screen) {
			loaded(s, schemaList(), true)
			fixture.Press(s, "/")
			fixture.TypeText(s, "voice")
			fixture.Press(s, "enter")
		}},
		{"filter_typing", func(s *Screen) { loaded(s, schemaList(), true); fixture.Press(s, "/"); fixture.TypeText(s, "grpc") }},
		{"detail", func(s *Screen) { loaded(s, schemaList(), true); fixture.Press(s, "enter") }},
		{"loading", func(s *Screen) { s.load(false) }},
		{"not_signed_in", func(s *Screen) {
			s.load(false)
			s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{}, &api.SignInError{Reason: "no Service App token for org 63b02f90-9cc6-43b8-aa6d-cad425ac554c"}))
		}},
		{"unreachable", func(s *Screen) {
			s.load(false)
			s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{}, &api.NetError{Op: "GET /v1/dataSources/schemas", Host: "webexapis.com", Err: errors.New("dial tcp: i/o timeout")}))
		}},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, v := range views {
			t.Run(fmt.Sprintf("%s_%dx%d", v.name, size[0], size[1]), func(t *testing.T) {
				w, h := size[0], size[1]
				s := newScreen(t, w, h-3)
				v.setup(s)
				fixture.CheckFits(t, s, w, h-3)
				golden.RequireEqual(t, fixture.Frame(s, s.c.Styles.Help(), w, h))
			})
		}
	}
}
