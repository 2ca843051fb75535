package config

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofrs/flock"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	return NewStore(filepath.Join(t.TempDir(), "byova", "tokens.json"))
}

func addSecret(key, value string) func(*Tokens) error {
	return func(tk *Tokens) error {
		tk.Profile("default").ClientSecrets[key] = value
		return nil
	}
}

func TestStoreRoundTripAndModes(t *testing.T) {
	s := newTestStore(t)

	tk, err := s.Load()
	if err != nil {
		t.Fatalf("missing file: %v", err)
	}
	if tk.Version != 1 || len(tk.Profiles) != 0 {
		t.Fatalf("missing file should load empty, got %+v", tk)
	}
	if _, err := os.Stat(filepath.Dir(s.Path())); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Load of a missing store must create nothing (stat: %v)", err)
	}

	exp := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	err = s.Update(func(tk *Tokens) error {
		ps := tk.Profile("default")
		ps.Integration = &Token{Kind: KindIntegration, ClientID: "C1", AccessToken: "acc", RefreshToken: "ref",
			Expiry: exp, Scopes: []string{"spark:all"}}
		ps.Orgs["org-1"] = &Token{Kind: KindServiceApp, Org: "org-1", AccessToken: "sa"}
		ps.ClientSecrets["C1"] = "sec"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	assertMode(t, s.Path(), 0o600)
	assertMode(t, filepath.Dir(s.Path()), 0o700)
	assertMode(t, s.Path()+".lock", 0o600)
	assertOnly(t, filepath.Dir(s.Path()), "tokens.json", "tokens.json.lock")

	tk, err = s.Load()
	if err != nil {
		t.Fatal(err)
	}
	ps := tk.Profile("default")
	if ps.Integration == nil || !ps.Integration.Expiry.Equal(exp) || ps.Integration.RefreshToken != "ref" ||
		ps.Orgs["org-1"].AccessToken != "sa" || ps.ClientSecrets["C1"] != "sec" {
		t.Errorf("round trip lost data: %+v", ps)
	}

	raw, _ := os.ReadFile(s.Path())
	if strings.Contains(string(raw), "0001-01-01") {
		t.Errorf("zero times should be left out:\n%s", raw)
	}
}

func TestStoreUpdateFailuresLeaveOldFile(t *testing.T) {
	s := newTestStore(t)
	if err := s.Update(addSecret("old", "1")); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(s.Path())

	boom := errors.New("boom")
	check := func(t *testing.T, err error) {
		t.Helper()
		if !errors.Is(err, boom) {
			t.Fatalf("got %v, want the injected error", err)
		}
		after, _ := os.ReadFile(s.Path())
		if string(after) != string(before) {
			t.Errorf("old file changed:\n%s", after)
		}
		assertOnly(t, filepath.Dir(s.Path()), "tokens.json", "tokens.json.lock")
	}

	t.Run("fn fails", func(t *testing.T) {
		check(t, s.Update(func(tk *Tokens) error {
			tk.Profile("default").ClientSecrets["new"] = "2"
			return boom
		}))
	})
	for _, name := range []string{"create", "write", "sync", "rename"} {
		t.Run(name+" fails", func(t *testing.T) {
			failStep = func(step string) error {
				if step == name {
					return boom
				}
				return nil
			}
			t.Cleanup(func() { failStep = nil })
			check(t, s.Update(addSecret("new", "2")))
		})
	}
}

func TestStoreReadOnlyFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes into read-only folders; the failStep cases cover this path")
	}
	s := newTestStore(t)
	if err := s.Update(addSecret("old", "1")); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(s.Path())
	dir := filepath.Dir(s.Path())
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })

	if err := s.Update(addSecret("new", "2")); err == nil {
		t.Fatal("write into a read-only folder should fail")
	}
	after, _ := os.ReadFile(s.Path())
	if string(after) != string(before) {
		t.Errorf("old file changed:\n%s", after)
	}
	assertOnly(t, dir, "tokens.json", "tokens.json.lock")
}

func TestStoreCorruptFileRefused(t *testing.T) {
	s := newTestStore(t)
	if err := os.MkdirAll(filepath.Dir(s.Path()), 0o700); err != nil {
		t.Fatal(err)
	}
	corrupt := "{\n  \"version\": 1,\n  \"profiles\": {\n    oops\n"
	if err := os.WriteFile(s.Path(), []byte(corrupt), 0o600); err != nil {
		t.Fatal(err)
	}

	_, loadErr := s.Load()
	updErr := s.Update(addSecret("k", "v"))
	for _, err := range []error{loadErr, updErr} {
		if !errors.Is(err, ErrCorruptTokens) {
			t.Fatalf("got %v, want ErrCorruptTokens", err)
		}
		for _, w := range []string{s.Path(), "line 4", "move it aside", "sign in again"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not mention %q", err, w)
			}
		}
	}
	after, _ := os.ReadFile(s.Path())
	if string(after) != corrupt {
		t.Errorf("corrupt file was changed:\n%s", after)
	}
}

