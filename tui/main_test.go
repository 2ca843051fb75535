package tui

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/adrg/xdg"
)

// TestMain keeps every XDG folder (the schema cache, token stores, logs) in a temporary
// directory: tests never write to the real home.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "byova-tui-test-")
	if err != nil {
		panic(err)
	}
	for _, k := range []string{"CONFIG", "DATA", "STATE", "CACHE"} {
		os.Setenv("XDG_"+k+"_HOME", filepath.Join(dir, k))
	}
	xdg.Reload()
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
