package config

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// KeyBinding is one line of [keys] in config.toml: an action of the terminal UI and the keys
// that do it, e.g. extend = ["x"]. Which actions exist and which keys clash is the UI's to
// know (ui/common.KeyMap.Rebind); config checks the shape and remembers the line.
type KeyBinding struct {
	Action string
	Keys   []string
	Line   int // 0: not found in the file (set in code)
}

// Where is the binding's place for an error message: "config.toml line 7".
func (b KeyBinding) Where(path string) string {
	if b.Line == 0 {
		return path + " [keys]"
	}
	return fmt.Sprintf("%s line %d", path, b.Line)
}

// KeyBindings are [keys]'s lines in file order.
func (f *File) KeyBindings() []KeyBinding {
	out := make([]KeyBinding, 0, len(f.Keys))
	for name, keys := range f.Keys {
		out = append(out, KeyBinding{Action: name, Keys: slices.Clone(keys), Line: f.keyLines[name]})
	}
	slices.SortFunc(out, func(a, b KeyBinding) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return strings.Compare(a.Action, b.Action)
	})
	return out
}

// checkKeys finds each [keys] line and rejects the shapes no keymap could use: an empty list,
// a blank key and a key listed twice for one action.
func (f *File) checkKeys(path string, data []byte) error {
	if len(f.Keys) == 0 {
		return nil
	}
	f.keyLines = keyLines(data)
	var errs []string
	for _, b := range f.KeyBindings() {
		switch {
		case len(b.Keys) == 0:
			errs = append(errs, fmt.Sprintf("line %d: keys.%s is empty; list at least one key, e.g. %s = [\"x\"], or remove the line", b.Line, b.Action, b.Action))
		case slices.Contains(b.Keys, ""):
			errs = append(errs, fmt.Sprintf("line %d: keys.%s has a blank key; remove it", b.Line, b.Action))
		default:
			sorted := slices.Sorted(slices.Values(b.Keys))
			if len(slices.Compact(sorted)) != len(b.Keys) {
				errs = append(errs, fmt.Sprintf("line %d: keys.%s lists a key twice; list each key once", b.Line, b.Action))
			}
		}
	}
	if len(errs) > 0 {
		return &fileError{path: path, msg: strings.Join(errs, "; ")}
	}
	return nil
}

// keyLines maps each action of [keys] (or of dotted keys.NAME lines at the top) to its line.
// The TOML is already known to be valid here, so a plain scan of "name =" lines is enough.
func keyLines(data []byte) map[string]int {
	out := map[string]int{}
	table := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), len(data)+1)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			head, _, _ := strings.Cut(strings.TrimLeft(line, "["), "]") // "[keys] # note"
			table = strings.TrimSpace(head)
			continue
		}
		name, _, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		name = strings.Trim(strings.TrimSpace(name), `"'`)
		switch {
		case table == "keys":
		case table == "":
			rest, ok := strings.CutPrefix(name, "keys.")
			if !ok {
				continue
			}
			name = strings.Trim(rest, `"'`)
		default:
			continue
		}
		if _, dup := out[name]; !dup {
			out[name] = n
		}
	}
	return out
}
