package common

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
)

// KeyMap is byova's one keymap: every key the UI reacts to is one of these bindings, and the
// footer, the ? help and the hints in the text ("press n to register") are drawn from them, so
// what a key does and what the screen says about it cannot drift. A screen that needs other
// words for a key says them with As (same keys, its own description) or Either (two actions
// that do one thing there), never with a new key.Binding. [keys] in config.toml rebinds them
// (Rebind).
type KeyMap struct {
	// Global.
	Quit, ForceQuit, Help, NextScreen, PrevScreen, Screen1, Screen2, Screen3, Screen4, SwitchOrg key.Binding
	Command, Screen5                                                                             key.Binding // the : command line; activity
	Dismiss                                                                                      key.Binding // esc: close the banner, go back, clear, cancel a form

	// Movement.
	Up, Down, Top, Bottom, PageUp, PageDown key.Binding

	// Actions.
	Filter, Open, New, Edit, Delete, Extend, Ensure, Reload, Copy, Sort key.Binding
	Mark, ExtendDue                                                     key.Binding // data sources' bulk extend
	Probe, Call                                                         key.Binding // data sources' endpoint: neither writes

	// Dialogs and inputs: Accept ends a text input (keeps a filter, uses a pasted address,
	// closes a result), Confirm and Cancel answer a confirmation, Regenerate draws a new nonce
	// in a form.
	Accept, Confirm, Cancel, Regenerate key.Binding

	// The sign-in wizard's waiting and failed steps.
	CopyURL, Browser, Paste, Retry key.Binding
}

// DefaultKeyMap is the CLI spec's key table.
func DefaultKeyMap() *KeyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return &KeyMap{
		Quit:       b([]string{"q", "ctrl+c"}, "q", "quit"),
		ForceQuit:  b([]string{"ctrl+c"}, "ctrl+c", "quit, even in a form"),
		Help:       b([]string{"?"}, "?", "help"),
		NextScreen: b([]string{"tab"}, "tab", "next screen"),
		PrevScreen: b([]string{"shift+tab"}, "shift+tab", "previous screen"),
		Screen1:    b([]string{"1"}, "1", "data sources"),
		Screen2:    b([]string{"2"}, "2", "schemas"),
		Screen3:    b([]string{"3"}, "3", "webhooks"),
		Screen4:    b([]string{"4"}, "4", "auth & orgs"),
		Screen5:    b([]string{"5"}, "5", "activity"),
		SwitchOrg:  b([]string{"o"}, "o", "switch org / profile"),
		Command:    b([]string{":"}, ":", "command line"),
		Dismiss:    b([]string{"esc"}, "esc", "back / dismiss"),

		Up:       b([]string{"k", "up", "ctrl+p"}, "↑/k", "up"),
		Down:     b([]string{"j", "down", "ctrl+n"}, "↓/j", "down"),
		Top:      b([]string{"g", "home"}, "g", "top"),
		Bottom:   b([]string{"G", "end"}, "G", "bottom"),
		PageUp:   b([]string{"pgup", "ctrl+b"}, "pgup", "page up"),
		PageDown: b([]string{"pgdown", "ctrl+f"}, "pgdn", "page down"),

		Filter: b([]string{"/"}, "/", "filter"),
		Open:   b([]string{"enter"}, "enter", "details"),
		New:    b([]string{"n"}, "n", "new"),
		Edit:   b([]string{"e"}, "e", "edit"),
		Delete: b([]string{"d"}, "d", "delete"),
		Extend: b([]string{"x"}, "x", "extend token"),
		Ensure: b([]string{"E"}, "E", "ensure webhooks"),
		Reload: b([]string{"r"}, "r", "reload"),
		Copy:   b([]string{"y"}, "y", "copy ID"),
		Sort:   b([]string{"s"}, "s", "sort"),

		Mark:      b([]string{"space"}, "space", "mark"),
		ExtendDue: b([]string{"X"}, "X", "extend expiring"),
		Probe:     b([]string{"p"}, "p", "probe (no write)"),
		Call:      b([]string{"c"}, "c", "test call (no write)"),

		Accept:     b([]string{"enter"}, "enter", "done"),
		Confirm:    b([]string{"y", "Y", "enter"}, "y/enter", "confirm"),
		Cancel:     b([]string{"n", "N", "esc", "q"}, "n/esc", "cancel"),
		Regenerate: b([]string{"ctrl+r"}, "ctrl+r", "new nonce"),

		CopyURL: b([]string{"c", "y"}, "c", "copy address"),
		Browser: b([]string{"b"}, "b", "open browser"),
		Paste:   b([]string{"p", "enter"}, "p", "paste address"),
		Retry:   b([]string{"enter", "r"}, "enter", "try again"),
	}
}

