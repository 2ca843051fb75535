package config

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// sweepTemps removes the temp files that WriteFileAtomic left beside path when a process died
// between creating one and renaming it (kill -9, a power cut): each is a full copy of the
// secrets it was saving.
//
// The caller holds path's exclusive lock. Every byova writer creates its temp file only while
// holding that lock and renames or removes it before letting go, so under the lock no live
// writer owns one: whatever matches is left over. Only regular files named exactly like
// os.CreateTemp names them (".NAME.tmp-" and digits) go; a link is never followed.
func sweepTemps(path string) {
	dir, prefix := filepath.Dir(path), "."+filepath.Base(path)+".tmp-"
	entries, err := os.ReadDir(dir)
	if err != nil {
		return // the write that follows reports an unreadable folder
	}
	for _, e := range entries {
		name := e.Name()
		rest, ok := strings.CutPrefix(name, prefix)
		if !ok || rest == "" || strings.Trim(rest, "0123456789") != "" || !e.Type().IsRegular() {
			continue
		}
		_ = os.Remove(filepath.Join(dir, name))
	}
}

// tightenDir sets dir, the folder byova keeps a file of its own in, back to 0700 when others
// may read or change it (0777 lets anyone replace tokens.json or config.toml by rename), and
// says so once.
func tightenDir(dir string) {
	if runtime.GOOS == "windows" {
		return // mode bits mean nothing there; the profile's ACL protects the folder
	}
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return
	}
	perm := fi.Mode().Perm()
	if perm&^dirMode == 0 {
		return
	}
	if err := os.Chmod(dir, dirMode); err != nil {
		noticeOnce("chmod "+dir, "folder "+dir+" has mode "+octal(perm)+", so others may read or replace the files in it, and setting it to 0700 failed ("+
			err.Error()+"): run chmod 700 "+dir)
		return
	}
	noticeOnce("chmod "+dir, "folder "+dir+" had mode "+octal(perm)+", so others could read or replace the files in it: set it to 0700")
}

func octal(m os.FileMode) string { return fmt.Sprintf("%04o", m.Perm()) }
