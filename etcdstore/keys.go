package etcdstore

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/byova/byova/config"
)

// The layout under the prefix. Each token is a key of its own, so a write compares and swaps
// only what it changes and two replicas writing different orgs never conflict.
const (
	dirTokens   = "tokens/"   // tokens/PROFILE/KIND[/ORG]
	dirSecrets  = "secrets/"  // secrets/PROFILE/CLIENTID: Service App client secrets
	dirAudit    = "audit/"    // audit/TIME-RANDOM: one entry per write, never changed
	dirBlobs    = "blobs/"    // blobs/NAME: the SSH host key
	dirLocks    = "locks/"    // refresh locks (concurrency.Mutex)
	dirElection = "election/" // the keeper's election (concurrency.Election)
	dirOrgNames = "orgnames/" // the org name cache
	keyCheck    = "seal-check"
)

var esc = url.PathEscape

func (s *Store) tokenKey(profile, kind, org string) string {
	k := s.prefix + dirTokens + esc(profile) + "/" + esc(kind)
	if org != "" {
		k += "/" + esc(org)
	}
	return k
}

// parseTokenKey splits a tokens/ key; ok is false for one byova does not write.
func (s *Store) parseTokenKey(key string) (profile, kind, org string, ok bool) {
	rest, found := strings.CutPrefix(key, s.prefix+dirTokens)
	if !found {
		return "", "", "", false
	}
	parts := strings.Split(rest, "/")
	if len(parts) < 2 || len(parts) > 3 {
		return "", "", "", false
	}
	var err error
	for i, p := range parts {
		if parts[i], err = url.PathUnescape(p); err != nil || parts[i] == "" {
			return "", "", "", false
		}
	}
	profile, kind = parts[0], parts[1]
	if len(parts) == 3 {
		org = parts[2]
	}
	switch {
	case kind == config.KindServiceApp && org != "":
	case (kind == config.KindIntegration || kind == config.KindPAT) && org == "":
	default:
		return "", "", "", false
	}
	return profile, kind, org, true
}

func (s *Store) secretKey(profile, clientID string) string {
	return s.prefix + dirSecrets + esc(profile) + "/" + esc(clientID)
}

func (s *Store) parseSecretKey(key string) (profile, clientID string, ok bool) {
	rest, found := strings.CutPrefix(key, s.prefix+dirSecrets)
	if !found {
		return "", "", false
	}
	p, c, found := strings.Cut(rest, "/")
	if !found {
		return "", "", false
	}
	var err1, err2 error
	profile, err1 = url.PathUnescape(p)
	clientID, err2 = url.PathUnescape(c)
	return profile, clientID, err1 == nil && err2 == nil && profile != "" && clientID != ""
}

func (s *Store) lockKey(profile, kind, org string) string {
	return s.prefix + dirLocks + esc(profile) + "/" + esc(kind) + "/" + esc(org)
}

func (s *Store) blobKey(name string) string { return s.prefix + dirBlobs + esc(name) }

// describe names a key in errors without its prefix.
func (s *Store) describe(key string) string {
	return fmt.Sprintf("%s (under %s)", strings.TrimPrefix(key, s.prefix), s.prefix)
}
