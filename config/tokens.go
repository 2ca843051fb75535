package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// Token kinds.
const (
	KindIntegration = "integration"
	KindPAT         = "pat"
	KindServiceApp  = "service-app"
)

// tokensVersion is the tokens.json format this byova writes and the newest it reads.
const tokensVersion = 1

// ErrCorruptTokens reports a tokens.json that cannot be parsed. byova never overwrites such a
// file; the person moves it aside and signs in again.
var ErrCorruptTokens = errors.New("token store is corrupt")

// Token is one stored credential.
type Token struct {
	Kind          string    `json:"kind"`          // KindIntegration, KindPAT or KindServiceApp
	Org           string    `json:"org,omitempty"` // customer org UUID for service-app tokens
	ClientID      string    `json:"clientId,omitempty"`
	AccessToken   string    `json:"accessToken,omitempty"`
	RefreshToken  string    `json:"refreshToken,omitempty"`
	Expiry        time.Time `json:"expiry,omitzero"`
	RefreshExpiry time.Time `json:"refreshExpiry,omitzero"`
	Scopes        []string  `json:"scopes,omitempty"`
	ObtainedAt    time.Time `json:"obtainedAt,omitzero"`
}

// ProfileSecrets is everything secret that belongs to one profile.
type ProfileSecrets struct {
	Integration   *Token            `json:"integration,omitempty"`
	PAT           *Token            `json:"pat,omitempty"`
	Orgs          map[string]*Token `json:"orgs,omitempty"`          // service-app tokens by org UUID
	ClientSecrets map[string]string `json:"clientSecrets,omitempty"` // client ID → client secret
}

// Tokens is the whole content of tokens.json.
type Tokens struct {
	Version  int                        `json:"version"`
	Profiles map[string]*ProfileSecrets `json:"profiles"`
}

func newTokens() *Tokens {
	return &Tokens{Version: tokensVersion, Profiles: map[string]*ProfileSecrets{}}
}

// Profile returns the named profile's secrets, adding an empty entry if it is missing. Its
// maps are non-nil, so callers can assign into Orgs and ClientSecrets directly.
func (t *Tokens) Profile(name string) *ProfileSecrets {
	if t.Profiles == nil {
		t.Profiles = map[string]*ProfileSecrets{}
	}
	ps := t.Profiles[name]
	if ps == nil {
		ps = &ProfileSecrets{}
		t.Profiles[name] = ps
	}
	if ps.Orgs == nil {
		ps.Orgs = map[string]*Token{}
	}
	if ps.ClientSecrets == nil {
		ps.ClientSecrets = map[string]string{}
	}
	return ps
}

// Store reads and writes tokens.json. Writers take an exclusive lock on the sibling
// tokens.json.lock and replace the file atomically, so two byova processes (the TUI and a
// script, say) never lose each other's tokens.
type Store struct {
	path               string
	lockTimeout        time.Duration
	refreshLockTimeout time.Duration

	// The last content read and what it parsed to: a read of the same bytes hands out a copy
	// instead of parsing again. A token store of 500 orgs is read a few times per org by a
	// keeper round or `extend --all-orgs`, and parsing it each time made those rounds grow
	// with the square of the orgs (issue 21: 83% of a 500-org dry run).
	cacheMu     sync.Mutex
	cachedData  []byte
	cachedToken *Tokens
}

// NewStore returns a store for the tokens file at path (usually TokenFile()).
func NewStore(path string) *Store {
	return &Store{path: path, lockTimeout: defaultLockTimeout}
}

// SetLockTimeout changes how long Load and Update wait for another process's hold on the
// store's lock (default 10 s). The lock is only ever held for a read or a write, never across
// a network call, so a short wait is enough; tests shorten it to prove that.
func (s *Store) SetLockTimeout(d time.Duration) { s.lockTimeout = d }

// Path is the tokens file the store uses.
func (s *Store) Path() string { return s.path }

// Load reads the tokens under a shared lock. A missing file gives empty Tokens and creates
// nothing. A file with a mode wider than 0600 still loads; CheckPermissions reports it.
func (s *Store) Load() (*Tokens, error) {
	if _, err := os.Stat(s.path); errors.Is(err, fs.ErrNotExist) {
		return newTokens(), nil
	}
	unlock, err := acquireLock(s.path, false, s.lockTimeout)
	if err != nil {
		return nil, err
	}
	defer unlock()
	return s.read()
}

// Update changes the tokens under an exclusive lock: it re-reads the file, calls fn and writes
// the result atomically with mode 0600. If fn returns an error, or the current file cannot be
// parsed, or any step of the write fails, the old file is left exactly as it was.
func (s *Store) Update(fn func(*Tokens) error) error {
	unlock, err := acquireLock(s.path, true, s.lockTimeout)
	if err != nil {
		return err
	}
	defer unlock()

	t, err := s.read()
	if err != nil {
		return err
	}
	if err := fn(t); err != nil {
		return err
	}
	sweepTemps(s.path)
	tightenDir(filepath.Dir(s.path))
	t.Version = tokensVersion
	for name, ps := range t.Profiles {
		if ps == nil {
			delete(t.Profiles, name)
		}
	}
	data, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return fmt.Errorf("save token store %s: %w", s.path, err)
	}
	return WriteFileAtomic(s.path, append(data, '\n'))
}

