package config

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestKeysParse(t *testing.T) {
	data := `default_profile = "default"

[keys] # rebinds
extend = ["X"]
# a comment
quit = ["q", "ctrl+c"]

[profiles.default]
org = "o"
`
	f, err := parseFile("config.toml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	got := f.KeyBindings()
	want := []KeyBinding{{Action: "extend", Keys: []string{"X"}, Line: 4}, {Action: "quit", Keys: []string{"q", "ctrl+c"}, Line: 6}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i].Action != want[i].Action || !slices.Equal(got[i].Keys, want[i].Keys) || got[i].Line != want[i].Line {
			t.Errorf("binding %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if w := got[1].Where("config.toml"); w != "config.toml line 6" {
		t.Errorf("Where = %q", w)
	}

	// Saving (the o key's org switch) keeps [keys].
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := f.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Keys["quit"], []string{"q", "ctrl+c"}) || !slices.Equal(back.Keys["extend"], []string{"X"}) {
		t.Errorf("[keys] after a save: %v", back.Keys)
	}
}

func TestKeysDottedAtTheTop(t *testing.T) {
	f, err := parseFile("config.toml", []byte("\nkeys.extend = [\"X\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if b := f.KeyBindings(); len(b) != 1 || b[0].Line != 2 {
		t.Errorf("got %+v", b)
	}
}

func TestKeysErrors(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       []string
	}{
		{"empty list", "[keys]\nextend = []\n", []string{"config.toml: line 2: keys.extend is empty"}},
		{"blank key", "[keys]\n\nextend = [\"\"]\n", []string{"line 3: keys.extend has a blank key"}},
		{"twice", "[keys]\nreload = [\"r\", \"r\"]\n", []string{"line 2: keys.reload lists a key twice"}},
		{"a string, not a list", "[keys]\nextend = \"x\"\n", []string{"line 2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseFile("config.toml", []byte(tc.data))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q: %v", w, err)
				}
			}
		})
	}
}
