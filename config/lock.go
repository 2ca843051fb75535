package config

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// ErrLocked reports that another process held a file's lock for longer than byova waits.
var ErrLocked = errors.New("file is locked by another process")

const (
	defaultLockTimeout = 10 * time.Second
	lockRetryDelay     = 20 * time.Millisecond
)

// lockPath is the sibling file that carries the advisory lock. The data file itself is replaced
// by rename on every write, so it cannot carry the lock.
func lockPath(path string) string { return path + ".lock" }

// acquireLock takes an inter-process lock on path's sibling ".lock" file (exclusive for
// writers, shared for readers), waiting at most timeout. The returned func releases it.
func acquireLock(path string, exclusive bool, timeout time.Duration) (unlock func(), err error) {
	if timeout <= 0 {
		timeout = defaultLockTimeout
	}
	lp := lockPath(path)
	if err := ensureDir(filepath.Dir(lp)); err != nil {
		return nil, err
	}
	fl := flock.New(lp, flock.SetPermissions(fileMode))

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var ok bool
	if exclusive {
		ok, err = fl.TryLockContext(ctx, lockRetryDelay)
	} else {
		ok, err = fl.TryRLockContext(ctx, lockRetryDelay)
	}
	switch {
	case err != nil && !errors.Is(err, context.DeadlineExceeded):
		_ = fl.Close()
		return nil, fmt.Errorf("lock %s: %w", lp, err)
	case !ok:
		_ = fl.Close()
		return nil, fmt.Errorf("%w: waited %s for %s; another byova is probably saving; try again when it is done",
			ErrLocked, timeout, lp)
	}
	return func() { _ = fl.Unlock() }, nil
}
