package datasources

import (
	"context"
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
	fixture "github.com/byova/byova/ui/uitest"
)

// TestGolden renders the screen's states at 80x24 and 120x40 (the body the root gives it, with
// the footer's key hints under it) without colour and with a fixed clock. The root's goldens
// (tui/testdata) keep what the root draws around a body. Regenerate with:
// go test ./screens/datasources -run TestGolden -update
func TestGolden(t *testing.T) {
	views := []struct {
		name  string
		setup func(s *Screen)
	}{
		{"list", func(s *Screen) {}},
		{"list_filtered", func(s *Screen) { fixture.Press(s, "/"); fixture.TypeText(s, "callaudio"); fixture.Press(s, "enter") }},
		// The detail checks the token's signature in the background: its answer is fed back.
		{"detail", func(s *Screen) { fixture.Answer(s, fixture.Press(s, "j", "j", "enter")) }},
		{"detail_end", func(s *Screen) { fixture.Answer(s, fixture.Press(s, "enter")); fixture.Press(s, "G") }},
		{"register_form", func(s *Screen) { fixture.Press(s, "n") }},
		{"register_invalid", func(s *Screen) {
			fixture.Press(s, "n", "tab")
			fixture.TypeText(s, "plain.example.com")
			fixture.Press(s, "enter")
		}},
		{"register_http_warning", func(s *Screen) {
			fixture.Press(s, "n", "tab")
			fixture.TypeText(s, "http://plain.example.com")
			fixture.Press(s, "enter")
		}},
		{"register_confirm", func(s *Screen) {
			fixture.Press(s, "n", "tab")
			for _, v := range []string{"https://gw.example.com/new/grpc", "BYOVAGateway", "callAudioData"} {
				fixture.TypeText(s, v)
				fixture.Press(s, "enter")
			}
			fixture.Press(s, "enter")
		}},
		{"edit_form", func(s *Screen) { fixture.Press(s, "G", "k", "e") }},
		{"extend_confirm", func(s *Screen) { fixture.Press(s, "x") }},
		{"delete_confirm", func(s *Screen) { fixture.Press(s, "j", "d") }},
	}
	srv := fixture.NewServer()
	t.Cleanup(srv.Close) // not defer: the subtests run in parallel, after this returns
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		for _, v := range views {
			t.Run(fmt.Sprintf("%s_%dx%d", v.name, size[0], size[1]), func(t *testing.T) {
				t.Parallel() // each builds its own screen
				w, h := size[0], size[1]
				s := New(common.New(context.Background(), fixture.ServerSession(t, srv.URL+"/v1", false), styles.New(true), nil, fixture.Clock))
				s.SetSize(w, h-3)
				s.c.NewNonce = fixture.Nonces()
				loaded(s, fixture.DataSources())
				v.setup(s)
				fixture.CheckFits(t, s, w, h-3)
				golden.RequireEqual(t, fixture.Frame(s, s.c.Styles.Help(), w, h))
			})
		}
	}
}
