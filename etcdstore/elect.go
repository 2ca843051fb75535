package etcdstore

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"

	"github.com/byova/byova/config"
)

// Elector is this replica's part in the keeper election: every replica campaigns under the
// prefix on a lease of lease_ttl; the one whose key is oldest leads. Its writes are fenced on
// that key's create revision, so a leader that was paused past its lease and woke after another
// won writes nothing.
type Elector struct {
	s    *Store
	name string
	log  *slog.Logger

	mu      sync.Mutex // guards the fields below; never held across a call to etcd
	leading bool
	key     string
	rev     int64
	stop    context.CancelFunc
}

// NewElector campaigns as name (shown by `byova store status`: host and addresses).
func NewElector(s *Store, name string, log *slog.Logger) *Elector {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Elector{s: s, name: name, log: log}
}

func (s *Store) electionPrefix() string { return s.prefix + dirElection + "keeper" }

// Lead blocks until this replica leads (or ctx ends). The context it returns ends the moment
// leadership is lost: the lease lapsed (etcd unreachable, this process paused past the TTL), or
// ctx ended. Calling Lead again campaigns afresh.
func (e *Elector) Lead(ctx context.Context) (context.Context, error) {
	s := e.s
	gctx, cancel := s.ctx()
	start := time.Now()
	lease, err := s.cli.Grant(gctx, int64(s.ttl/time.Second))
	cancel()
	s.m().request("lease", start, err)
	if err != nil {
		return nil, s.unreachable(err)
	}
	sess, err := concurrency.NewSession(s.cli, concurrency.WithLease(lease.ID), concurrency.WithTTL(int(s.ttl/time.Second)))
	if err != nil {
		return nil, s.unreachable(err)
	}
	el := concurrency.NewElection(sess, s.electionPrefix())
	// Campaign waits on a watch: end it if the lease goes meanwhile, else it would wait for a
	// leadership this replica can no longer hold.
	cctx, ccancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-sess.Done():
		case <-cctx.Done():
		}
		ccancel()
	}()
	if err := el.Campaign(cctx, e.name); err != nil {
		ccancel()
		rctx, rcancel := s.ctx()
		_ = el.Resign(rctx)
		rcancel()
		_ = sess.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, s.unreachable(fmt.Errorf("keeper election: %w", err))
	}
	lctx, lcancel := context.WithCancel(ctx)
	e.mu.Lock()
	e.leading, e.key, e.rev, e.stop = true, el.Key(), el.Rev(), lcancel
	e.mu.Unlock()
	s.m().leading(true)
	e.log.Info("this replica leads the keeper", "event", "leader", "leader", true, "name", e.name, "rev", el.Rev())
	go func() {
		select {
		case <-sess.Done():
			e.log.Warn("keeper leadership lost: the store lease lapsed", "event", "leader", "leader", false)
		case <-lctx.Done():
		}
		e.stepDown()
		ccancel()
		rctx, rcancel := s.ctx()
		_ = el.Resign(rctx) // harmless when the lease is already gone
		rcancel()
		_ = sess.Close()
	}()
	return lctx, nil
}

func (e *Elector) stepDown() {
	e.mu.Lock()
	was, stop := e.leading, e.stop
	e.leading, e.stop = false, nil
	e.mu.Unlock()
	if stop != nil {
		stop()
	}
	if was {
		e.s.m().leading(false)
	}
}

// Leading is whether this replica believes it leads (Check asks etcd).
func (e *Elector) Leading() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.leading
}

// Fence is the leader key and its create revision, ok false when not leading: the compare
// every fenced write carries.
func (e *Elector) Fence() (key string, rev int64, ok bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.key, e.rev, e.leading
}

// Check asks etcd whether this replica still leads: its key is there with the create revision
// it won with, and no key is older. Anything else steps down (and ends Lead's context).
func (e *Elector) Check(ctx context.Context) error {
	key, rev, ok := e.Fence()
	if !ok {
		return ErrNotLeader
	}
	ctx, cancel := context.WithTimeout(ctx, e.s.timeout)
	defer cancel()
	start := time.Now()
	r, err := e.s.cli.Get(ctx, e.s.electionPrefix()+"/", clientv3.WithFirstCreate()...)
	e.s.m().request("get", start, err)
	if err != nil {
		e.stepDown()
		return e.s.unreachable(err)
	}
	if len(r.Kvs) == 0 || string(r.Kvs[0].Key) != key || r.Kvs[0].CreateRevision != rev {
		e.log.Warn("keeper leadership lost: another replica leads", "event", "leader", "leader", false)
		e.stepDown()
		return ErrNotLeader
	}
	return nil
}

// Fenced is st with its writes fenced on this replica's leadership (st must be this store).
func (e *Elector) Fenced(st config.TokenStore) config.TokenStore {
	if s, ok := st.(*Store); ok {
		return s.Fenced(e.Fence)
	}
	return st
}

// Leader is the name of the replica that leads now ("" when none).
func (s *Store) Leader(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	r, err := s.cli.Get(ctx, s.electionPrefix()+"/", clientv3.WithFirstCreate()...)
	if err != nil {
		return "", s.unreachable(err)
	}
	if len(r.Kvs) == 0 {
		return "", nil
	}
	return string(r.Kvs[0].Value), nil
}
