package session

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
)

// An org's name rarely changes, so a fetched name is kept a day; an org whose name the token
// may not read (403/404) is asked again after an hour, so a scope added later shows soon.
const (
	orgNameTTL       = 24 * time.Hour
	orgNameRefusedTL = time.Hour
	orgNameTimeout   = 3 * time.Second
	orgNameMax       = 500 // entries kept; the oldest go first
)

// OrgNamesFile is where fetched org names are cached.
func OrgNamesFile() string { return filepath.Join(config.CacheDir(), "org-names.json") }

// orgNameEntry is one cached answer. Name is as Webex sent it (untrusted: sanitise to show it).
type orgNameEntry struct {
	Name    string    `json:"name,omitempty"`
	Refused string    `json:"refused,omitempty"` // why Webex would not tell the name
	Fetched time.Time `json:"fetched"`
}

func (e orgNameEntry) fresh(now time.Time) bool {
	ttl := orgNameTTL
	if e.Name == "" {
		ttl = orgNameRefusedTL
	}
	return !e.Fetched.After(now) && now.Sub(e.Fetched) < ttl
}

// orgNameKey keeps names from different Webex deployments (a fake, a sandbox) apart.
func (s *Session) orgNameKey(org string) string { return s.Settings.BaseURL + " " + org }

func (s *Session) orgNamesPath() string {
	if s.OrgNamesPath != "" {
		return s.OrgNamesPath
	}
	return OrgNamesFile()
}

// readOrgNames loads the cache; a missing, unreadable or damaged cache is an empty one (it
// only saves requests, and the next fetch rewrites it).
func readOrgNames(path string) map[string]orgNameEntry {
	m := map[string]orgNameEntry{}
	b, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(b, &m) != nil || m == nil {
		return map[string]orgNameEntry{}
	}
	return m
}

// orgNamesCache is the cache's name in a shared store (config.CacheStore).
const orgNamesCache = "org-names"

// orgNames reads the cache from the shared store when there is one (every replica of `byova
// serve` on etcd sees the same names), else from path.
func (s *Session) orgNames(path string) map[string]orgNameEntry {
	m, _ := s.readOrgNames(path)
	return m
}

// readOrgNames is orgNames, and whether the shared cache could be read: an empty map from a
// failed read (etcd away, a value that does not open) must not be written back over every
// replica's names.
func (s *Session) readOrgNames(path string) (map[string]orgNameEntry, bool) {
	cs, ok := s.Store.(config.CacheStore)
	if !ok {
		return readOrgNames(path), true
	}
	m := map[string]orgNameEntry{}
	b, err := cs.ReadCache(orgNamesCache)
	switch {
	case err != nil:
		return map[string]orgNameEntry{}, false
	case b == nil:
		return m, true // no cache yet
	case json.Unmarshal(b, &m) != nil || m == nil:
		return map[string]orgNameEntry{}, false
	}
	return m, true
}

// CachedOrgName is the org's name from the cache, without asking Webex ("" when none is
// cached or it has expired). The name is untrusted text.
func (s *Session) CachedOrgName(org string) string {
	u, err := api.OrgUUID(org)
	if err != nil {
		return ""
	}
	e, ok := s.orgNames(s.orgNamesPath())[s.orgNameKey(u)]
	if !ok || !e.fresh(time.Now()) {
		return ""
	}
	return e.Name
}

// CachedOrgNames is every fresh cached name for this session's Webex, by org UUID, read once
// (the terminal UI loads it in a command at start and keeps it). Names are untrusted text.
func (s *Session) CachedOrgNames() map[string]string {
	prefix := s.orgNameKey("")
	now := time.Now()
	out := map[string]string{}
	for k, e := range s.orgNames(s.orgNamesPath()) {
		if org, ok := strings.CutPrefix(k, prefix); ok && e.Name != "" && e.fresh(now) {
			out[org] = e.Name
		}
	}
	return out
}

// OrgName is the org's displayName from Webex, cached (see orgNameTTL). It returns "" and an
// error when the name cannot be read; a refusal (the token may not read orgs) is remembered
// for a while so it costs no request each run. The name is untrusted text.
func (s *Session) OrgName(ctx context.Context, org string) (string, error) {
	u, err := api.OrgUUID(org)
	if err != nil {
		return "", err
	}
	path, key := s.orgNamesPath(), s.orgNameKey(u)
	if e, ok := s.orgNames(path)[key]; ok && e.fresh(time.Now()) {
		if e.Name == "" {
			return "", errors.New("org name not readable: " + e.Refused)
		}
		return e.Name, nil
	}
	c, err := s.OrgClient(u)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, orgNameTimeout)
	defer cancel()
	o, err := c.GetOrganization(ctx, u)
	entry := orgNameEntry{Fetched: time.Now().UTC()}
	var we *api.Error
	switch {
	case err == nil:
		entry.Name = o.DisplayName
	case errors.As(err, &we) && (we.Status == http.StatusForbidden || we.Status == http.StatusNotFound):
		entry.Refused = http.StatusText(we.Status) + " (the token may lack spark-admin:organizations_read)"
	default:
		return "", err // a network or sign-in problem: ask again next time
	}
	s.storeOrgName(path, key, entry)
	if entry.Name == "" {
		return "", err
	}
	return entry.Name, nil
}

// storeOrgName re-reads the cache and writes it with one entry changed. No lock: two writers
// at once lose at most a cached name, which the next run fetches again.
func (s *Session) storeOrgName(path, key string, e orgNameEntry) {
	m, ok := s.readOrgNames(path)
	if !ok {
		s.Log.Debug("org name cache not written: it could not be read, and a write would drop every other name")
		return
	}
	m[key] = e
	if len(m) > orgNameMax {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return m[keys[i]].Fetched.Before(m[keys[j]].Fetched) })
		for _, k := range keys[:len(m)-orgNameMax] {
			delete(m, k)
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return
	}
	if cs, ok := s.Store.(config.CacheStore); ok {
		if err := cs.WriteCache(orgNamesCache, b); err != nil {
			s.Log.Debug("org name cache not written", "err", err)
		}
		return
	}
	if err := config.WriteFileAtomic(path, b); err != nil {
		s.Log.Debug("org name cache not written", "err", err)
	}
}

// OrgLabel is how a person reads an org: its alias, its Webex name, or both, ending with the
// UUID when neither is known. name must already be sanitised; alias comes from config.toml,
// which CheckAlias keeps printable.
func OrgLabel(alias, name, org string) string {
	name = strings.TrimSpace(name)
	switch {
	case alias != "" && name != "" && !strings.EqualFold(alias, name):
		return alias + " (" + name + ")"
	case alias != "":
		return alias
	case name != "":
		return name
	}
	return org
}
