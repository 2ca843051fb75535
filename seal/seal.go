// Package seal encrypts what byova keeps in a shared store (etcd) so that the store holds
// ciphertext only: AES-256-GCM under 32-byte keys from files, each envelope naming its key.
package seal

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// KeySize is the length of a seal key: AES-256.
const KeySize = 32

// magic starts every envelope; the version is part of it so a later format can be told apart.
var magic = []byte("byova-seal1:")

const (
	idLen    = 8  // bytes of key id in an envelope (16 hex digits when shown)
	nonceLen = 12 // GCM's standard nonce
	// MaxEnvelope bounds what Open accepts: byova seals tokens and host keys, a few KiB at most.
	MaxEnvelope = 1 << 20
)

// ErrUnknownKey is an envelope sealed under a key the keyring does not hold.
var ErrUnknownKey = errors.New("sealed with a key not in seal_key_files")

// ErrNotSealed is a value that is not a byova envelope (written by something else, or damaged).
var ErrNotSealed = errors.New("not a sealed byova value")

// Key is one seal key and its id.
type Key struct {
	ID   string // hex of a hash of the key: safe to show, names the key in errors and status
	aead cipher.AEAD
	raw  [idLen]byte
}

// Keyring seals under its first key and opens under any (rotation: [new, old]).
type Keyring struct {
	keys []Key
}

// KeyID is the id of raw key material (16 hex digits), as Keyring and `byova store status` show it.
func KeyID(key []byte) string {
	id := keyID(key)
	return hex.EncodeToString(id[:])
}

func keyID(key []byte) (id [idLen]byte) {
	h := sha256.Sum256(append([]byte("byova seal key id\x00"), key...))
	copy(id[:], h[:idLen])
	return id
}

// NewKeyring builds a keyring from raw keys, the first one sealing.
func NewKeyring(keys ...[]byte) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("no seal key: give seal_key_files under [serve.store] (make one with `byova store keygen FILE`)")
	}
	kr := &Keyring{}
	seen := map[string]bool{}
	for i, k := range keys {
		if len(k) != KeySize {
			return nil, fmt.Errorf("seal key %d is %d bytes, not %d: make one with `byova store keygen FILE`", i+1, len(k), KeySize)
		}
		b, err := aes.NewCipher(k)
		if err != nil {
			return nil, fmt.Errorf("seal key %d: %w", i+1, err)
		}
		g, err := cipher.NewGCM(b)
		if err != nil {
			return nil, fmt.Errorf("seal key %d: %w", i+1, err)
		}
		key := Key{ID: KeyID(k), aead: g, raw: keyID(k)}
		if seen[key.ID] {
			continue
		}
		seen[key.ID] = true
		kr.keys = append(kr.keys, key)
	}
	return kr, nil
}

// LoadKeyring reads seal key files (32 raw bytes each, mode 0600 or narrower).
func LoadKeyring(files []string) (*Keyring, error) {
	if len(files) == 0 {
		return NewKeyring()
	}
	var keys [][]byte
	for _, f := range files {
		k, err := ReadKeyFile(f)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return NewKeyring(keys...)
}

// ReadKeyFile reads one seal key file; errors name the file and the fix.
func ReadKeyFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("seal key file %s does not exist: make it with `byova store keygen %s` (every replica needs the same file)", path, path)
	}
	if err != nil {
		return nil, fmt.Errorf("seal key file %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("seal key file %s is not a regular file", path)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("seal key file %s is readable by others (mode %o): chmod 600 %s", path, fi.Mode().Perm(), path)
	}
	if fi.Size() != KeySize {
		return nil, fmt.Errorf("seal key file %s holds %d bytes, not %d: it is not a seal key (make one with `byova store keygen FILE`)", path, fi.Size(), KeySize)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("seal key file %s: %w", path, err)
	}
	if len(b) != KeySize {
		return nil, fmt.Errorf("seal key file %s holds %d bytes, not %d", path, len(b), KeySize)
	}
	return b, nil
}

// WriteKeyFile writes 32 random bytes to path with mode 0600, refusing to replace a file: a
// lost seal key is every sealed token lost.
func WriteKeyFile(path string) (id string, err error) {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return "", fmt.Errorf("make seal key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("%s exists: byova never overwrites a seal key (the tokens sealed under it would be lost); give another file", path)
	}
	if err != nil {
		return "", fmt.Errorf("write seal key %s: %w", path, err)
	}
	if _, err := f.Write(k); err != nil {
		f.Close()
		os.Remove(path)
		return "", fmt.Errorf("write seal key %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return "", fmt.Errorf("write seal key %s: %w", path, err)
	}
	return KeyID(k), nil
}

// IDs are the keyring's key ids, the sealing one first.
func (kr *Keyring) IDs() []string {
	ids := make([]string, len(kr.keys))
	for i, k := range kr.keys {
		ids[i] = k.ID
	}
	return ids
}

// Seal encrypts plain under the first key. name (the store key it is written to) is bound as
// additional data, so a value moved to another key no longer opens.
func (kr *Keyring) Seal(name string, plain []byte) ([]byte, error) {
	k := kr.keys[0]
	nonce := make([]byte, nonceLen)
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	out := make([]byte, 0, len(magic)+idLen+nonceLen+len(plain)+k.aead.Overhead())
	out = append(out, magic...)
	out = append(out, k.raw[:]...)
	out = append(out, nonce...)
	return k.aead.Seal(out, nonce, plain, []byte(name)), nil
}

// EnvelopeKeyID is the id of the key env was sealed under.
func EnvelopeKeyID(env []byte) (string, error) {
	id, _, _, err := parse(env)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(id), nil
}

func parse(env []byte) (id, nonce, ct []byte, err error) {
	if len(env) > MaxEnvelope {
		return nil, nil, nil, fmt.Errorf("%w: %d bytes, more than %d", ErrNotSealed, len(env), MaxEnvelope)
	}
	if !bytes.HasPrefix(env, magic) {
		return nil, nil, nil, ErrNotSealed
	}
	rest := env[len(magic):]
	if len(rest) < idLen+nonceLen+16 {
		return nil, nil, nil, fmt.Errorf("%w: cut short (%d bytes)", ErrNotSealed, len(env))
	}
	return rest[:idLen], rest[idLen : idLen+nonceLen], rest[idLen+nonceLen:], nil
}

// Open decrypts an envelope written by Seal for the same name. A key the keyring lacks is
// ErrUnknownKey naming the key id; a changed value fails authentication.
func (kr *Keyring) Open(name string, env []byte) ([]byte, error) {
	id, nonce, ct, err := parse(env)
	if err != nil {
		return nil, err
	}
	for _, k := range kr.keys {
		if !bytes.Equal(k.raw[:], id) {
			continue
		}
		plain, err := k.aead.Open(nil, nonce, ct, []byte(name))
		if err != nil {
			return nil, fmt.Errorf("%s: sealed value under key %s does not authenticate (changed, or moved from another key)", name, k.ID)
		}
		return plain, nil
	}
	return nil, fmt.Errorf("%w: %s is sealed with key %s; this replica has %v: give that key's file in seal_key_files",
		ErrUnknownKey, name, hex.EncodeToString(id), kr.IDs())
}
