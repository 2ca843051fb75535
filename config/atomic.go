package config

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

const (
	dirMode  os.FileMode = 0o700
	fileMode os.FileMode = 0o600
)

// failStep lets tests make one step of WriteFileAtomic fail ("create", "write", "sync",
// "rename"), which is otherwise hard to provoke when the tests run as root.
var failStep func(step string) error

func step(name string) error {
	if failStep == nil {
		return nil
	}
	return failStep(name)
}

// ensureDir creates dir and its parents with mode 0700. An existing folder is left as it is:
// it may be a shared one (a test's temp dir, a custom XDG path) that is not ours to tighten.
func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return fmt.Errorf("create folder %s: %w", dir, err)
	}
	return nil
}

// WriteFileAtomic replaces path with data so that readers see either the old or the new
// content, never a mix: it writes a 0600 temp file in the same folder (created 0700 if
// missing), fsyncs it, renames it over path and fsyncs the folder. If a step fails before the
// rename, the old file is untouched and the temp file is removed.
func WriteFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := ensureDir(dir); err != nil {
		return err
	}
	if err := step("create"); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// CreateTemp makes the file 0600, so the secret is never readable by others, not even briefly.
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w; check that the folder is writable", path, err)
	}
	tmpName := tmp.Name()
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmpName)
		}
	}()

	if err := step("write"); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := step("sync"); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: flush to disk: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := step("rename"); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		return fmt.Errorf("write %s: replace: %w", path, err)
	}
	// The new file is in place now (the deferred cleanup finds no temp file to remove). Without
	// the folder fsync a crash could still lose the rename itself.
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("write %s: saved, but flushing folder %s failed: %w", path, dir, err)
	}
	return nil
}

func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		// Windows cannot open a folder for fsync; NTFS journals the rename itself.
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
