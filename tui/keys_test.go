package tui

import (
	"strings"
	"testing"

	"github.com/byova/byova/config"
	fixture "github.com/byova/byova/ui/uitest"
)

func keysFrom(t *testing.T, toml string) *config.File {
	t.Helper()
	path := t.TempDir() + "/config.toml"
	if err := config.WriteFileAtomic(path, []byte(toml)); err != nil {
		t.Fatal(err)
	}
	f, err := config.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// A rebinding in config.toml changes what the key does and what the footer and the help say.
func TestRebindingReachesKeysFooterAndHelp(t *testing.T) {
	k, err := Keys(keysFrom(t, "[keys]\nextend = [\"ctrl+e\"]\nhelp = [\"f1\"]\n"), "config.toml")
	if err != nil {
		t.Fatal(err)
	}
	srv := fixture.NewServer()
	defer srv.Close()
	d := newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), NoColor: true, Keys: k}, 160, 30)
	lines := strings.Split(d.plain(), "\n")
	footer := lines[len(lines)-1]
	if !strings.Contains(footer, "ctrl+e extend token") || strings.Contains(footer, "x extend token") ||
		!strings.Contains(footer, "f1 help") || strings.Contains(footer, "? help") {
		t.Fatalf("the footer does not follow [keys]:\n%s", footer)
	}
	d.press("x")
	if strings.Contains(d.plain(), "Extend the token of") {
		t.Fatal("x still extends after extend = [\"ctrl+e\"]")
	}
	d.press("ctrl+e")
	d.mustShow("Extend the token of")
	d.press("esc")
	d.press("?")
	if d.m.helpView != nil {
		t.Fatal("? still opens the help after help = [\"f1\"]")
	}
	d.press("f1")
	if d.m.helpView == nil {
		t.Fatal("f1 does not open the help")
	}
	d.mustShow("ctrl+e       extend token", "f1           help")
}

func TestKeysConflictNamesTheLine(t *testing.T) {
	_, err := Keys(keysFrom(t, "default_profile = \"default\"\n\n[keys]\nextend = [\"r\"]\n"), "config.toml")
	if err == nil {
		t.Fatal("extend = [r] clashes with reload and was accepted")
	}
	for _, w := range []string{"config.toml line 4", `"r"`, "extend", "reload"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q: %v", w, err)
		}
	}
	if _, err := Keys(keysFrom(t, "[keys]\nextnd = [\"x\"]\n"), "config.toml"); err == nil || !strings.Contains(err.Error(), "config.toml line 2: keys.extnd: no such action") {
		t.Errorf("an unknown action: %v", err)
	}
}
