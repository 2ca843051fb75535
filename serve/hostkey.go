package serve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// HostKeyName is the SSH host key's file in the data folder.
const HostKeyName = "ssh_host_ed25519_key"

// loadHostKey reads the host key, making an ed25519 one (0600) on first start. created says
// whether it is new, so the caller can tell users to trust its fingerprint.
func loadHostKey(dir string) (signer gossh.Signer, created bool, err error) {
	path := filepath.Join(dir, HostKeyName)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		_, priv, gerr := ed25519.GenerateKey(rand.Reader)
		if gerr != nil {
			return nil, false, fmt.Errorf("make SSH host key: %w", gerr)
		}
		blk, merr := gossh.MarshalPrivateKey(priv, "byova serve host key")
		if merr != nil {
			return nil, false, fmt.Errorf("make SSH host key: %w", merr)
		}
		b = pem.EncodeToMemory(blk)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, false, fmt.Errorf("data folder %s: %w", dir, err)
		}
		f, oerr := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if oerr != nil {
			return nil, false, fmt.Errorf("write SSH host key %s: %w", path, oerr)
		}
		if _, werr := f.Write(b); werr != nil {
			f.Close()
			return nil, false, fmt.Errorf("write SSH host key %s: %w", path, werr)
		}
		if err := f.Close(); err != nil {
			return nil, false, fmt.Errorf("write SSH host key %s: %w", path, err)
		}
		created = true
	} else if err != nil {
		return nil, false, fmt.Errorf("read SSH host key %s: %w", path, err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return nil, false, fmt.Errorf("SSH host key %s is readable by others (mode %o): chmod 600 %s", path, fi.Mode().Perm(), path)
	}
	signer, err = gossh.ParsePrivateKey(b)
	if err != nil {
		return nil, false, fmt.Errorf("SSH host key %s cannot be read (%v): move it aside to make a new one", path, err)
	}
	return signer, created, nil
}
