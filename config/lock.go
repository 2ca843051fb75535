package config

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/gofrs/flock"
)

// ErrLocked reports that another process held a file's lock for longer than byova waits.
var ErrLocked = errors.New("file is locked by another process")

// ErrLockFile reports a lock file that is not a plain file: a symbolic link, a folder, a
// device or a pipe. byova never follows or uses one, since a link planted there could make
// it create or lock a file elsewhere.
var ErrLockFile = errors.New("lock file is not a regular file")

const (
	defaultLockTimeout = 10 * time.Second
	// A token refresh may be two grants and a POST /applications/{id}/token, each allowed
	// 30 s by the API client, so the refresh lock is waited for much longer than the store's.
	defaultRefreshLockTimeout = 2 * time.Minute
	lockRetryDelay            = 20 * time.Millisecond
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
	return lockFile(context.Background(), lockPath(path), exclusive, timeout,
		"another byova is probably saving; try again when it is done")
}

// lockFile locks lp, a lock file of its own, waiting at most timeout or until ctx ends.
// The file is opened without following a symbolic link and must be a regular file.
func lockFile(ctx context.Context, lp string, exclusive bool, timeout time.Duration, busy string) (unlock func(), err error) {
	if err := ensureDir(filepath.Dir(lp)); err != nil {
		return nil, err
	}
	if err := checkLockFile(lp); err != nil {
		return nil, err
	}
	// O_NOFOLLOW closes the gap between the check above and the open; O_NONBLOCK keeps a
	// pipe swapped in meanwhile from blocking the open (its mode is refused just below).
	fl := flock.New(lp, flock.SetPermissions(fileMode), flock.SetFlag(os.O_CREATE|os.O_RDONLY|noFollow))

	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var ok bool
	if exclusive {
		ok, err = fl.TryLockContext(wctx, lockRetryDelay)
	} else {
		ok, err = fl.TryRLockContext(wctx, lockRetryDelay)
	}
	switch {
	case err != nil && ctx.Err() != nil:
		_ = fl.Close()
		return nil, fmt.Errorf("waiting for %s: %w", lp, context.Cause(ctx))
	case err != nil && isSymlinkErr(err):
		_ = fl.Close()
		return nil, notRegular(lp, "a symbolic link")
	case err != nil && !errors.Is(err, context.DeadlineExceeded):
		_ = fl.Close()
		return nil, fmt.Errorf("lock %s: %w", lp, err)
	case !ok:
		_ = fl.Close()
		return nil, fmt.Errorf("%w: waited %s for %s; %s", ErrLocked, timeout, lp, busy)
	}
	// The check before the open may have raced a swap; the open file is what counts.
	if fi, err := fl.Stat(); err != nil || !fi.Mode().IsRegular() {
		_ = fl.Close()
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", lp, err)
		}
		return nil, notRegular(lp, describeMode(fi.Mode()))
	}
	return func() { _ = fl.Close() }, nil
}

func checkLockFile(lp string) error {
	fi, err := os.Lstat(lp)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("lock %s: %w", lp, err)
	case !fi.Mode().IsRegular():
		return notRegular(lp, describeMode(fi.Mode()))
	}
	return nil
}

func notRegular(lp, what string) error {
	return fmt.Errorf("%w: %s is %s; byova only uses a plain file it can create itself: check who put it there, remove it (rm %s) and run again",
		ErrLockFile, lp, what, lp)
}

func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

func isSymlinkErr(err error) bool {
	// Linux and the BSDs answer ELOOP to O_NOFOLLOW on a link; FreeBSD says EMLINK.
	return errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.EMLINK)
}

// refreshLockPath is the lock one token's refresh runs under: one file per profile, kind and
// org, named by a hash since a profile name can hold any character.
func refreshLockPath(store, profile, kind, org string) string {
	sum := sha256.Sum256([]byte(profile + "\x00" + kind + "\x00" + org))
	return store + ".refresh-" + hex.EncodeToString(sum[:8]) + ".lock"
}

// LockRefresh takes the lock under which one process at a time refreshes one token (a
// profile's Integration token, or its Service App token for org), so that two processes whose
// token was rejected at once make one grant: the second waits, then re-reads the store and
// finds the first one's token. It waits up to two minutes (a refresh is network calls) or until
// ctx ends, and never touches the store's own lock, which is only held for reads and writes.
//
// Locks nest in one order only: a Service App token's refresh may need the caller (Integration)
// token refreshed inside it, never the other way round, so two refreshes cannot wait on each
// other.
func (s *Store) LockRefresh(ctx context.Context, profile, kind, org string) (unlock func(), err error) {
	lp := refreshLockPath(s.path, profile, kind, org)
	what := kind + " token"
	if org != "" {
		what += " of org " + org
	}
	return lockFile(ctx, lp, true, s.refreshTimeout(), "another byova is still refreshing the "+what+"; try again when it is done")
}

func (s *Store) refreshTimeout() time.Duration {
	if s.refreshLockTimeout > 0 {
		return s.refreshLockTimeout
	}
	return defaultRefreshLockTimeout
}
