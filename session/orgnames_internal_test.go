package session

import (
	"errors"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/byova/byova/config"
)

// cacheStore is a token store with a shared cache (as etcd's is) whose reads can fail.
type cacheStore struct {
	*config.Store
	data    []byte
	readErr error
	writes  int
}

func (c *cacheStore) ReadCache(string) ([]byte, error) { return c.data, c.readErr }
func (c *cacheStore) WriteCache(_ string, b []byte) error {
	c.writes++
	c.data = b
	return nil
}

// A shared cache that cannot be read is not written: the write would hold one name and drop
// every other replica's.
func TestOrgNameCacheUnreadableIsNotOverwritten(t *testing.T) {
	cs := &cacheStore{Store: config.NewStore(filepath.Join(t.TempDir(), "tokens.json"))}
	s := &Session{Settings: config.Settings{Profile: "default"}, Store: cs, Log: slog.New(slog.DiscardHandler)}
	now := time.Now()
	s.storeOrgName("", "a", orgNameEntry{Name: "Acme", Fetched: now})
	s.storeOrgName("", "b", orgNameEntry{Name: "Globex", Fetched: now})
	if m := s.orgNames(""); len(m) != 2 || cs.writes != 2 {
		t.Fatalf("two names stored: %v after %d writes", m, cs.writes)
	}
	kept := string(cs.data)
	cs.readErr = errors.New("etcd: context deadline exceeded")
	s.storeOrgName("", "c", orgNameEntry{Name: "Initech", Fetched: now})
	if cs.writes != 2 || string(cs.data) != kept {
		t.Fatalf("an unreadable cache was written over (%d writes): %s", cs.writes, cs.data)
	}
	cs.readErr, cs.data = nil, []byte("not json")
	s.storeOrgName("", "c", orgNameEntry{Name: "Initech", Fetched: now})
	if cs.writes != 2 {
		t.Fatalf("a cache that does not decode was written over")
	}
}
