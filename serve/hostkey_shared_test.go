package serve

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// blobStore keeps blobs in memory, as the etcd store does for every replica.
type blobStore struct {
	flakyStore
	blobs map[string][]byte
}

func (b *blobStore) LoadOrCreate(name string, mk func() ([]byte, error)) ([]byte, bool, error) {
	if v, ok := b.blobs[name]; ok {
		return v, false, nil
	}
	v, err := mk()
	if err != nil {
		return nil, false, err
	}
	b.blobs[name] = v
	return v, true, nil
}

// With a shared store, two replicas (two data folders) answer with one host key, and neither
// writes it to its folder.
func TestHostKeySharedThroughTheStore(t *testing.T) {
	st := &blobStore{blobs: map[string][]byte{}}
	dirA, dirB := t.TempDir(), t.TempDir()
	a, created, err := hostKeyFor(st, dirA)
	if err != nil || !created {
		t.Fatalf("first replica: created %v, %v", created, err)
	}
	b, created, err := hostKeyFor(st, dirB)
	if err != nil || created {
		t.Fatalf("second replica: created %v, %v", created, err)
	}
	if !bytes.Equal(a.PublicKey().Marshal(), b.PublicKey().Marshal()) {
		t.Fatal("the replicas answer with different host keys")
	}
	for _, d := range []string{dirA, dirB} {
		if _, err := os.Stat(filepath.Join(d, HostKeyName)); err == nil {
			t.Fatalf("a host key file was written in %s", d)
		}
	}
	st.blobs[HostKeyName] = []byte("not a key")
	if _, _, err := hostKeyFor(st, dirA); err == nil {
		t.Fatal("a damaged shared host key was accepted")
	}
}
