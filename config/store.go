package config

import (
	"context"
)

// TokenStore is what byova needs of a token store: the tokens.json file (Store, the default) or
// a shared one (the etcd backend of [serve.store], package etcdstore) that several `byova serve`
// replicas use at once. Update re-reads, calls fn and writes the result so that no concurrent
// writer's token is lost; fn may run more than once and must not call the network.
type TokenStore interface {
	Load() (*Tokens, error)
	Update(fn func(*Tokens) error) error
	// LockRefresh holds the refresh lock of one token (see Store.LockRefresh).
	LockRefresh(ctx context.Context, profile, kind, org string) (unlock func(), err error)
	// Path names the store in messages: a file path, or the etcd endpoints and prefix.
	Path() string
}

// AuditSink is a TokenStore that also keeps the audit log (the etcd backend: one key per
// entry, shared by every replica). A store without it logs to the audit file.
type AuditSink interface {
	AppendAudit(e AuditEntry) error
}

// AuditReader is an AuditSink whose log can be read back, newest entries last (at most max).
type AuditReader interface {
	ReadAudit(max int) (lines []AuditLine, truncated bool, err error)
}

// AuditEntriesShown is how many entries the activity screen reads from a shared store.
const AuditEntriesShown = 2000

// ReadAuditOf reads the audit log where st keeps it (etcd), else the file at path (ReadAudit).
func ReadAuditOf(st TokenStore, path string, maxBytes int64) ([]AuditLine, bool, error) {
	if r, ok := st.(AuditReader); ok {
		return r.ReadAudit(AuditEntriesShown)
	}
	return ReadAudit(path, maxBytes)
}

// BlobStore is a TokenStore that also keeps small shared secrets by name, such as the SSH host
// key, so every replica answers with the same one.
type BlobStore interface {
	// LoadOrCreate returns the blob called name, storing mk's value first when there is
	// none; created says whether this call stored it. Of two replicas that create at once, one
	// value wins and both return it.
	LoadOrCreate(name string, mk func() ([]byte, error)) (b []byte, created bool, err error)
}

// CacheStore is a TokenStore that also keeps caches every replica shares (the org names), so
// one replica's fetch saves the others a request. A cache may be lost; nothing depends on it.
type CacheStore interface {
	ReadCache(name string) ([]byte, error) // nil, nil when there is none
	WriteCache(name string, b []byte) error
}

var _ TokenStore = (*Store)(nil)
