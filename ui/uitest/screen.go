package uitest

import (
	"bytes"
	"strings"
	"testing"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/format"
)

// DrainScreen is Drain with s's Update taking huh's own messages back.
func DrainScreen(s common.Screen, cmd tea.Cmd) []tea.Msg {
	return Drain(func(m tea.Msg) tea.Cmd { _, c := s.Update(m); return c }, cmd)
}

// Press sends keys to s one by one. Each key's commands run at once (DrainScreen): huh's own
// messages go back into the screen as the runtime would deliver them, and everything else is
// returned, as a command that replays those messages, for the test to look at (nil when there
// were none).
func Press(s common.Screen, keys ...string) tea.Cmd {
	var out []tea.Msg
	for _, k := range keys {
		_, cmd := s.Update(Key(k))
		out = append(out, DrainScreen(s, cmd)...)
	}
	if len(out) == 0 {
		return nil
	}
	cmds := make([]tea.Cmd, 0, len(out))
	for _, m := range out {
		cmds = append(cmds, func() tea.Msg { return m })
	}
	return tea.Batch(cmds...)
}

// TypeText types text into s a key at a time; what the keys' commands answer is dropped but
// for huh's own messages, which go back into the screen.
func TypeText(s common.Screen, text string) {
	for _, k := range Type(text) {
		_, cmd := s.Update(k)
		DrainScreen(s, cmd)
	}
}

// View is s's body without colour or styling.
func View(s common.Screen) string { return ansi.Strip(s.View()) }

// Frame is s's body as the root would draw it at w×h (the header and footer lines taken off),
// the footer's key hints under it (in hs, the screen's help styles), through an Ascii colour
// profile: readable golden files.
func Frame(s common.Screen, hs help.Styles, w, h int) string {
	lines := strings.Split(s.View(), "\n")
	var b strings.Builder
	for i := range h - 3 {
		if i < len(lines) {
			b.WriteString(format.Cut(lines[i], w))
		}
		b.WriteByte('\n')
	}
	hm := help.New()
	hm.Styles = hs
	hm.SetWidth(w)
	b.WriteString(hm.ShortHelpView(s.KeyMap()))
	var out bytes.Buffer
	cw := &colorprofile.Writer{Forward: &out, Profile: colorprofile.Ascii}
	_, _ = cw.WriteString(b.String())
	return out.String()
}

// CheckFits fails t when s's body has more than h lines or a line wider than w.
func CheckFits(t testing.TB, s common.Screen, w, h int) {
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

// Wheel is one notch of the mouse wheel, up or down.
func Wheel(up bool) tea.MouseWheelMsg {
	if up {
		return tea.MouseWheelMsg{Button: tea.MouseWheelUp}
	}
	return tea.MouseWheelMsg{Button: tea.MouseWheelDown}
}

// Answer runs cmd and gives s every message it answers with, and the answers of the commands
// those return, until none is left (timers are dropped): a screen's background requests, done.
func Answer(s common.Screen, cmd tea.Cmd) {
	for msgs := DrainScreen(s, cmd); len(msgs) > 0; {
		var next []tea.Msg
		for _, m := range msgs {
			_, c := s.Update(m)
			next = append(next, DrainScreen(s, c)...)
		}
		msgs = next
	}
}