// As is b described for where it is used ("back", "clear filter"): the same keys, so a
// rebinding reaches every place that shows it.
func As(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// Either is one hint for actions that do the same thing in a place (the auth screen's enter
// or r refreshes, ↑/↓ move): the keys of all, each named by its first key, described once.
func Either(desc string, bs ...key.Binding) key.Binding {
	var keys, labels []string
	for _, b := range bs {
		keys = append(keys, b.Keys()...)
		first, _, _ := strings.Cut(b.Help().Key, "/")
		labels = append(labels, first)
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(strings.Join(labels, "/"), desc))
}

// Without is b minus the given keys (a destructive confirmation never takes enter); its hint
// names what is left.
func Without(b key.Binding, drop ...string) key.Binding {
	keys := slices.DeleteFunc(slices.Clone(b.Keys()), func(k string) bool { return slices.Contains(drop, k) })
	if len(keys) == len(b.Keys()) {
		return b
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(label(keys), b.Help().Desc))
}

// Untyped is b without the keys that type text (k, j, g): what of it still works while a text
// input has focus.
func Untyped(b key.Binding) key.Binding {
	return Without(b, slices.DeleteFunc(slices.Clone(b.Keys()), func(k string) bool { return !printable(k) })...)
}

// label is the hint for keys set in config.toml: the keys joined by "/", a capital letter
// left out when its small one is there (y/Y is "y"), arrows as arrows.
func label(keys []string) string {
	var out []string
	for _, k := range keys {
		if len(k) == 1 && k != strings.ToLower(k) && slices.Contains(keys, strings.ToLower(k)) {
			continue
		}
		switch k {
		case "up":
			k = "↑"
		case "down":
			k = "↓"
		case "left":
			k = "←"
		case "right":
			k = "→"
		}
		out = append(out, k)
	}
	return strings.Join(out, "/")
}

// action is one rebindable name in [keys] and the scopes it is active in.
type action struct {
	name   string
	b      *key.Binding
	scopes []string
}

// Scopes: the keys active at the same time. Two actions of one scope must not share a key.
//   - screen: a screen's list or detail with the global keys;
//   - dialog: a confirmation; form: a form (huh has the other keys);
//   - input: a text input (a filter, the pasted address), where printable keys are text;
//   - picker: the org/profile picker; wait, failed, done: the sign-in wizard's steps.
const (
	scopeScreen = "screen"
	scopeDialog = "dialog"
	scopeForm   = "form"
	scopeInput  = "input"
	scopePicker = "picker"
	scopeWait   = "wait"
	scopeFailed = "failed"
	scopeDone   = "done"
)

// textScopes are where a printable key is typed text, so no action there may use one.
var textScopes = []string{scopeForm, scopeInput}

func (k *KeyMap) actions() []action {
	all := []string{scopeScreen, scopeDialog, scopeForm, scopeInput, scopePicker, scopeWait, scopeFailed, scopeDone}
	return []action{
		{"quit", &k.Quit, []string{scopeScreen, scopePicker, scopeWait, scopeFailed, scopeDone}},
		{"force_quit", &k.ForceQuit, all},
		{"help", &k.Help, []string{scopeScreen}},
		{"next_screen", &k.NextScreen, []string{scopeScreen}},
		{"prev_screen", &k.PrevScreen, []string{scopeScreen}},
		{"screen1", &k.Screen1, []string{scopeScreen}},
		{"screen2", &k.Screen2, []string{scopeScreen}},
		{"screen3", &k.Screen3, []string{scopeScreen}},
		{"screen4", &k.Screen4, []string{scopeScreen}},
		{"screen5", &k.Screen5, []string{scopeScreen}},
		{"command", &k.Command, []string{scopeScreen}},
		{"switch_org", &k.SwitchOrg, []string{scopeScreen, scopePicker}},
		{"dismiss", &k.Dismiss, []string{scopeScreen, scopeForm, scopeInput, scopePicker, scopeWait, scopeFailed, scopeDone}},
		{"up", &k.Up, []string{scopeScreen, scopePicker}},
		{"down", &k.Down, []string{scopeScreen, scopePicker}},
		{"top", &k.Top, []string{scopeScreen, scopePicker}},
		{"bottom", &k.Bottom, []string{scopeScreen, scopePicker}},
		{"page_up", &k.PageUp, []string{scopeScreen}},
		{"page_down", &k.PageDown, []string{scopeScreen}},
		{"filter", &k.Filter, []string{scopeScreen}},
		{"open", &k.Open, []string{scopeScreen}},
		{"new", &k.New, []string{scopeScreen}},
		{"edit", &k.Edit, []string{scopeScreen}},
		{"delete", &k.Delete, []string{scopeScreen}},
		{"extend", &k.Extend, []string{scopeScreen}},
		{"ensure", &k.Ensure, []string{scopeScreen}},
		{"reload", &k.Reload, []string{scopeScreen}},
		{"copy", &k.Copy, []string{scopeScreen}},
		{"sort", &k.Sort, []string{scopeScreen}},
		{"mark", &k.Mark, []string{scopeScreen}},
		{"extend_due", &k.ExtendDue, []string{scopeScreen}},
		{"probe", &k.Probe, []string{scopeScreen}},
		{"call", &k.Call, []string{scopeScreen}},
		{"accept", &k.Accept, []string{scopeInput, scopePicker, scopeDone}},
		{"confirm", &k.Confirm, []string{scopeDialog}},
		{"cancel", &k.Cancel, []string{scopeDialog}},
		{"regenerate", &k.Regenerate, []string{scopeForm}},
		{"copy_url", &k.CopyURL, []string{scopeWait}},
		{"browser", &k.Browser, []string{scopeWait}},
		{"paste", &k.Paste, []string{scopeWait}},
		{"retry", &k.Retry, []string{scopeFailed}},
	}
}

// Actions are the names [keys] in config.toml accepts, in the keymap's order.
func (k *KeyMap) Actions() []string {
	var out []string
	for _, a := range k.actions() {
		out = append(out, a.name)
	}
	return out
}

// Rebinding is one line of [keys]: an action, its new keys and where it was written (for the
// error). config.KeyBinding converts to it.
type Rebinding struct {
	Action string
	Keys   []string
	Where  string // "config.toml line 7"
}

// Rebind replaces the keys of the named actions. An unknown action, a key that is no key, a
// printable key where typing is text, and two actions of one scope sharing a key are errors
// that name the line; nothing is changed then.
func (k *KeyMap) Rebind(rs []Rebinding) error {
	next := *k
	acts := next.actions()
	where := map[string]string{}
	var errs []string
	for _, r := range rs {
		i := slices.IndexFunc(acts, func(a action) bool { return a.name == r.Action })
		if i < 0 {
			errs = append(errs, fmt.Sprintf("%s: keys.%s: no such action (actions: %s)", r.Where, r.Action, strings.Join(k.Actions(), ", ")))
			continue
		}
		bad := false
		for _, name := range r.Keys {
			if err := validKey(name); err != nil {
				errs = append(errs, fmt.Sprintf("%s: keys.%s: %v", r.Where, r.Action, err))
				bad = true
			}
		}
		if bad {
			continue
		}
		a := acts[i]
		*a.b = key.NewBinding(key.WithKeys(r.Keys...), key.WithHelp(label(r.Keys), a.b.Help().Desc))
		where[a.name] = r.Where
	}
	errs = append(errs, conflicts(acts, where)...)
	if w, ok := where["confirm"]; ok && len(Without(next.Confirm, "enter").Keys()) == 0 {
		errs = append(errs, fmt.Sprintf("%s: keys.confirm needs a key besides enter: a delete is confirmed only by a key you cannot press by accident", w))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	*k = next
	return nil
}

// conflicts lists, once per pair, the actions of one scope that share a key, and printable
// keys in scopes where typing is text. where names the lines of rebound actions.
func conflicts(acts []action, where map[string]string) []string {
	at := func(a action) string {
		if w, ok := where[a.name]; ok {
			return w
		}
		return "default"
	}
	var errs []string
	seen := map[string]bool{}
	for i, a := range acts {
		for _, b := range acts[i+1:] {
			if (a.name == "quit" && b.name == "force_quit") || !shareScope(a, b) {
				continue // quit and force_quit may share ctrl+c: they do the same
			}
			for _, kk := range a.b.Keys() {
				id := a.name + "|" + b.name + "|" + kk
				if slices.Contains(b.b.Keys(), kk) && !seen[id] && (where[a.name] != "" || where[b.name] != "") {
					seen[id] = true
					errs = append(errs, fmt.Sprintf("%s: key %q is bound to both %s (%s) and %s (%s), which are active at the same time; give one of them another key",
						firstOf(where[a.name], where[b.name]), kk, a.name, at(a), b.name, at(b)))
				}
			}
		}
		if where[a.name] == "" || !slices.ContainsFunc(a.scopes, func(s string) bool { return slices.Contains(textScopes, s) }) {
			continue
		}
		for _, kk := range a.b.Keys() {
			if printable(kk) {
				errs = append(errs, fmt.Sprintf("%s: keys.%s: %q would be typed as text in a form or filter; use a named key (esc, enter, f2) or one with ctrl+ or alt+", where[a.name], a.name, kk))
			}
		}
	}
	return errs
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func shareScope(a, b action) bool {
	return slices.ContainsFunc(a.scopes, func(s string) bool { return slices.Contains(b.scopes, s) })
}

func printable(k string) bool { return k == "space" || len([]rune(k)) == 1 }

// namedKeys are the key names Bubble Tea reports (KeyPressMsg.String) for keys without text.
var namedKeys = []string{"esc", "enter", "tab", "space", "backspace", "delete", "insert", "up", "down", "left", "right",
	"home", "end", "pgup", "pgdown", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12"}

// validKey accepts what KeyPressMsg.String can be: one character, or a named key, with
// ctrl+, alt+ and shift+ before it.
func validKey(k string) error {
	if k == "" || strings.TrimSpace(k) != k {
		return fmt.Errorf("%q is no key (blank or with spaces around it)", k)
	}
	base := k
	for {
		rest, ok := cutAny(base, "ctrl+", "alt+", "shift+")
		if !ok {
			break
		}
		base = rest
	}
	if len([]rune(base)) == 1 || slices.Contains(namedKeys, base) {
		return nil
	}
	return fmt.Errorf("%q is no key: use one character, or a name such as %s, optionally after ctrl+, alt+ or shift+", k, strings.Join(namedKeys[:6], ", "))
}

func cutAny(s string, prefixes ...string) (string, bool) {
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(s, p); ok && rest != "" {
			return rest, true
		}
	}
	return s, false
}
