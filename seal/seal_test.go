package seal

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func key(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

func TestSealOpenRotation(t *testing.T) {
	old, _ := NewKeyring(key(1))
	env, err := old.Seal("/byova/tokens/a", []byte("secret-token"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(env, []byte("secret-token")) {
		t.Fatal("envelope holds the plaintext")
	}
	rotated, _ := NewKeyring(key(2), key(1))
	got, err := rotated.Open("/byova/tokens/a", env)
	if err != nil || string(got) != "secret-token" {
		t.Fatalf("open under [new, old]: %q %v", got, err)
	}
	env2, _ := rotated.Seal("/byova/tokens/a", []byte("x"))
	if id, _ := EnvelopeKeyID(env2); id != KeyID(key(2)) {
		t.Fatalf("sealed under %s, want the first key %s", id, KeyID(key(2)))
	}
	if _, err := old.Open("/byova/tokens/a", env2); !errors.Is(err, ErrUnknownKey) || !strings.Contains(err.Error(), KeyID(key(2))) {
		t.Fatalf("old keyring on new envelope: %v (want ErrUnknownKey naming %s)", err, KeyID(key(2)))
	}
	if _, err := rotated.Open("/byova/tokens/b", env); err == nil {
		t.Fatal("an envelope moved to another name opened")
	}
	env[len(env)-1] ^= 1
	if _, err := rotated.Open("/byova/tokens/a", env); err == nil {
		t.Fatal("a changed envelope opened")
	}
}

func TestBadInput(t *testing.T) {
	kr, _ := NewKeyring(key(1))
	for _, in := range [][]byte{nil, []byte("plain json"), magic, append(append([]byte{}, magic...), 1, 2, 3)} {
		if _, err := kr.Open("k", in); !errors.Is(err, ErrNotSealed) {
			t.Errorf("Open(%q) = %v, want ErrNotSealed", in, err)
		}
	}
	if _, err := NewKeyring(); err == nil {
		t.Error("no keys accepted")
	}
	if _, err := NewKeyring([]byte("short")); err == nil {
		t.Error("a short key accepted")
	}
}

func TestKeyFiles(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "seal.key")
	id, err := WriteKeyFile(p)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(p)
	if fi.Mode().Perm() != 0o600 || fi.Size() != KeySize {
		t.Fatalf("key file mode %o size %d", fi.Mode().Perm(), fi.Size())
	}
	before, _ := os.ReadFile(p)
	if _, err := WriteKeyFile(p); err == nil || !strings.Contains(err.Error(), "never overwrites") {
		t.Fatalf("overwrite: %v", err)
	}
	after, _ := os.ReadFile(p)
	if !bytes.Equal(before, after) {
		t.Fatal("refused overwrite changed the file")
	}
	kr, err := LoadKeyring([]string{p})
	if err != nil || kr.IDs()[0] != id {
		t.Fatalf("load: %v %v, want id %s", kr, err, id)
	}
	if _, err := LoadKeyring([]string{filepath.Join(dir, "missing")}); err == nil || !strings.Contains(err.Error(), "store keygen") {
		t.Fatalf("missing file: %v", err)
	}
	os.Chmod(p, 0o644)
	if _, err := LoadKeyring([]string{p}); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("wide mode: %v", err)
	}
	short := filepath.Join(dir, "short")
	os.WriteFile(short, []byte("abc"), 0o600)
	if _, err := LoadKeyring([]string{short}); err == nil || !strings.Contains(err.Error(), "not a seal key") {
		t.Fatalf("short file: %v", err)
	}
}

func FuzzOpen(f *testing.F) {
	kr, _ := NewKeyring(key(1), key(2))
	good, _ := kr.Seal("n", []byte("v"))
	f.Add(good)
	f.Add([]byte{})
	f.Add(magic)
	f.Add(append(append([]byte{}, magic...), bytes.Repeat([]byte{0}, 40)...))
	f.Fuzz(func(t *testing.T, env []byte) {
		plain, err := kr.Open("n", env)
		if err == nil && !bytes.Equal(env, good) && string(plain) == "v" && len(env) != len(good) {
			t.Fatalf("a different envelope opened to the sealed value")
		}
		_, _ = EnvelopeKeyID(env)
	})
}
