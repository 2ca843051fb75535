package dialog

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
	fixture "github.com/byova/byova/ui/uitest"
)

func TestAnswer(t *testing.T) {
	yes := func() tea.Cmd { return nil }
	for _, tc := range []struct {
		destructive bool
		key         string
		closed, ok  bool
	}{
		{false, "y", true, true}, {false, "enter", true, true}, {true, "enter", false, false}, {true, "y", true, true},
		{true, "Y", true, true}, {true, "n", true, false}, {false, "esc", true, false}, {false, "x", false, false},
	} {
		d := &Confirm{Action: "delete", Destructive: tc.destructive, OnConfirm: yes}
		then, closed := d.Answer(common.DefaultKeyMap(), fixture.Key(tc.key))
		if closed != tc.closed || (then != nil) != tc.ok {
			t.Errorf("destructive %v, %q: closed %v, confirms %v", tc.destructive, tc.key, closed, then != nil)
		}
	}
	if got := (&Confirm{Action: "delete", Destructive: true}).KeyMap(common.DefaultKeyMap())[0].Help().Key; got != "y" {
		t.Errorf("a destructive dialog offers %q", got)
	}
}

func TestViewFitsAndKeepsTheHint(t *testing.T) {
	st := styles.New(true)
	d := &Confirm{Title: "Delete it?", Action: "delete", Destructive: true,
		Rows: [][2]string{{"id", strings.Repeat("x", 200)}, {"name", "one"}}, Note: strings.Repeat("word ", 60)}
	for _, size := range [][2]int{{80, 24}, {80, 8}} {
		v := ansi.Strip(d.View(st, common.DefaultKeyMap(), size[0], size[1]))
		lines := strings.Split(v, "\n")
		if len(lines) > size[1] {
			t.Errorf("%v: %d lines", size, len(lines))
		}
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > size[0] {
				t.Errorf("%v: %d wide", size, w)
			}
		}
		if !strings.Contains(v, "y delete") || !strings.Contains(v, "n/esc cancel") {
			t.Errorf("%v: the key hint is missing:\n%s", size, v)
		}
	}
}

// A rebound confirm and cancel change both what answers the dialog and what its hint says.
func TestAnswerFollowsTheKeymap(t *testing.T) {
	k := common.DefaultKeyMap()
	if err := k.Rebind([]common.Rebinding{{Action: "confirm", Keys: []string{"ctrl+y", "enter"}}, {Action: "cancel", Keys: []string{"esc"}}}); err != nil {
		t.Fatal(err)
	}
	d := &Confirm{Action: "delete", Destructive: true, OnConfirm: func() tea.Cmd { return nil }}
	if _, closed := d.Answer(k, fixture.Key("y")); closed {
		t.Error("y still answers after confirm = [ctrl+y, enter]")
	}
	if then, closed := d.Answer(k, fixture.Key("ctrl+y")); !closed || then == nil {
		t.Error("ctrl+y does not confirm")
	}
	if _, closed := d.Answer(k, fixture.Key("n")); closed {
		t.Error("n still cancels after cancel = [esc]")
	}
	v := ansi.Strip(d.View(styles.New(true), k, 80, 24))
	if !strings.Contains(v, "ctrl+y delete") || !strings.Contains(v, "esc cancel") {
		t.Errorf("the hint does not follow the keymap:\n%s", v)
	}
}

// Click answers where View drew the answers, wherever the dialog sits.
func TestClickAnswers(t *testing.T) {
	st, k := styles.New(true), common.DefaultKeyMap()
	var got string
	yes := func() tea.Cmd { got = "yes"; return nil }
	no := func() tea.Cmd { got = "no"; return nil }
	answer := func(then func() tea.Cmd) string {
		got = ""
		if then != nil {
			then()
		}
		return got
	}
	for _, size := range [][2]int{{80, 24}, {60, 20}} {
		d := &Confirm{Title: "Extend?", Action: "extend", OnConfirm: yes, OnCancel: no, Rows: [][2]string{{"id", "one"}}}
		lines := strings.Split(ansi.Strip(d.View(st, k, size[0], size[1])), "\n")
		find := func(s string) (int, int) {
			for y, l := range lines {
				if i := strings.Index(l, s); i >= 0 {
					return ansi.StringWidth(l[:i]), y
				}
			}
			t.Fatalf("%q not drawn", s)
			return 0, 0
		}
		click := func(x, y int) (func() tea.Cmd, bool) {
			return d.Click(tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft})
		}
		cx, cy := find("n/esc cancel")
		yx, yy := find("y/enter extend")
		if then, closed := click(cx+len("n/esc cancel")-1, cy); !closed || answer(then) != "no" {
			t.Errorf("%v: a click on cancel: closed %v", size, closed)
		}
		if then, closed := click(yx, yy); !closed || answer(then) != "yes" {
			t.Errorf("%v: a click on y/enter: closed %v", size, closed)
		}
		for _, at := range [][2]int{{yx - 1, yy}, {cx + len("n/esc cancel"), cy}, {yx, yy - 1}} {
			if _, closed := click(at[0], at[1]); closed {
				t.Errorf("%v: a click at %v beside the answers closed the dialog", size, at)
			}
		}
	}
}

// Key closes the dialog before running what the answer does (a form's confirmation may open
// the form again: that must not be undone by the close), ignores other keys, and a nil
// dialog closes at once.
func TestKeyClosesThenRuns(t *testing.T) {
	k := common.DefaultKeyMap()
	var order []string
	d := &Confirm{Action: "save", OnConfirm: func() tea.Cmd { order = append(order, "confirm"); return nil }}
	closeIt := func() { order = append(order, "close") }
	d.Key(k, fixture.Key("x"), closeIt)
	if len(order) != 0 {
		t.Fatalf("another key did something: %v", order)
	}
	d.Key(k, fixture.Key("y"), closeIt)
	if strings.Join(order, ",") != "close,confirm" {
		t.Fatalf("y: %v, want close then confirm", order)
	}
	order = nil
	var none *Confirm
	none.Key(k, fixture.Key("x"), closeIt)
	none.Clicked(tea.MouseClickMsg{Button: tea.MouseLeft}, closeIt)
	if strings.Join(order, ",") != "close,close" {
		t.Fatalf("a nil dialog: %v, want it closed each time", order)
	}
}

// A dialog without rows (discard) has one blank line between its title and its note.
func TestNoRowsNoSecondBlank(t *testing.T) {
	d := Discard(nil, nil, nil)
	v := ansi.Strip(d.View(styles.New(true), common.DefaultKeyMap(), 80, 24))
	var inner []string
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "│") {
			inner = append(inner, strings.TrimSpace(strings.Trim(strings.TrimSpace(l), "│")))
		}
	}
	if len(inner) < 3 || !strings.HasPrefix(inner[0], "Discard") || inner[1] != "" || !strings.HasPrefix(inner[2], "Nothing has been sent") {
		t.Fatalf("title, one blank, note:\n%s", strings.Join(inner, "\n"))
	}
	if d := Discard([]string{"url"}, nil, nil); len(d.Rows) != 1 || d.Rows[0][1] != "url" {
		t.Fatalf("changed fields: %v", d.Rows)
	}
}
