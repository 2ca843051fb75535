package etcdstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"
	"go.uber.org/zap"

	"github.com/byova/byova/config"
	"github.com/byova/byova/seal"
)

// Timeouts: a store call never waits on etcd longer than RequestTimeout, so an unreachable
// store is an error (and a banner) in seconds, never a hang.
const (
	RequestTimeout  = 5 * time.Second
	dialTimeout     = 5 * time.Second
	maxUpdateTries  = 32
	maxValueBytes   = seal.MaxEnvelope
	defaultLockWait = 30 * time.Second
)

// ErrNotLeader is a fenced write refused because this replica no longer leads: another
// replica won the election while this one was paused or cut off.
var ErrNotLeader = errors.New("this replica no longer leads the keeper: the write was refused")

// Store is the etcd token store. It is safe for concurrent use; Fenced copies share its client.
type Store struct {
	cli      *clientv3.Client
	prefix   string
	keys     *seal.Keyring
	ttl      time.Duration
	log      *slog.Logger
	lockWait time.Duration
	path     string
	timeout  time.Duration

	fence func() (key string, rev int64, ok bool) // nil: unfenced

	auditRetain, auditPruneEvery int64 // AuditRetain and auditPruneEvery; tests shorten them

	mu      *sync.Mutex // guards shared.lockSess and shared.refreshing (shared by Fenced copies)
	shared  *sharedState
	closeFn func() error
}

type sharedState struct {
	lockSess *concurrency.Session
	// refreshing holds one slot per token whose refresh lock a goroutine of this replica holds:
	// an etcd mutex is re-entrant on its lease, and every goroutine here shares lockSess.
	refreshing map[string]chan struct{}
	// auditWrites counts the audit entries this replica wrote, to prune every auditPruneEvery.
	auditWrites atomic.Int64
	obs         atomic.Pointer[Metrics]
}

// SetMetrics starts recording into m (serve's registry), for this store and its Fenced copies.
func (s *Store) SetMetrics(m *Metrics) { s.shared.obs.Store(m) }

func (s *Store) m() *Metrics { return s.shared.obs.Load() }

// Options open a Store.
type Options struct {
	Settings config.StoreSettings
	Log      *slog.Logger
	Metrics  *Metrics // nil: none
	// RequestTimeout bounds each etcd call (default RequestTimeout); tests shorten it.
	RequestTimeout time.Duration
}

