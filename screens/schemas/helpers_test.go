package schemas

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/api"
	"github.com/byova/byova/schemacache"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/styles"
	fixture "github.com/byova/byova/ui/uitest"
)

// schemaList is the fixture list with dates and descriptions, as Webex sends them.
func schemaList() []api.Schema {
	out := fixture.Schemas()
	dates := []string{"2024-06-11T17:02:41.118Z", "2024-09-05T01:35:04.772Z", "2025-02-19T09:14:27.530Z"}
	desc := []string{"BYOVA media forking", "Generic web service data exchange", "BYOVA media streaming over WebSocket"}
	for i := range out {
		out[i].CreatedAt, out[i].Description = dates[i], desc[i]
		out[i].URL = "/schemas/" + strings.ToLower(out[i].ServiceType) + "/v1/definition"
	}
	return append(out, api.Schema{ID: "6e2d4a90-17bc-4f5e-a3d8-0b9c8e1f2a37", AppType: "integration", Protocol: "HTTPS",
		ServiceType: "agentAssist", CreatedAt: "2025-08-21T06:30:55.261Z", Description: "Agent assist suggestions"})
}

// newScreen builds the screen with no session, the fixture clock and no colour.
func newScreen(t testing.TB, w, h int) *Screen {
	t.Helper()
	c := common.New(context.Background(), nil, styles.New(true), nil, fixture.Clock)
	s := New(c)
	s.SetSize(w, h)
	return s
}

// loaded feeds the screen a successful answer to its latest load.
func loaded(s *Screen, items []api.Schema, fromCache bool) {
	s.load(false)
	at := fixture.Now
	if fromCache {
		at = fixture.Now.Add(-12 * time.Minute)
	}
	s.Update(common.Reply{ID: s.loadID, Payload: loadedMsg{res: schemacache.Result{Items: items, FetchedAt: at, FromCache: fromCache}}})
}

func press(s *Screen, keys ...string) tea.Cmd {
	var cmds []tea.Cmd
	for _, k := range keys {
		_, cmd := s.Update(fixture.Key(k))
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

func typeText(s *Screen, text string) {
	for _, k := range fixture.Type(text) {
		s.Update(k)
	}
}

func view(s *Screen) string { return ansi.Strip(s.View()) }

// frame is the body at the root's body size with the footer's key hints under it, through an
// Ascii colour profile.
func frame(s *Screen, w, h int) string {
	lines := strings.Split(s.View(), "\n")
	var b strings.Builder
	for i := range h - 3 {
		if i < len(lines) {
			b.WriteString(format.Cut(lines[i], w))
		}
		b.WriteByte('\n')
	}
	hm := help.New()
	hm.Styles = s.c.Styles.Help()
	hm.SetWidth(w)
	b.WriteString(hm.ShortHelpView(s.KeyMap()))
	var out bytes.Buffer
	cw := &colorprofile.Writer{Forward: &out, Profile: colorprofile.Ascii}
	_, _ = cw.WriteString(b.String())
	return out.String()
}

func checkFits(t testing.TB, s *Screen, w, h int) {
	t.Helper()
	lines := strings.Split(s.View(), "\n")
	if len(lines) > h {
		t.Errorf("%d lines for a body of %d", len(lines), h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("line %d is %d wide (body %d): %q", i, lw, w, ansi.Strip(l))
		}
	}
}

// run executes a command as the runtime would and returns its messages (batches flattened).
func run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, run(c)...)
		}
		return out
	}
	if msg == nil {
		return nil
	}
	return []tea.Msg{msg}
}

func findMsg[T any](msgs []tea.Msg) (T, bool) {
	for _, m := range msgs {
		if v, ok := m.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}

// cacheFile is where the UI caches schemas (after fixture.Isolate: the test's own folder).
func cacheFile() string { return schemacache.Default().File }

func cacheDirOf() string { return filepath.Dir(cacheFile()) }

func wheel(up bool) tea.MouseWheelMsg {
	if up {
		return tea.MouseWheelMsg{Button: tea.MouseWheelUp}
	}
	return tea.MouseWheelMsg{Button: tea.MouseWheelDown}
}
