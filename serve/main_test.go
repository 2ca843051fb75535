package serve

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/adrg/xdg"
)

// TestMain points the XDG folders at one temp dir for the whole package, set once: a console's
// commands may still read xdg's paths just after its test ends (they outlive the session, as a
// write in flight must), so the paths are never reloaded under them.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "byova-serve-test-")
	if err != nil {
		panic(err)
	}
	for _, k := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"} {
		os.Setenv(k, filepath.Join(dir, k))
	}
	xdg.Reload()
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