// Open connects to etcd, loads the seal keys and checks them against the store: a key the
// store was sealed with that this replica lacks is an error naming its id, at start.
func Open(ctx context.Context, o Options) (*Store, error) {
	st := o.Settings
	if st.Backend != config.BackendEtcd {
		return nil, fmt.Errorf("etcdstore: backend is %q, not etcd", st.Backend)
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	keys, err := seal.LoadKeyring(st.SealKeyFiles)
	if err != nil {
		return nil, err
	}
	cfg := clientv3.Config{Endpoints: st.Endpoints, DialTimeout: dialTimeout, Logger: zap.NewNop(),
		DialKeepAliveTime: 10 * time.Second, DialKeepAliveTimeout: 5 * time.Second}
	if cfg.TLS, err = tlsConfig(st); err != nil {
		return nil, err
	}
	if st.Username != "" {
		b, err := os.ReadFile(st.PasswordFile)
		if err != nil {
			return nil, fmt.Errorf("[serve.store] password_file: %w", err)
		}
		cfg.Username, cfg.Password = st.Username, strings.TrimSpace(string(b))
		if cfg.Password == "" {
			return nil, fmt.Errorf("[serve.store] password_file %s is empty: put etcd user %s's password in it", st.PasswordFile, st.Username)
		}
	}
	cli, err := clientv3.New(cfg)
	if err != nil {
		if st.Username != "" { // clientv3 signs in as it connects: say who, and where the password is
			return nil, fmt.Errorf("etcd %s as user %s (password from [serve.store] password_file %s): %w",
				strings.Join(st.Endpoints, ","), st.Username, st.PasswordFile, err)
		}
		return nil, fmt.Errorf("etcd %s: %w", strings.Join(st.Endpoints, ","), err)
	}
	ttl := st.LeaseTTL
	if ttl <= 0 {
		ttl = config.DefaultLeaseTTL
	}
	s := &Store{cli: cli, prefix: st.Prefix, keys: keys, ttl: ttl, log: log,
		lockWait: defaultLockWait, path: "etcd " + strings.Join(st.Endpoints, ",") + " " + st.Prefix,
		mu: &sync.Mutex{}, shared: &sharedState{}, timeout: o.RequestTimeout,
		auditRetain: AuditRetain, auditPruneEvery: auditPruneEvery}
	if s.timeout <= 0 {
		s.timeout = RequestTimeout
	}
	s.shared.obs.Store(o.Metrics)
	s.closeFn = cli.Close
	if err := s.checkSeal(ctx); err != nil {
		cli.Close()
		if cfg.TLS != nil && errors.Is(err, context.DeadlineExceeded) {
			// gRPC keeps retrying a failed handshake and reports only the deadline: name it.
			if terr := tlsProblem(st.Endpoints, cfg.TLS); terr != nil {
				return nil, fmt.Errorf("%w\n  TLS to etcd: %v: check [serve.store] ca_file, cert_file and key_file", err, terr)
			}
		}
		return nil, err
	}
	return s, nil
}

// tlsProblem is the first handshake failure with an https endpoint (nil when none fails in
// the time given). With TLS 1.3 a server that refuses the client's certificate says so only
// after the handshake, so one read follows it.
func tlsProblem(endpoints []string, c *tls.Config) error {
	for _, e := range endpoints {
		u, err := url.Parse(e)
		if err != nil || u.Scheme != "https" {
			continue
		}
		cc := c.Clone()
		cc.ServerName = u.Hostname()
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 2 * time.Second}, "tcp", u.Host, cc)
		if err != nil {
			return err
		}
		// The server refuses a client certificate with an alert after the handshake (TLS 1.3):
		// wait for it long enough for a loaded machine.
		_ = conn.SetReadDeadline(time.Now().Add(3 * time.Second))
		_, err = conn.Read(make([]byte, 1))
		conn.Close()
		var ne net.Error
		if err != nil && !errors.Is(err, io.EOF) && !(errors.As(err, &ne) && ne.Timeout()) {
			return err
		}
	}
	return nil
}

func tlsConfig(st config.StoreSettings) (*tls.Config, error) {
	anyHTTPS := false
	for _, e := range st.Endpoints {
		anyHTTPS = anyHTTPS || strings.HasPrefix(e, "https://")
	}
	if st.CAFile == "" && st.CertFile == "" && !anyHTTPS {
		return nil, nil
	}
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if st.CAFile != "" {
		pem, err := os.ReadFile(st.CAFile)
		if err != nil {
			return nil, fmt.Errorf("[serve.store] ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("[serve.store] ca_file %s holds no PEM certificate", st.CAFile)
		}
		c.RootCAs = pool
	}
	if st.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(st.CertFile, st.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("[serve.store] cert_file/key_file: %w", err)
		}
		c.Certificates = []tls.Certificate{cert}
	}
	return c, nil
}

// Close ends the store's lease (its refresh locks go) and its connection.
func (s *Store) Close() error {
	s.mu.Lock()
	ls := s.shared.lockSess
	s.shared.lockSess = nil
	s.mu.Unlock()
	if ls != nil {
		_ = ls.Close() // bounded by the session's own request timeout
	}
	if s.closeFn != nil {
		return s.closeFn()
	}
	return nil
}

// Client is the etcd client (the election and `byova store status` use it).
func (s *Store) Client() *clientv3.Client { return s.cli }

// Prefix is the key prefix everything lives under.
func (s *Store) Prefix() string { return s.prefix }

// Path names the store in messages.
func (s *Store) Path() string { return s.path }

// KeyIDs are the seal keys' ids, the sealing one first.
func (s *Store) KeyIDs() []string { return s.keys.IDs() }

// Fenced is a copy of s whose token writes land only while fence says this replica leads
// and the leader key still has the create revision it had when it won (see Elector.Fence).
func (s *Store) Fenced(fence func() (key string, rev int64, ok bool)) *Store {
	cp := *s
	cp.fence = fence
	cp.closeFn = nil
	return &cp
}

func (s *Store) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), s.timeout)
}

