package etcdstore

import (
	"context"
	"fmt"
	"sort"
	"strings"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/byova/byova/config"
	"github.com/byova/byova/seal"
)

// Status is what `byova store status` shows.
type Status struct {
	Endpoints []string
	Prefix    string
	Leader    string         // the replica leading the keeper ("" when none campaigns)
	Revision  int64          // etcd's revision now
	Tokens    int            // token and client secret entries
	Sealed    map[string]int // entries by the id of the key they are sealed with
	Unsealed  int            // values under the prefix that are not byova envelopes
	KeyIDs    []string       // this replica's keys, the sealing one first
}

// maxTxnOps keeps an import's transactions under etcd's default limit of 128 operations.
const maxTxnOps = 100

// Status reads the store's state. Locks and election keys hold no secret (their values are
// replica names or empty) and are not counted.
func (s *Store) Status(ctx context.Context) (Status, error) {
	st := Status{Endpoints: s.cli.Endpoints(), Prefix: s.prefix, Sealed: map[string]int{}, KeyIDs: s.keys.IDs()}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	r, err := s.cli.Get(ctx, s.prefix, clientv3.WithPrefix())
	if err != nil {
		return st, s.unreachable(err)
	}
	st.Revision = r.Header.Revision
	for _, kv := range r.Kvs {
		k := string(kv.Key)
		if strings.HasPrefix(k, s.prefix+dirLocks) || strings.HasPrefix(k, s.prefix+dirElection) {
			continue
		}
		if strings.HasPrefix(k, s.prefix+dirTokens) || strings.HasPrefix(k, s.prefix+dirSecrets) {
			st.Tokens++
		}
		id, err := seal.EnvelopeKeyID(kv.Value)
		if err != nil {
			st.Unsealed++
			continue
		}
		st.Sealed[id]++
	}
	if st.Leader, err = s.Leader(ctx); err != nil {
		return st, err
	}
	return st, nil
}

// SealedIDs are the key ids in st.Sealed, sorted.
func (st Status) SealedIDs() []string {
	ids := make([]string, 0, len(st.Sealed))
	for id := range st.Sealed {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Import copies every entry of t into an empty store (byova store migrate): it refuses when
// the store already holds tokens, so a migration never mixes two stores. Each batch only
// creates keys (compare: absent), so a replica writing meanwhile is never overwritten.
func (s *Store) Import(t *config.Tokens) (int, error) {
	snap, err := s.snapshot(context.Background())
	if err != nil {
		return 0, err
	}
	if len(snap) > 0 {
		return 0, fmt.Errorf("the etcd store %s already holds %d entries: migrate copies into an empty store only (remove them with etcdctl del --prefix %s%s, if they are not needed)",
			s.path, len(snap), s.prefix, dirTokens)
	}
	want, err := s.flatten(t)
	if err != nil {
		return 0, err
	}
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for len(keys) > 0 {
		n := min(len(keys), maxTxnOps/2)
		var cmps []clientv3.Cmp
		var ops []clientv3.Op
		for _, k := range keys[:n] {
			env, err := s.keys.Seal(k, want[k])
			if err != nil {
				return 0, err
			}
			cmps = append(cmps, clientv3.Compare(clientv3.CreateRevision(k), "=", 0))
			ops = append(ops, clientv3.OpPut(k, string(env)), s.auditOp("tokens.store", k))
		}
		ok, err := s.commit(cmps, ops)
		if err != nil {
			return 0, err
		}
		if !ok {
			return 0, fmt.Errorf("the etcd store %s changed during the migration (another replica writes to it): stop the replicas and run migrate again", s.path)
		}
		keys = keys[n:]
	}
	return len(want), nil
}
