// Package xdgtest gives a test its own XDG folders. It is for tests only.
package xdgtest

import (
	"path/filepath"
	"testing"

	"github.com/adrg/xdg"
)

// Isolate points XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_STATE_HOME and XDG_CACHE_HOME at folders
// of a new temp dir and reloads xdg, and returns the temp dir. After the test, xdg is reloaded
// once the environment is back: the reload is registered before t.Setenv, because cleanups
// run last first. (Registered after it, the reload ran while the variables still named the
// temp dir, so later tests went on writing caches into a removed folder.)
func Isolate(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	t.Cleanup(xdg.Reload)
	for _, k := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"} {
		t.Setenv(k, filepath.Join(dir, k))
	}
	xdg.Reload()
	return dir
}