// checkSeal proves this replica's keys open what the store holds: the check entry is written
// under the first key on first use, and later opened with whichever key it names.
func (s *Store) checkSeal(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	key := s.prefix + keyCheck
	env, err := s.keys.Seal(key, []byte("byova"))
	if err != nil {
		return err
	}
	start := time.Now()
	r, err := s.cli.Txn(ctx).If(clientv3.Compare(clientv3.CreateRevision(key), "=", 0)).
		Then(clientv3.OpPut(key, string(env))).Else(clientv3.OpGet(key)).Commit()
	s.m().request("check", start, err)
	if err != nil {
		return s.unreachable(err)
	}
	if r.Succeeded {
		return nil
	}
	kvs := r.Responses[0].GetResponseRange().Kvs
	if len(kvs) == 0 {
		return fmt.Errorf("etcd: %s vanished while it was read; start again", s.describe(key))
	}
	if _, err := s.keys.Open(key, kvs[0].Value); err != nil {
		id, _ := seal.EnvelopeKeyID(kvs[0].Value)
		return fmt.Errorf("the store at %s is sealed with key %s, which this replica's seal_key_files %v do not hold: give the same seal key file as the other replicas (%w)",
			s.path, id, s.keys.IDs(), err)
	}
	return nil
}

func (s *Store) unreachable(err error) error {
	return fmt.Errorf("token store %s unreachable: %w; check that etcd is up and reachable from here", s.path, err)
}

// entry is one key read: its plain value and the mod revision its write compares against.
type entry struct {
	plain []byte
	rev   int64
}

// snapshot reads every token and client secret, opened. Anything that does not open is an
// error naming the key: never a silently empty store.
func (s *Store) snapshot(ctx context.Context) (map[string]entry, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	start := time.Now()
	out := map[string]entry{}
	for _, dir := range []string{dirTokens, dirSecrets} {
		r, err := s.cli.Get(ctx, s.prefix+dir, clientv3.WithPrefix())
		s.m().request("get", start, err)
		if err != nil {
			return nil, s.unreachable(err)
		}
		for _, kv := range r.Kvs {
			k := string(kv.Key)
			plain, err := s.keys.Open(k, kv.Value)
			if err != nil {
				return nil, fmt.Errorf("token store %s: %s: %w", s.path, s.describe(k), err)
			}
			out[k] = entry{plain: plain, rev: kv.ModRevision}
		}
	}
	return out, nil
}

// decode builds Tokens from a snapshot.
func (s *Store) decode(snap map[string]entry) (*config.Tokens, error) {
	t := &config.Tokens{Version: 1, Profiles: map[string]*config.ProfileSecrets{}}
	for k, e := range snap {
		if profile, kind, org, ok := s.parseTokenKey(k); ok {
			tok := &config.Token{}
			if err := json.Unmarshal(e.plain, tok); err != nil {
				return nil, fmt.Errorf("token store %s: %s holds no token (%v): remove it with etcdctl, then sign in again", s.path, s.describe(k), err)
			}
			ps := t.Profile(profile)
			switch kind {
			case config.KindIntegration:
				ps.Integration = tok
			case config.KindPAT:
				ps.PAT = tok
			default:
				ps.Orgs[org] = tok
			}
			continue
		}
		if profile, clientID, ok := s.parseSecretKey(k); ok {
			var sec string
			if err := json.Unmarshal(e.plain, &sec); err != nil {
				return nil, fmt.Errorf("token store %s: %s holds no client secret (%v)", s.path, s.describe(k), err)
			}
			t.Profile(profile).ClientSecrets[clientID] = sec
		}
	}
	return t, nil
}

