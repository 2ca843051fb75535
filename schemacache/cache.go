// Package schemacache keeps the list of Webex's data source schemas in a file, per REST base
// URL, for the terminal UI's screens and pickers. The file's path is a value fixed when a
// Cache is made, so the commands that use it never read XDG paths.
package schemacache

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
)

// DefaultMaxAge is how long a cached schema list is used before Webex is asked again. Webex
// adds schemas rarely (a handful a year), so an hour keeps the list fresh enough while the
// screen, the data source form's picker and repeated runs share one answer.
const DefaultMaxAge = time.Hour

// cacheVersion changes when the file's shape does; a file of another version is ignored.
const cacheVersion = 1

// Entries that have not been refreshed for this long are dropped, and at most maxEntries base
// URLs are kept: tests and `byova --demo` point at loopback fakes on random ports, which must
// not make the file grow for ever.
const (
	pruneAfter = 7 * 24 * time.Hour
	maxEntries = 8
)

// Cache is the schema list cache in File.
type Cache struct {
	File string
}

// Default is the cache in $XDG_CACHE_HOME/byova/schemas.json. It reads the XDG paths: make it
// on the UI's goroutine (at start, in Update), never in a command.
func Default() Cache { return Cache{File: filepath.Join(config.CacheDir(), "schemas.json")} }

// cacheFile is the file's shape: one entry per REST base URL, since a sandbox and production
// (or a fake) list different schemas.
type cacheFile struct {
	Version int                   `json:"version"`
	Entries map[string]cacheEntry `json:"entries"`
}

type cacheEntry struct {
	FetchedAt time.Time    `json:"fetchedAt"`
	Items     []api.Schema `json:"items"`
}

// fileMu serialises this process's read-modify-write of the files (the screen and a form's
// picker may load at once). Between processes the last writer wins, which a cache can afford:
// WriteFileAtomic guarantees readers never see half a file.
var fileMu sync.Mutex

// Load returns the schema list for the REST base URL base: from the cache when it was fetched
// less than maxAge before now, else from Webex through client (then cached). client may be nil
// when only a cached list is wanted; Load then fails if the cache has nothing fresh. A missing,
// unreadable or corrupt cache counts as empty and is replaced by the next fetch. Failing to
// write the cache is not an error: the list is still returned.
//
// When Webex fails but an expired list is cached, Load returns that list together with the
// error, so a picker can still offer it (marked as possibly out of date); callers that want all
// or nothing check err first.
//
// This is the function the data source form's schema picker is meant to use.
func (c Cache) Load(ctx context.Context, client *api.Client, base string, maxAge time.Duration, now time.Time) ([]api.Schema, error) {
	r, err := c.Get(ctx, fixed(client), base, maxAge, now, false)
	return r.Items, err
}

// Reload fetches the schema list from Webex whatever the cache holds, and caches it.
func (c Cache) Reload(ctx context.Context, client *api.Client, base string, now time.Time) ([]api.Schema, error) {
	r, err := c.Get(ctx, fixed(client), base, 0, now, true)
	return r.Items, err
}

// ClientFunc returns the client to ask Webex with. The schemas screen passes one that
// resolves the session's token only when the cache cannot answer, so a cached list shows even
// offline.
type ClientFunc func() (*api.Client, error)

func fixed(c *api.Client) ClientFunc {
	return func() (*api.Client, error) {
		if c == nil {
			return nil, errNoClient
		}
		return c, nil
	}
}

// Result is what a Get found, for the screen: where the list came from and how old it is.
type Result struct {
	Items     []api.Schema
	FetchedAt time.Time
	FromCache bool
	Stale     bool  // Webex failed; Items are an expired cached list (the error says why)
	CacheErr  error // the cache could not be written (logged, not shown)
}

// errNoClient is returned when the cache cannot answer and there is no client to ask Webex.
var errNoClient = errors.New("no cached schema list and nothing to fetch one with: sign in with `byova auth login`")