// TestStoreEmptyFileRefused: an empty tokens.json (0 bytes, or only whitespace) is not a fresh
// store: loading and updating it fail like a corrupt one, naming the file and what to do, and
// the file is never written over.
func TestStoreEmptyFileRefused(t *testing.T) {
	for _, body := range []string{"", " \n\t\n"} {
		t.Run(fmt.Sprintf("%d bytes", len(body)), func(t *testing.T) {
			s := newTestStore(t)
			if err := os.MkdirAll(filepath.Dir(s.Path()), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(s.Path(), []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			_, loadErr := s.Load()
			updErr := s.Update(addSecret("k", "v"))
			for _, err := range []error{loadErr, updErr} {
				if !errors.Is(err, ErrCorruptTokens) {
					t.Fatalf("got %v, want ErrCorruptTokens", err)
				}
				for _, w := range []string{s.Path(), "not a token store", "move it aside", "sign in again"} {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not mention %q", err, w)
					}
				}
			}
			if after, _ := os.ReadFile(s.Path()); string(after) != body {
				t.Errorf("the empty file was written over:\n%s", after)
			}
		})
	}
}

func TestStoreNewerVersionRefused(t *testing.T) {
	s := newTestStore(t)
	_ = os.MkdirAll(filepath.Dir(s.Path()), 0o700)
	doc := `{"version": 2, "profiles": {}, "vaults": {}}`
	_ = os.WriteFile(s.Path(), []byte(doc), 0o600)
	if err := s.Update(addSecret("k", "v")); err == nil || !strings.Contains(err.Error(), "newer byova") {
		t.Fatalf("got %v, want a newer-version error", err)
	}
	if after, _ := os.ReadFile(s.Path()); string(after) != doc {
		t.Error("newer file was overwritten")
	}
}

func TestStoreWideModeLoadsAndIsFixed(t *testing.T) {
	s := newTestStore(t)
	if err := s.Update(addSecret("k", "v")); err != nil {
		t.Fatal(err)
	}
	if err := CheckPermissions(s.Path()); err != nil {
		t.Fatalf("fresh store: %v", err)
	}
	if err := os.Chmod(s.Path(), 0o644); err != nil {
		t.Fatal(err)
	}
	err := CheckPermissions(s.Path())
	if !errors.Is(err, ErrInsecureMode) || !strings.Contains(err.Error(), "chmod 600 "+s.Path()) {
		t.Errorf("CheckPermissions = %v", err)
	}
	if tk, err := s.Load(); err != nil || tk.Profile("default").ClientSecrets["k"] != "v" {
		t.Fatalf("a 0644 store should still load: %v", err)
	}
	if err := s.Update(addSecret("k2", "v")); err != nil {
		t.Fatal(err)
	}
	assertMode(t, s.Path(), 0o600)
	if err := CheckPermissions(filepath.Join(t.TempDir(), "missing")); err != nil {
		t.Errorf("missing file: %v", err)
	}
}

func TestStoreLockTimeout(t *testing.T) {
	s := newTestStore(t)
	s.lockTimeout = 100 * time.Millisecond
	if err := s.Update(addSecret("k", "v")); err != nil {
		t.Fatal(err)
	}

	// flock locks belong to the open file, so a second handle in this process contends like
	// another process would.
	other := flock.New(s.Path() + ".lock")
	if err := other.Lock(); err != nil {
		t.Fatal(err)
	}
	defer other.Unlock()

	err := s.Update(addSecret("k2", "v"))
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), s.Path()+".lock") {
		t.Fatalf("got %v, want ErrLocked naming the lock file", err)
	}
	if _, err := s.Load(); !errors.Is(err, ErrLocked) {
		t.Fatalf("Load under an exclusive lock: got %v, want ErrLocked", err)
	}
}

// Two processes, each doing writerUpdates Updates that add their own keys, must end with every
// key stored: the lock plus re-reading under it means no update is lost.
const (
	helperEnv     = "BYOVA_CONFIG_TEST_HELPER"
	helperPathEnv = "BYOVA_CONFIG_TEST_PATH"
	helperIDEnv   = "BYOVA_CONFIG_TEST_ID"
	writerUpdates = 50
)

func TestConcurrentWriterProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	path := filepath.Join(t.TempDir(), "byova", "tokens.json")
	var cmds []*exec.Cmd
	for _, id := range []string{"a", "b"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriterProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), helperEnv+"=writer", helperPathEnv+"="+path, helperIDEnv+"="+id)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("writer process: %v", err)
		}
	}

	tk, err := NewStore(path).Load()
	if err != nil {
		t.Fatal(err)
	}
	got := tk.Profile("default").ClientSecrets
	for _, id := range []string{"a", "b"} {
		for i := range writerUpdates {
			if k := id + "-" + strconv.Itoa(i); got[k] == "" {
				t.Errorf("key %s missing", k)
			}
		}
	}
	if len(got) != 2*writerUpdates {
		t.Errorf("%d keys, want %d", len(got), 2*writerUpdates)
	}
	assertOnly(t, filepath.Dir(path), "tokens.json", "tokens.json.lock")
}

// TestHelperWriterProcess is the child side of TestConcurrentWriterProcesses.
func TestHelperWriterProcess(t *testing.T) {
	if os.Getenv(helperEnv) != "writer" {
		t.Skip("helper for TestConcurrentWriterProcesses")
	}
	s := NewStore(os.Getenv(helperPathEnv))
	id := os.Getenv(helperIDEnv)
	for i := range writerUpdates {
		if err := s.Update(addSecret(id+"-"+strconv.Itoa(i), fmt.Sprint(os.Getpid()))); err != nil {
			t.Fatalf("update %d: %v", i, err)
		}
	}
}

// Reads of unchanged bytes come from the last parse, as copies: what a caller changes in one
// Load is not in the next, a write (ours or another process's) is seen at once, and a file
// made corrupt after a good read is still refused.
func TestStoreReadsAreCopies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokens.json")
	s := NewStore(path)
	if err := s.Update(func(tk *Tokens) error {
		ps := tk.Profile("default")
		ps.Orgs["org-1"] = &Token{Kind: KindServiceApp, Org: "org-1", AccessToken: "a1", Scopes: []string{"x"}}
		ps.ClientSecrets["c"] = "s"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	first, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	first.Profiles["default"].Orgs["org-1"].AccessToken = "changed"
	first.Profiles["default"].Orgs["org-1"].Scopes[0] = "changed"
	first.Profiles["default"].ClientSecrets["c"] = "changed"
	first.Profiles["default"].Orgs["org-2"] = &Token{}
	again, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	ps := again.Profiles["default"]
	if tok := ps.Orgs["org-1"]; tok.AccessToken != "a1" || tok.Scopes[0] != "x" || ps.ClientSecrets["c"] != "s" || len(ps.Orgs) != 1 {
		t.Fatalf("a change to one Load's tokens showed in the next: %+v %+v", tok, ps)
	}
	// Another process rewrites the file: the next Load reads it.
	other := NewStore(path)
	if err := other.Update(func(tk *Tokens) error { tk.Profile("default").Orgs["org-1"].AccessToken = "a2"; return nil }); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Load(); err != nil || got.Profiles["default"].Orgs["org-1"].AccessToken != "a2" {
		t.Fatalf("after another store's write: %v, %v", got, err)
	}
	if err := os.WriteFile(path, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(); !errors.Is(err, ErrCorruptTokens) {
		t.Fatalf("a corrupt file after a good read: %v", err)
	}
}

// clone copies every field: a field added to these types must be added to clone too.
func TestTokensCloneCoversEveryField(t *testing.T) {
	for typ, n := range map[reflect.Type]int{reflect.TypeFor[Tokens](): 2, reflect.TypeFor[ProfileSecrets](): 4, reflect.TypeFor[Token](): 9} {
		if typ.NumField() != n {
			t.Errorf("%s has %d fields, clone knows %d: update Tokens.clone and this count", typ, typ.NumField(), n)
		}
	}
	now := time.Now()
	full := &Tokens{Version: 1, Profiles: map[string]*ProfileSecrets{"p": {
		Integration:   &Token{Kind: KindIntegration, AccessToken: "i", Scopes: []string{"a"}, Expiry: now},
		PAT:           &Token{Kind: KindPAT, AccessToken: "p", RefreshExpiry: now, ObtainedAt: now},
		Orgs:          map[string]*Token{"o": {Kind: KindServiceApp, Org: "o", ClientID: "c", RefreshToken: "r"}},
		ClientSecrets: map[string]string{"c": "s"},
	}, "nil": nil}}
	if c := full.clone(); !reflect.DeepEqual(c, full) {
		t.Fatalf("clone %+v differs from %+v", c, full)
	}
}