// flatten is the key → plain value form of t, the one Update diffs.
func (s *Store) flatten(t *config.Tokens) (map[string][]byte, error) {
	out := map[string][]byte{}
	put := func(k string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		out[k] = b
		return nil
	}
	for name, ps := range t.Profiles {
		if ps == nil {
			continue
		}
		if ps.Integration != nil {
			if err := put(s.tokenKey(name, config.KindIntegration, ""), ps.Integration); err != nil {
				return nil, err
			}
		}
		if ps.PAT != nil {
			if err := put(s.tokenKey(name, config.KindPAT, ""), ps.PAT); err != nil {
				return nil, err
			}
		}
		for org, tok := range ps.Orgs {
			if tok != nil {
				if err := put(s.tokenKey(name, config.KindServiceApp, org), tok); err != nil {
					return nil, err
				}
			}
		}
		for id, sec := range ps.ClientSecrets {
			if err := put(s.secretKey(name, id), sec); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// Load reads every token.
func (s *Store) Load() (*config.Tokens, error) {
	snap, err := s.snapshot(context.Background())
	if err != nil {
		return nil, err
	}
	return s.decode(snap)
}

// Update reads, calls fn and writes what fn changed in one transaction that compares each
// changed key's mod revision with the one read (and, fenced, the leader key's create
// revision). A conflict re-reads and calls fn again. A token is never replaced by one of the
// same slot that expires earlier: that write is dropped and the newer one kept. Each changed
// token gets an audit entry in the same transaction.
func (s *Store) Update(fn func(*config.Tokens) error) error {
	for try := range maxUpdateTries {
		if try > 0 {
			// Writers that collided back off a little at random so that one of them wins.
			time.Sleep(time.Duration(mrand.N(int64(try)*2+1)) * time.Millisecond)
		}
		snap, err := s.snapshot(context.Background())
		if err != nil {
			return err
		}
		t, err := s.decode(snap)
		if err != nil {
			return err
		}
		if err := fn(t); err != nil {
			return err
		}
		want, err := s.flatten(t)
		if err != nil {
			return fmt.Errorf("token store %s: %w", s.path, err)
		}
		var cmps []clientv3.Cmp
		var ops []clientv3.Op
		for k, v := range want {
			old, had := snap[k]
			if had && bytes.Equal(old.plain, v) {
				continue
			}
			if had && expiresEarlier(old.plain, v) {
				s.log.Warn("kept the stored token: the new one expires earlier", "event", "store", "key", strings.TrimPrefix(k, s.prefix))
				continue
			}
			env, err := s.keys.Seal(k, v)
			if err != nil {
				return err
			}
			cmps = append(cmps, clientv3.Compare(clientv3.ModRevision(k), "=", old.rev))
			ops = append(ops, clientv3.OpPut(k, string(env)))
			ops = append(ops, s.auditOp("tokens.store", k))
		}
		for k, old := range snap {
			if _, keep := want[k]; keep {
				continue
			}
			cmps = append(cmps, clientv3.Compare(clientv3.ModRevision(k), "=", old.rev))
			ops = append(ops, clientv3.OpDelete(k))
			ops = append(ops, s.auditOp("tokens.remove", k))
		}
		if len(ops) == 0 {
			return nil
		}
		if fk, frev, ok := s.fenceNow(); !ok {
			return ErrNotLeader
		} else if fk != "" {
			cmps = append(cmps, clientv3.Compare(clientv3.CreateRevision(fk), "=", frev))
		}
		ok, err := s.commit(cmps, ops)
		if err != nil {
			return err
		}
		if ok {
			s.audited(int64(len(ops) / 2))
			return nil
		}
		if fk, frev, _ := s.fenceNow(); fk != "" {
			if lost, err := s.fenceLost(fk, frev); err != nil {
				return err
			} else if lost {
				return ErrNotLeader
			}
		}
	}
	return fmt.Errorf("token store %s: %d writers kept changing the same tokens; try again", s.path, maxUpdateTries)
}

// fenceNow is the fence to compare against: "" when unfenced; ok false when this replica
// already knows it does not lead.
func (s *Store) fenceNow() (key string, rev int64, ok bool) {
	if s.fence == nil {
		return "", 0, true
	}
	return s.fence()
}

func (s *Store) fenceLost(key string, rev int64) (bool, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	r, err := s.cli.Get(ctx, key)
	if err != nil {
		return false, s.unreachable(err)
	}
	return len(r.Kvs) == 0 || r.Kvs[0].CreateRevision != rev, nil
}

func (s *Store) commit(cmps []clientv3.Cmp, ops []clientv3.Op) (bool, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	start := time.Now()
	r, err := s.cli.Txn(ctx).If(cmps...).Then(ops...).Commit()
	s.m().request("txn", start, err)
	if err != nil {
		return false, s.unreachable(err)
	}
	return r.Succeeded, nil
}

// expiresEarlier reports whether next is the same slot's token with an earlier expiry than old.
func expiresEarlier(old, next []byte) bool {
	var a, b config.Token
	if json.Unmarshal(old, &a) != nil || json.Unmarshal(next, &b) != nil {
		return false
	}
	return !a.Expiry.IsZero() && !b.Expiry.IsZero() && b.Expiry.Before(a.Expiry) && a.AccessToken != b.AccessToken
}

// auditKey is a fresh audit key: time-ordered, unique across replicas.
func (s *Store) auditKey(at time.Time) string {
	var r [6]byte
	_, _ = rand.Read(r[:])
	return s.prefix + dirAudit + at.UTC().Format("20060102T150405.000000000Z") + "-" + hex.EncodeToString(r[:])
}

// auditOp is the audit entry recording a token change, put in the same transaction.
func (s *Store) auditOp(op, key string) clientv3.Op {
	e := config.AuditEntry{Time: time.Now().UTC(), Operation: op, Result: config.AuditOK}
	if profile, kind, org, ok := s.parseTokenKey(key); ok {
		e.Profile, e.Org, e.ID = profile, org, kind
	} else if profile, clientID, ok := s.parseSecretKey(key); ok {
		e.Profile, e.ID = profile, "client-secret "+clientID
	}
	k := s.auditKey(e.Time)
	b, _ := json.Marshal(e)
	env, err := s.keys.Seal(k, b)
	if err != nil {
		env = nil // crypto/rand failing: the put still lands, an empty entry says something was lost
	}
	return clientv3.OpPut(k, string(env))
}

// AppendAudit writes one audit entry as a key of its own (never changed after). A fenced copy
// (the keeper) writes it only while it leads.
func (s *Store) AppendAudit(e config.AuditEntry) error {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.Time = e.Time.UTC()
	if e.Result == "" {
		e.Result = config.AuditOK
		if e.Error != "" {
			e.Result = config.AuditError
		}
	}
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	k := s.auditKey(e.Time)
	env, err := s.keys.Seal(k, b)
	if err != nil {
		return err
	}
	cmps := []clientv3.Cmp{clientv3.Compare(clientv3.CreateRevision(k), "=", 0)}
	if fk, frev, ok := s.fenceNow(); !ok {
		return ErrNotLeader
	} else if fk != "" {
		cmps = append(cmps, clientv3.Compare(clientv3.CreateRevision(fk), "=", frev))
	}
	ok, err := s.commit(cmps, []clientv3.Op{clientv3.OpPut(k, string(env))})
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("audit entry not written: %w", ErrNotLeader)
	}
	s.audited(1)
	return nil
}

// AuditRetain is how many audit entries the store keeps: past it the oldest are deleted, so
// years of keeper rounds do not fill etcd's space quota (2 GB by default; an entry is about
// half a kilobyte sealed, so the log takes some 50 MB at most).
const AuditRetain = 100_000

// auditPruneEvery is how many entries a replica writes between two looks at the log's size,
// and auditPruneMax the most entries one look deletes (their keys are read first).
const (
	auditPruneEvery = 500
	auditPruneMax   = 10_000
)

// audited counts n entries just written and prunes the log when a multiple of
// auditPruneEvery was passed. A prune that fails is logged: the entries stay for the next.
func (s *Store) audited(n int64) {
	if n <= 0 {
		return
	}
	c := s.shared.auditWrites.Add(n)
	if c/s.auditPruneEvery == (c-n)/s.auditPruneEvery {
		return
	}
	if err := s.pruneAudit(); err != nil {
		s.log.Warn("audit log not pruned", "event", "store", "error", err.Error())
	}
}

// pruneAudit deletes the oldest audit entries past auditRetain, at most auditPruneMax. Keys
// sort by time, so they are the first keys under the prefix; replicas pruning at once delete
// the same keys, which is harmless.
func (s *Store) pruneAudit() error {
	ctx, cancel := s.ctx()
	defer cancel()
	pfx := s.prefix + dirAudit
	r, err := s.cli.Get(ctx, pfx, clientv3.WithPrefix(), clientv3.WithCountOnly())
	if err != nil {
		return s.unreachable(err)
	}
	drop := min(r.Count-s.auditRetain, auditPruneMax)
	if drop <= 0 {
		return nil
	}
	// The first drop+1 keys: the last of them is the oldest one kept.
	kr, err := s.cli.Get(ctx, pfx, clientv3.WithPrefix(), clientv3.WithKeysOnly(),
		clientv3.WithSort(clientv3.SortByKey, clientv3.SortAscend), clientv3.WithLimit(drop+1))
	if err != nil {
		return s.unreachable(err)
	}
	if int64(len(kr.Kvs)) <= drop {
		return nil // entries went meanwhile (another replica pruned)
	}
	keep := string(kr.Kvs[drop].Key)
	if _, err := s.cli.Delete(ctx, pfx, clientv3.WithRange(keep)); err != nil {
		return s.unreachable(err)
	}
	s.log.Info("audit log pruned", "event", "store", "deleted", drop, "kept", s.auditRetain)
	return nil
}

// LoadOrCreate returns the blob called name, storing mk's value first when there is none.
func (s *Store) LoadOrCreate(name string, mk func() ([]byte, error)) ([]byte, bool, error) {
	k := s.blobKey(name)
	ctx, cancel := s.ctx()
	defer cancel()
	r, err := s.cli.Get(ctx, k)
	if err != nil {
		return nil, false, s.unreachable(err)
	}
	if len(r.Kvs) == 0 {
		b, err := mk()
		if err != nil {
			return nil, false, err
		}
		env, err := s.keys.Seal(k, b)
		if err != nil {
			return nil, false, err
		}
		tr, err := s.cli.Txn(ctx).If(clientv3.Compare(clientv3.CreateRevision(k), "=", 0)).
			Then(clientv3.OpPut(k, string(env))).Else(clientv3.OpGet(k)).Commit()
		if err != nil {
			return nil, false, s.unreachable(err)
		}
		if tr.Succeeded {
			return b, true, nil
		}
		r = (*clientv3.GetResponse)(tr.Responses[0].GetResponseRange())
		if len(r.Kvs) == 0 {
			return nil, false, fmt.Errorf("%s vanished while it was read; start again", s.describe(k))
		}
	}
	b, err := s.keys.Open(k, r.Kvs[0].Value)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", s.describe(k), err)
	}
	return b, false, nil
}

// LockRefresh holds one token's refresh lock, an etcd mutex on this store's lease: two
// replicas refreshing the same token at once make one grant. If this replica dies the lease
// lapses and the lock goes with it.
func (s *Store) LockRefresh(ctx context.Context, profile, kind, org string) (func(), error) {
	key := s.lockKey(profile, kind, org)
	lctx, cancel := context.WithTimeout(ctx, s.lockWait)
	defer cancel()
	// This replica's own turn first: the etcd mutex below lets every goroutine on the lease in.
	release, err := s.refreshTurn(lctx, key)
	if err != nil {
		if ctx.Err() == nil {
			return nil, fmt.Errorf("this replica has been refreshing the %s token%s for over %s; try again", kind, orgSuffix(org), s.lockWait)
		}
		return nil, err
	}
	ls, err := s.lockSession()
	if err != nil {
		release()
		return nil, err
	}
	m := concurrency.NewMutex(ls, key)
	if err := m.Lock(lctx); err != nil {
		release()
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			return nil, fmt.Errorf("another replica has held the refresh lock of the %s token%s for over %s; try again", kind, orgSuffix(org), s.lockWait)
		}
		return nil, s.unreachable(err)
	}
	return func() {
		defer release()
		uctx, cancel := s.ctx()
		defer cancel()
		if err := m.Unlock(uctx); err != nil {
			s.log.Warn("refresh lock not released (its lease will let it go)", "event", "store", "error", err.Error())
		}
	}, nil
}

