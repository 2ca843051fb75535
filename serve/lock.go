package serve

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gofrs/flock"
)

// LockName is the file in the data folder that one `byova serve` holds while it runs.
const LockName = "serve.lock"

// ErrRunning reports that another `byova serve` holds the data folder.
var ErrRunning = errors.New("another byova serve is running")

// lockDataDir takes the data folder's serve lock without waiting and writes this PID into it,
// so a second start can name the process in its way. The returned func releases it.
func lockDataDir(dir string) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder %s: %w", dir, err)
	}
	path := filepath.Join(dir, LockName)
	fl := flock.New(path, flock.SetPermissions(0o600))
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !ok {
		pid := "unknown"
		if b, err := os.ReadFile(path); err == nil {
			if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && n > 0 {
				pid = strconv.Itoa(n)
			}
		}
		return nil, fmt.Errorf("%w on this data folder (PID %s holds %s): stop it first, or give it its own XDG_DATA_HOME", ErrRunning, pid, path)
	}
	if err := os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600); err != nil {
		_ = fl.Unlock()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() {
		_ = os.WriteFile(path, nil, 0o600) // no stale PID for the next start to name
		_ = fl.Unlock()
	}, nil
}
