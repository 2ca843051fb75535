package webhooks

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/api"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/styles"
	fixture "github.com/byova/byova/ui/uitest"
)

// The fixture webhooks: one of each state the list must show, around the fixture clock.
const (
	idAuthorized   = "Y2lzY29zcGFyazovL3VzL1dFQkhPT0svYXV0aG9yaXplZA"
	idDeauthorized = "Y2lzY29zcGFyazovL3VzL1dFQkhPT0svZGVhdXRob3JpemVk"
	idDataSources  = "Y2lzY29zcGFyazovL3VzL1dFQkhPT0svZGF0YXNvdXJjZXM"
	idMessages     = "Y2lzY29zcGFyazovL3VzL1dFQkhPT0svbWVzc2FnZXM"
	fixtureSecret  = "f1x7ur3-s3cr3t-0f-th3-s3rv1c3app-h00ks"
	eventsURL      = "https://hooks.example.com/byova/webex-events"
)

func webhooks() []api.Webhook {
	at := func(d time.Duration) string { return fixture.Now.Add(-d).Format(time.RFC3339) }
	return []api.Webhook{
		{ID: idAuthorized, Name: "BYOVA Service App authorized", TargetURL: eventsURL, Resource: "serviceApp", Event: "authorized",
			Secret: fixtureSecret, Status: "active", Created: at(60 * 24 * time.Hour), OwnedBy: "creator", OrgID: "Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9kZXY", CreatedBy: "Y2lzY29zcGFyazovL3VzL1BFT1BMRS9kZXY", AppID: "Y2lzY29zcGFyazovL3VzL0FQUExJQ0FUSU9OL3BvcnRhbA"},
		{ID: idDeauthorized, Name: "BYOVA Service App deauthorized", TargetURL: eventsURL, Resource: "serviceApp", Event: "deauthorized",
			Secret: fixtureSecret, Status: "active", Created: at(60 * 24 * time.Hour), OwnedBy: "creator"},
		{ID: idDataSources, Name: "Data source changes", TargetURL: "https://hooks.example.com/byova/datasources", Resource: "dataSources", Event: "updated",
			Status: "active", Created: at(45 * 24 * time.Hour), OwnedBy: "creator"},
		{ID: idMessages, Name: "Old message bot", TargetURL: "https://bot.example.com/webex/messages/with/a/rather/long/path/to/the/handler", Resource: "messages", Event: "created",
			Filter: "roomId=Y2lzY29zcGFyazovL3VzL1JPT00vMTIz", Status: "inactive", Created: at(200 * 24 * time.Hour), OwnedBy: "creator"},
	}
}

// newScreen builds the screen with no session (requests fail at once), the fixture clock, no
// colour and a counting secret generator.
func newScreen(t testing.TB, w, h int) *Screen {
	t.Helper()
	c := common.New(context.Background(), nil, styles.New(true), nil, fixture.Clock)
	s := New(c)
	n := 0
	s.NewSecret = func() string {
		n++
		return "generated-secret-" + strings.Repeat("x", 14) + string(rune('0'+n))
	}
	s.SetSize(w, h)
	return s
}

// loaded feeds the screen a successful answer to its latest load.
func loaded(s *Screen, items []api.Webhook) {
	s.load()
	s.Update(common.Reply{ID: s.loadID, Payload: loadedMsg{items: items}})
}

// press sends keys one by one; huh's own messages go back into the screen as the runtime
// would deliver them, everything else is returned as a command replaying those messages.
func press(s *Screen, keys ...string) tea.Cmd {
	var out []tea.Msg
	for _, k := range keys {
		_, cmd := s.Update(fixture.Key(k))
		out = append(out, drain(s, cmd)...)
	}
	if len(out) == 0 {
		return nil
	}
	var cmds []tea.Cmd
	for _, m := range out {
		cmds = append(cmds, func() tea.Msg { return m })
	}
	return tea.Batch(cmds...)
}

func typeText(s *Screen, text string) {
	for _, k := range fixture.Type(text) {
		_, cmd := s.Update(k)
		drain(s, cmd)
	}
}

// drain runs cmd's tree until nothing more arrives for a moment; timers are left behind.
// drain runs cmd's tree until nothing more arrives for a moment; timers are left behind.
func drain(s *Screen, cmd tea.Cmd) []tea.Msg {
	update := func(m tea.Msg) tea.Cmd { _, c := s.Update(m); return c }
	return fixture.Drain(update, cmd)
}

func run(cmd tea.Cmd) []tea.Msg { return fixture.Run(cmd) }

func findMsg[T any](msgs []tea.Msg) (T, bool) { return fixture.Find[T](msgs) }

func view(s *Screen) string { return ansi.Strip(s.View()) }

// frame is the body as the root would draw it at w×h (header and footer lines taken off), the
// footer's key hints under it, through an Ascii colour profile: readable golden files.
func frame(s *Screen, w, h int) string {
	bodyH := h - 3
	lines := strings.Split(s.View(), "\n")
	var b strings.Builder
	for i := range bodyH {
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

// checkFits fails when a line of the body is wider than w or there are more than h lines.
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

func wheel(up bool) tea.MouseWheelMsg {
	if up {
		return tea.MouseWheelMsg{Button: tea.MouseWheelUp}
	}
	return tea.MouseWheelMsg{Button: tea.MouseWheelDown}
}

func mustList(t testing.TB, cl *api.Client) []api.Webhook {
	t.Helper()
	items, err := cl.ListWebhooks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return items
}
