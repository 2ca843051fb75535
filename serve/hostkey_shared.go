package serve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"fmt"

	gossh "golang.org/x/crypto/ssh"

	"github.com/byova/byova/config"
)

// hostKeyFor is the SSH host key from a shared store (the etcd backend), so that every replica
// answers with the same key and a client's known_hosts holds whichever one it reached; else
// the data folder's file.
func hostKeyFor(store config.TokenStore, dir string) (gossh.Signer, bool, error) {
	bs, ok := store.(config.BlobStore)
	if !ok {
		return loadHostKey(dir)
	}
	b, created, err := bs.LoadOrCreate(HostKeyName, func() ([]byte, error) {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("make SSH host key: %w", err)
		}
		blk, err := gossh.MarshalPrivateKey(priv, "byova serve host key")
		if err != nil {
			return nil, fmt.Errorf("make SSH host key: %w", err)
		}
		return pem.EncodeToMemory(blk), nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("SSH host key in %s: %w", store.Path(), err)
	}
	signer, err := gossh.ParsePrivateKey(b)
	if err != nil {
		return nil, false, fmt.Errorf("SSH host key in %s cannot be read (%v)", store.Path(), err)
	}
	return signer, created, nil
}
