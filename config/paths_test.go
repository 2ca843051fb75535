package config

import (
	"path/filepath"
	"testing"

	"github.com/byova/byova/config/xdgtest"
)

// setXDG points every XDG base folder into a temp dir and reloads xdg; the paths go back to
// normal after the test (the reload is registered first so it runs after the env is restored).
func setXDG(t *testing.T) string {
	t.Helper()
	root := xdgtest.Isolate(t)
	return root
}

func TestPaths(t *testing.T) {
	root := setXDG(t)
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"config", ConfigFile(), filepath.Join(root, "XDG_CONFIG_HOME", "byova", "config.toml")},
		{"tokens", TokenFile(), filepath.Join(root, "XDG_DATA_HOME", "byova", "tokens.json")},
		{"audit", AuditLogFile(), filepath.Join(root, "XDG_STATE_HOME", "byova", "audit.log")},
		{"debug", DebugLogFile(), filepath.Join(root, "XDG_STATE_HOME", "byova", "byova.log")},
		{"cache", CacheDir(), filepath.Join(root, "XDG_CACHE_HOME", "byova")},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, tt.got, tt.want)
		}
	}
}
