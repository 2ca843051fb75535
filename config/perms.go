package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
)

// ErrInsecureMode reports a file that other users may be able to read or change.
var ErrInsecureMode = errors.New("file permissions are too open")

// CheckPermissions reports, for `doctor`, a file whose mode is wider than 0600. A missing file
// is fine. byova still reads such a file, and its next write sets the mode back to 0600.
func CheckPermissions(path string) error {
	if runtime.GOOS == "windows" {
		// Unix mode bits mean nothing there; the user's profile ACL protects the files.
		return nil
	}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("check %s: %w", path, err)
	}
	if perm := fi.Mode().Perm(); perm&^fileMode != 0 {
		return fmt.Errorf("%w: %s has mode %04o, others may read it; run: chmod 600 %s",
			ErrInsecureMode, path, perm, path)
	}
	return nil
}
