package common

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

func press(k string) tea.KeyPressMsg {
	switch k {
	case "ctrl+y":
		return tea.KeyPressMsg{Code: 'y', Mod: tea.ModCtrl}
	case "ctrl+e":
		return tea.KeyPressMsg{Code: 'e', Mod: tea.ModCtrl}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// The defaults must pass the same checks a config.toml does: every pair of actions active at
// once is checked as if both had been rebound.
func TestDefaultsHaveNoConflicts(t *testing.T) {
	k := DefaultKeyMap()
	where := map[string]string{}
	for _, name := range k.Actions() {
		where[name] = "default"
	}
	if errs := conflicts(k.actions(), where); len(errs) > 0 {
		t.Fatalf("the default keymap has conflicts:\n%s", strings.Join(errs, "\n"))
	}
	seen := map[string]bool{}
	for _, a := range k.actions() {
		if seen[a.name] || len(a.b.Keys()) == 0 || a.b.Help().Desc == "" {
			t.Errorf("action %q: duplicate, no key or no help", a.name)
		}
		seen[a.name] = true
	}
}

func TestRebind(t *testing.T) {
	k := DefaultKeyMap()
	err := k.Rebind([]Rebinding{
		{Action: "extend", Keys: []string{"ctrl+e"}, Where: "config.toml line 2"},
		{Action: "quit", Keys: []string{"q", "ctrl+c"}, Where: "config.toml line 3"},
		{Action: "up", Keys: []string{"w", "up"}, Where: "config.toml line 4"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !key.Matches(press("ctrl+e"), k.Extend) || key.Matches(press("x"), k.Extend) {
		t.Error("extend = [X]: X extends, x no more")
	}
	if h := k.Extend.Help(); h.Key != "ctrl+e" || h.Desc != "extend token" {
		t.Errorf("extend's hint is %q %q", h.Key, h.Desc)
	}
	if h := k.Up.Help().Key; h != "w/↑" {
		t.Errorf("up's hint is %q", h)
	}
	if got := As(k.Extend, "extend this one").Help(); got.Key != "ctrl+e" || got.Desc != "extend this one" {
		t.Errorf("As keeps the keys and changes the words: %+v", got)
	}
}

func TestRebindErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		rs   []Rebinding
		want []string
	}{
		{"unknown action", []Rebinding{{Action: "extnd", Keys: []string{"x"}, Where: "config.toml line 7"}},
			[]string{"config.toml line 7", "keys.extnd", "no such action", "extend"}},
		{"conflict with a default", []Rebinding{{Action: "extend", Keys: []string{"r"}, Where: "config.toml line 3"}},
			[]string{"config.toml line 3", `"r"`, "extend (config.toml line 3)", "reload (default)"}},
		{"conflict between two lines", []Rebinding{{Action: "new", Keys: []string{"a"}, Where: "line 2"}, {Action: "edit", Keys: []string{"a"}, Where: "line 3"}},
			[]string{`"a"`, "new (line 2)", "edit (line 3)"}},
		{"not a key", []Rebinding{{Action: "reload", Keys: []string{"ctlr+r"}, Where: "line 4"}},
			[]string{"line 4", `"ctlr+r" is no key`}},
		{"typed text in a filter", []Rebinding{{Action: "accept", Keys: []string{"l"}, Where: "line 5"}},
			[]string{"line 5", "keys.accept", "typed as text"}},
		{"a delete needs more than enter", []Rebinding{{Action: "confirm", Keys: []string{"enter"}, Where: "line 6"}},
			[]string{"line 6", "keys.confirm needs a key besides enter"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := DefaultKeyMap()
			err := k.Rebind(tc.rs)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q: %v", w, err)
				}
			}
			if !key.Matches(press("x"), k.Extend) || !key.Matches(press("r"), k.Reload) || !key.Matches(press("y"), k.Confirm) {
				t.Error("a failed rebinding changed the keymap")
			}
		})
	}
}

func TestWithoutAndUntyped(t *testing.T) {
	k := DefaultKeyMap()
	yes := Without(k.Confirm, "enter")
	if key.Matches(press("enter"), yes) || !key.Matches(press("y"), yes) || yes.Help().Key != "y" {
		t.Errorf("Without(confirm, enter) = %v %q", yes.Keys(), yes.Help().Key)
	}
	up := Untyped(k.Up)
	if key.Matches(press("k"), up) || len(up.Keys()) != 2 {
		t.Errorf("Untyped(up) = %v", up.Keys())
	}
}
