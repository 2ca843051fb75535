package xdgtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adrg/xdg"
)

// TestPathsComeBack: after an isolated test, xdg's folders are the ones the environment
// names again, not the removed temp dir.
func TestPathsComeBack(t *testing.T) {
	before := xdg.CacheHome
	var dir string
	t.Run("isolated", func(t *testing.T) {
		dir = Isolate(t)
		if !strings.HasPrefix(xdg.CacheHome, dir) {
			t.Fatalf("cache home %q is not under %q", xdg.CacheHome, dir)
		}
		if os.Getenv("XDG_CACHE_HOME") != filepath.Join(dir, "XDG_CACHE_HOME") {
			t.Fatal("XDG_CACHE_HOME not set")
		}
	})
	if strings.HasPrefix(xdg.CacheHome, dir) {
		t.Fatalf("after the test xdg still names the removed temp dir: %q", xdg.CacheHome)
	}
	if xdg.CacheHome != before {
		t.Fatalf("cache home %q, was %q", xdg.CacheHome, before)
	}
}