// refreshTurn waits, until ctx ends, for no other goroutine of this replica to hold key's
// refresh lock, and takes it. s.mu is held only to find the slot, never while waiting.
func (s *Store) refreshTurn(ctx context.Context, key string) (release func(), err error) {
	s.mu.Lock()
	if s.shared.refreshing == nil {
		s.shared.refreshing = map[string]chan struct{}{}
	}
	turn := s.shared.refreshing[key]
	if turn == nil { // one per stored token at most: the store's own keys size the map
		turn = make(chan struct{}, 1)
		s.shared.refreshing[key] = turn
	}
	s.mu.Unlock()
	select {
	case turn <- struct{}{}:
		return func() { <-turn }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func orgSuffix(org string) string {
	if org == "" {
		return ""
	}
	return " of org " + org
}

// lockSession is the lease the refresh locks hang on, made again when it was lost. The lease
// is granted outside s.mu (no lock across the network); of two made at once, one is kept.
func (s *Store) lockSession() (*concurrency.Session, error) {
	s.mu.Lock()
	cur := s.shared.lockSess
	s.mu.Unlock()
	if cur != nil {
		select {
		case <-cur.Done():
		default:
			return cur, nil
		}
	}
	ctx, cancel := s.ctx()
	defer cancel()
	start := time.Now()
	lease, err := s.cli.Grant(ctx, int64(s.ttl/time.Second))
	s.m().request("lease", start, err)
	if err != nil {
		return nil, s.unreachable(err)
	}
	ls, err := concurrency.NewSession(s.cli, concurrency.WithLease(lease.ID), concurrency.WithTTL(int(s.ttl/time.Second)))
	if err != nil {
		return nil, s.unreachable(err)
	}
	s.mu.Lock()
	if s.shared.lockSess != cur && s.shared.lockSess != nil {
		kept := s.shared.lockSess
		s.mu.Unlock()
		_ = ls.Close()
		return kept, nil
	}
	s.shared.lockSess = ls
	s.mu.Unlock()
	return ls, nil
}

// maxCache bounds a shared cache's value (the org names: 500 entries at most).
const maxCache = 256 << 10

// ReadCache is the shared cache called name (nil, nil when there is none).
func (s *Store) ReadCache(name string) ([]byte, error) {
	k := s.prefix + dirOrgNames + esc(name)
	ctx, cancel := s.ctx()
	defer cancel()
	start := time.Now()
	r, err := s.cli.Get(ctx, k)
	s.m().request("get", start, err)
	if err != nil {
		return nil, s.unreachable(err)
	}
	if len(r.Kvs) == 0 {
		return nil, nil
	}
	return s.keys.Open(k, r.Kvs[0].Value)
}

// WriteCache replaces the shared cache called name; the last writer wins (a cache may lose an
// entry, which the next fetch brings back).
func (s *Store) WriteCache(name string, b []byte) error {
	if len(b) > maxCache {
		return fmt.Errorf("cache %s: %d bytes, more than %d", name, len(b), maxCache)
	}
	k := s.prefix + dirOrgNames + esc(name)
	env, err := s.keys.Seal(k, b)
	if err != nil {
		return err
	}
	ctx, cancel := s.ctx()
	defer cancel()
	start := time.Now()
	_, err = s.cli.Put(ctx, k, string(env))
	s.m().request("put", start, err)
	if err != nil {
		return s.unreachable(err)
	}
	return nil
}

// ReadAudit is the newest max audit entries, oldest first (the activity screen). An entry
// that does not open or parse comes back as a line with Err set, never a panic or a gap.
func (s *Store) ReadAudit(max int) ([]config.AuditLine, bool, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	start := time.Now()
	r, err := s.cli.Get(ctx, s.prefix+dirAudit, clientv3.WithPrefix(),
		clientv3.WithSort(clientv3.SortByKey, clientv3.SortDescend), clientv3.WithLimit(int64(max)))
	s.m().request("get", start, err)
	if err != nil {
		return nil, false, s.unreachable(err)
	}
	lines := make([]config.AuditLine, len(r.Kvs))
	for i, kv := range r.Kvs {
		n := len(r.Kvs) - i
		l := config.AuditLine{N: n}
		plain, err := s.keys.Open(string(kv.Key), kv.Value)
		if err == nil {
			err = json.Unmarshal(plain, &l.Entry)
		}
		if err == nil && (l.Entry.Time.IsZero() || l.Entry.Operation == "") {
			err = errors.New("an entry without a time or an operation")
		}
		if err != nil {
			l.Entry, l.Err, l.Raw = config.AuditEntry{}, err, strings.TrimPrefix(string(kv.Key), s.prefix)
		}
		lines[n-1] = l
	}
	return lines, r.More, nil
}
