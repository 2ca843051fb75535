package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/ui/common"
	fixture "github.com/byova/byova/ui/uitest"
)

// The y notice says in full what happened at 80 columns, in shorter words at 60, and is
// never cut mid-sentence (issue 19, item 15).
func TestCopyNoticeFitsInWords(t *testing.T) {
	const id = "f9810fb7-f1b6-464c-9741-ac480d438ae8"
	for _, c := range []struct {
		w    int
		want string
	}{{120, "ID sent to the clipboard (OSC 52; if it did not arrive, select it here)"}, {80, id + " · ID copied (OSC 52; else select it here)"}, {60, id + " · copied"}} {
		m := bare(t, c.w, 24)
		for _, msg := range fixture.Run(common.Copy(id, "ID")) {
			if n, ok := msg.(common.NoticeMsg); ok {
				m.Update(n)
			}
		}
		f := ansi.Strip(m.footer())
		if !strings.Contains(f, c.want) || strings.Contains(f, "…") || ansi.StringWidth(f) > c.w {
			t.Errorf("%d columns: footer %q, want %q whole", c.w, f, c.want)
		}
	}
}

// Over SSH at 80 columns the tabs keep their names: "name · role" moves to the header's second
// line first (issue 19, item 15).
func TestSSHHeaderKeepsTabNamesAt80(t *testing.T) {
	srv := fixture.NewServer()
	defer srv.Close()
	d := newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), NoColor: true, User: "alice · operator"}, 80, 24)
	lines := strings.Split(d.plain(), "\n")
	if !strings.Contains(lines[0], "2 Schemas") || !strings.Contains(lines[0], "5 Activity") || !strings.Contains(lines[1], "alice · operator") {
		t.Fatalf("at 80 columns the tabs keep their names and the user moves to the second line:\n%s\n%s", lines[0], lines[1])
	}
	d = newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), NoColor: true, User: "alice · operator"}, 120, 24)
	if first, _, _ := strings.Cut(d.plain(), "\n"); !strings.Contains(first, "alice · operator") {
		t.Fatalf("with room the role shows: %q", first)
	}
}

// The : completion list fits 80 columns by leaving out the aliases (issue 19, item 15).
func TestCommandListFitsAt80(t *testing.T) {
	m := bare(t, 80, 24)
	hit(m, ":")
	hit(m, "tab")
	f := ansi.Strip(m.footer())
	if strings.Contains(f, "…") || !strings.Contains(f, "verify") || !strings.Contains(f, " q") || strings.Contains(f, "datasources") {
		t.Fatalf("the completion list at 80 columns: %q", f)
	}
}