// Get is Load with the client resolved only when the cache cannot answer, and force to ask
// Webex whatever the cache holds; it says where the list came from.
func (c Cache) Get(ctx context.Context, getClient ClientFunc, base string, maxAge time.Duration, now time.Time, force bool) (Result, error) {
	key := cacheKey(base)
	var cached *cacheEntry
	if e, ok := c.read()[key]; ok {
		cached = &e
	}
	if !force && cached != nil && fresh(cached.FetchedAt, maxAge, now) {
		return Result{Items: cached.Items, FetchedAt: cached.FetchedAt, FromCache: true}, nil
	}
	items, err := fetch(ctx, getClient)
	if err != nil {
		if cached != nil && !errors.Is(err, context.Canceled) {
			// An old list beats none: the caller shows it as stale, with the error.
			return Result{Items: cached.Items, FetchedAt: cached.FetchedAt, FromCache: true, Stale: true}, err
		}
		return Result{}, err
	}
	if items == nil {
		items = []api.Schema{}
	}
	r := Result{Items: items, FetchedAt: now}
	r.CacheErr = c.store(key, cacheEntry{FetchedAt: now, Items: items}, now)
	return r, nil
}

func fetch(ctx context.Context, getClient ClientFunc) ([]api.Schema, error) {
	client, err := getClient()
	if err != nil {
		return nil, err
	}
	return client.ListSchemas(ctx)
}

// fresh reports that a list fetched at t may still be used at now. A time in the future (a
// clock that went back, a hand-edited file) is not trusted.
func fresh(t time.Time, maxAge time.Duration, now time.Time) bool {
	age := now.Sub(t)
	return maxAge > 0 && age >= -time.Minute && age < maxAge
}

func cacheKey(base string) string {
	if base == "" {
		base = api.DefaultBaseURL
	}
	return strings.TrimRight(base, "/")
}

// read returns the cached entries; anything it cannot read is treated as no cache.
func (c Cache) read() map[string]cacheEntry {
	fileMu.Lock()
	defer fileMu.Unlock()
	return c.readLocked()
}

func (c Cache) readLocked() map[string]cacheEntry {
	b, err := os.ReadFile(c.File)
	if err != nil {
		return nil
	}
	var f cacheFile
	if json.Unmarshal(b, &f) != nil || f.Version != cacheVersion {
		return nil
	}
	for k, e := range f.Entries {
		if e.FetchedAt.IsZero() || e.Items == nil {
			delete(f.Entries, k) // half an entry is no entry
		}
	}
	return f.Entries
}

// store writes one base URL's entry, keeping the others that are still worth keeping.
func (c Cache) store(key string, e cacheEntry, now time.Time) error {
	fileMu.Lock()
	defer fileMu.Unlock()
	entries := c.readLocked()
	if entries == nil {
		entries = map[string]cacheEntry{}
	}
	entries[key] = e
	prune(entries, now)
	b, err := json.MarshalIndent(cacheFile{Version: cacheVersion, Entries: entries}, "", "  ")
	if err != nil {
		return err
	}
	if err := config.WriteFileAtomic(c.File, append(b, '\n')); err != nil {
		return fmt.Errorf("caching the schema list: %w", err)
	}
	return nil
}

// prune drops entries not refreshed for a week or stamped in the future (a test's fixed
// clock, a clock that went back: they would never expire and would crowd out real ones), then
// the oldest beyond maxEntries.
func prune(entries map[string]cacheEntry, now time.Time) {
	for k, e := range entries {
		if age := now.Sub(e.FetchedAt); age > pruneAfter || age < -time.Minute {
			delete(entries, k)
		}
	}
	if len(entries) <= maxEntries {
		return
	}
	keys := make([]string, 0, len(entries))
	for k := range entries {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return entries[b].FetchedAt.Compare(entries[a].FetchedAt) })
	for _, k := range keys[maxEntries:] {
		delete(entries, k)
	}
}