func (s *Store) read() (*Tokens, error) {
	data, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return newTokens(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("read token store %s: %w; check that it belongs to you and is readable (chmod 600 %s)",
			s.path, err, s.path)
	}
	s.cacheMu.Lock()
	if s.cachedToken != nil && bytes.Equal(data, s.cachedData) {
		t := s.cachedToken.clone()
		s.cacheMu.Unlock()
		return t, nil
	}
	s.cacheMu.Unlock()
	t, err := parseTokens(s.path, data)
	if err != nil {
		return nil, err
	}
	s.cacheMu.Lock()
	s.cachedData, s.cachedToken = data, t.clone()
	s.cacheMu.Unlock()
	return t, nil
}

// clone is a deep copy: callers change what Load and Update hand them.
func (t *Tokens) clone() *Tokens {
	c := &Tokens{Version: t.Version}
	if t.Profiles != nil {
		c.Profiles = make(map[string]*ProfileSecrets, len(t.Profiles))
	}
	for name, ps := range t.Profiles {
		if ps == nil {
			c.Profiles[name] = nil
			continue
		}
		cp := &ProfileSecrets{Integration: ps.Integration.clone(), PAT: ps.PAT.clone(), ClientSecrets: maps.Clone(ps.ClientSecrets)}
		if ps.Orgs != nil {
			cp.Orgs = make(map[string]*Token, len(ps.Orgs))
		}
		for org, tok := range ps.Orgs {
			cp.Orgs[org] = tok.clone()
		}
		c.Profiles[name] = cp
	}
	return c
}

func (t *Token) clone() *Token {
	if t == nil {
		return nil
	}
	c := *t
	c.Scopes = slices.Clone(t.Scopes)
	return &c
}

// parseTokens reads the content of the token store at path; errors name path and the fix.
func parseTokens(path string, data []byte) (*Tokens, error) {
	// byova never writes an empty store (a new one is {"version":…}), so an empty file is one
	// something emptied — a full disk, a crash of another tool, a truncating editor — and the
	// tokens it held may still be recoverable from a backup: never treat it as a fresh store
	// that the next save would make final.
	if len(bytes.TrimSpace(data)) == 0 {
		what := "is empty (0 bytes)"
		if len(data) > 0 {
			what = fmt.Sprintf("holds only whitespace (%d bytes)", len(data))
		}
		return nil, fmt.Errorf("%w: %s %s, not a token store; byova left it as it is: restore it from a backup, or move it aside (mv %s %s.bad) and sign in again with `byova auth login`",
			ErrCorruptTokens, path, what, path, path)
	}
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return nil, fmt.Errorf("%w: %s holds null, not a token store; byova left it as it is: move it aside (mv %s %s.bad) and sign in again with `byova auth login`",
			ErrCorruptTokens, path, path, path)
	}
	t := &Tokens{}
	if err := json.Unmarshal(data, t); err != nil {
		where := ""
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			where = fmt.Sprintf(" (line %d)", 1+bytes.Count(data[:syn.Offset], []byte("\n")))
		}
		return nil, fmt.Errorf("%w: %s cannot be read: %w%s; byova left it as it is, move it aside (mv %s %s.bad) and sign in again with `byova auth login`",
			ErrCorruptTokens, path, err, where, path, path)
	}
	if t.Version > tokensVersion {
		return nil, fmt.Errorf("%s was written by a newer byova (format %d, this one knows up to %d); upgrade byova to use it",
			path, t.Version, tokensVersion)
	}
	if t.Version == 0 {
		t.Version = tokensVersion
	}
	if err := t.check(); err != nil {
		return nil, fmt.Errorf("%w: %s: %w; byova left it as it is: edit the file to remove that entry, or move it aside (mv %s %s.bad) and sign in again with `byova auth login`",
			ErrCorruptTokens, path, err, path, path)
	}
	if t.Profiles == nil {
		t.Profiles = map[string]*ProfileSecrets{}
	}
	return t, nil
}

// check refuses what parses as JSON but no byova writes, and what code reading the store
// would trip over: a null profile or org entry.
func (t *Tokens) check() error {
	for _, name := range slices.Sorted(maps.Keys(t.Profiles)) {
		ps := t.Profiles[name]
		if ps == nil {
			return fmt.Errorf("profiles.%q is null", name)
		}
		for _, org := range slices.Sorted(maps.Keys(ps.Orgs)) {
			if ps.Orgs[org] == nil {
				return fmt.Errorf("profiles.%q.orgs.%q is null", name, org)
			}
		}
	}
	return nil
}
