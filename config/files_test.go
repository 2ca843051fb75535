//go:build unix

package config

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// TestLockFileIsNeverFollowed: a link (or anything but a plain file) where the lock file
// belongs is refused with a clear error, and what it points at is left alone.
func TestLockFileIsNeverFollowed(t *testing.T) {
	s := newTestStore(t)
	if err := s.Update(addSecret("k", "v")); err != nil {
		t.Fatal(err)
	}
	lock := s.Path() + ".lock"
	target := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.Remove(lock); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, lock); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{"update": s.Update(addSecret("k2", "v")), "load": loadErr(s)} {
		if !errors.Is(err, ErrLockFile) || !strings.Contains(err.Error(), "symbolic link") || !strings.Contains(err.Error(), "rm "+lock) {
			t.Errorf("%s: got %v, want ErrLockFile naming the link and the fix", name, err)
		}
	}
	if _, err := os.Lstat(target); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the link's target was created: %v", err)
	}
	// O_NOFOLLOW itself, for a link swapped in after the check.
	if _, err := lockFileOpenOnly(lock); !isSymlinkErr(err) {
		t.Errorf("opening the link: %v, want ELOOP", err)
	}

	_ = os.Remove(lock)
	if err := syscall.Mkfifo(lock, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(addSecret("k3", "v")); !errors.Is(err, ErrLockFile) || !strings.Contains(err.Error(), "named pipe") {
		t.Errorf("a pipe as the lock file: %v", err)
	}
	_ = os.Remove(lock)
	if err := os.Mkdir(lock, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(addSecret("k3", "v")); !errors.Is(err, ErrLockFile) || !strings.Contains(err.Error(), "a folder") {
		t.Errorf("a folder as the lock file: %v", err)
	}
}

func loadErr(s *Store) error { _, err := s.Load(); return err }

func lockFileOpenOnly(p string) (*os.File, error) {
	return os.OpenFile(p, os.O_CREATE|os.O_RDONLY|noFollow, 0o600)
}

// TestStaleTempFilesAreSwept: a writer killed between creating its temp file and renaming it
// leaves a full copy of the secrets; the next write, under the lock, removes it. Files that
// only look alike stay.
func TestStaleTempFilesAreSwept(t *testing.T) {
	s := newTestStore(t)
	if err := s.Update(addSecret("k", "v")); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(s.Path())
	leftovers := []string{".tokens.json.tmp-123456", ".tokens.json.tmp-9"}
	keep := []string{".tokens.json.tmp-notdigits", "tokens.json.tmp-1", ".other.json.tmp-1"}
	for _, n := range append(append([]string{}, leftovers...), keep...) {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(`{"secret":"copy"}`), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	outside := filepath.Join(t.TempDir(), "not-ours")
	if err := os.WriteFile(outside, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, ".tokens.json.tmp-77")); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(addSecret("k2", "v")); err != nil {
		t.Fatal(err)
	}
	for _, n := range leftovers {
		if _, err := os.Lstat(filepath.Join(dir, n)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s survived the write", n)
		}
	}
	for _, n := range append(keep, ".tokens.json.tmp-77") {
		if _, err := os.Lstat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s was removed: %v", n, err)
		}
	}
	if _, err := os.Stat(outside); err != nil {
		t.Errorf("a link's target was touched: %v", err)
	}

	// config.toml the same way.
	cfg := filepath.Join(t.TempDir(), "byova", "config.toml")
	if err := UpdateFile(cfg, func(*File) error { return nil }); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(filepath.Dir(cfg), ".config.toml.tmp-42")
	_ = os.WriteFile(stale, []byte("x"), 0o600)
	if err := UpdateFile(cfg, func(f *File) error { f.DefaultProfile = "p"; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Error("config.toml's leftover temp file survived")
	}
}

// TestOpenFolderIsTightened: a data folder others may write to is set back to 0700 on the next
// write, and byova says so once.
func TestOpenFolderIsTightened(t *testing.T) {
	var mu sync.Mutex
	var notes []string
	SetNotifier(func(msg string) { mu.Lock(); notes = append(notes, msg); mu.Unlock() })
	t.Cleanup(func() { SetNotifier(nil) })

	s := newTestStore(t)
	if err := s.Update(addSecret("k", "v")); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(s.Path())
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := s.Update(addSecret("k", string(rune('a'+i)))); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			_ = os.Chmod(dir, 0o755) // opened again: fixed again, but said only once
		}
	}
	assertMode(t, dir, 0o700)
	if len(notes) != 1 || !strings.Contains(notes[0], dir+" had mode 0777") || !strings.Contains(notes[0], "0700") {
		t.Errorf("notes %q, want one saying the folder was set back to 0700", notes)
	}
}

// TestNullEntriesNamed: null where a profile or an org's token belongs is refused on load and
// on update, naming the entry and the fix, and the file is left as it was.
func TestNullEntriesNamed(t *testing.T) {
	for doc, entry := range map[string]string{
		`{"version":1,"profiles":{"default":{"orgs":{"63b02f90-9cc6-43b8-aa6d-cad425ac554c":null}}}}`: `profiles."default".orgs."63b02f90-9cc6-43b8-aa6d-cad425ac554c" is null`,
		`{"version":1,"profiles":{"p\u001b[2J":null}}`:                                                `profiles."p\x1b[2J" is null`,
		`null`: "holds null",
	} {
		s := newTestStore(t)
		_ = os.MkdirAll(filepath.Dir(s.Path()), 0o700)
		if err := os.WriteFile(s.Path(), []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, err := range []error{loadErr(s), s.Update(addSecret("k", "v"))} {
			if !errors.Is(err, ErrCorruptTokens) || !strings.Contains(err.Error(), entry) || !strings.Contains(err.Error(), "mv "+s.Path()) {
				t.Errorf("%s: got %v, want the entry %s named with the fix", doc, err, entry)
			}
		}
		if after, _ := os.ReadFile(s.Path()); string(after) != doc {
			t.Errorf("the file was changed: %s", after)
		}
	}
}

// TestRefreshLock: one holder per token at a time, a wait that ends with the caller's
// context, a file per token whatever the profile is called, and the store usable meanwhile.
func TestRefreshLock(t *testing.T) {
	s := newTestStore(t)
	unlock, err := s.LockRefresh(context.Background(), "../../etc\n", KindServiceApp, "63b02f90-9cc6-43b8-aa6d-cad425ac554c")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errors.New("gave up"))
	if _, err := s.LockRefresh(ctx, "../../etc\n", KindServiceApp, "63b02f90-9cc6-43b8-aa6d-cad425ac554c"); err == nil || !strings.Contains(err.Error(), "gave up") {
		t.Errorf("a second holder while the first holds it: %v", err)
	}
	other, err := s.LockRefresh(context.Background(), "../../etc\n", KindIntegration, "")
	if err != nil {
		t.Fatalf("another token's refresh must not wait: %v", err)
	}
	other()
	if err := s.Update(addSecret("k", "v")); err != nil {
		t.Fatalf("the store while a refresh is under way: %v", err)
	}
	unlock()
	again, err := s.LockRefresh(context.Background(), "../../etc\n", KindServiceApp, "63b02f90-9cc6-43b8-aa6d-cad425ac554c")
	if err != nil {
		t.Fatal(err)
	}
	again()
	matches, _ := filepath.Glob(s.Path() + ".refresh-*.lock")
	if len(matches) != 2 {
		t.Errorf("refresh lock files %v, want one per token beside the store", matches)
	}
}
