package etcdstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/byova/byova/config"
	"github.com/byova/byova/etcdstore/etcdtest"
	"github.com/byova/byova/seal"
)

func keyFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "seal.key")
	if _, err := seal.WriteKeyFile(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func settings(srv *etcdtest.Server, keys ...string) config.StoreSettings {
	return config.StoreSettings{Backend: config.BackendEtcd, Endpoints: []string{srv.Endpoint}, Prefix: "/byova/",
		SealKeyFiles: keys, LeaseTTL: 2 * time.Second}
}

func open(t *testing.T, srv *etcdtest.Server, keys ...string) *Store {
	t.Helper()
	s, err := Open(context.Background(), Options{Settings: settings(srv, keys...), RequestTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func sa(org, access string, exp time.Time) func(*config.Tokens) error {
	return func(tk *config.Tokens) error {
		tk.Profile("default").Orgs[org] = &config.Token{Kind: config.KindServiceApp, Org: org, AccessToken: access, Expiry: exp}
		return nil
	}
}

func TestRoundTripSealed(t *testing.T) {
	srv := etcdtest.Start(t)
	kf := keyFile(t)
	s := open(t, srv, kf)
	exp := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	if err := s.Update(func(tk *config.Tokens) error {
		ps := tk.Profile("default")
		ps.Integration = &config.Token{Kind: config.KindIntegration, AccessToken: "INTEG-SECRET", RefreshToken: "REFRESH-SECRET", Expiry: exp}
		ps.ClientSecrets["client-1"] = "CLIENT-SECRET"
		return sa("org-1", "SA-SECRET", exp)(tk)
	}); err != nil {
		t.Fatal(err)
	}
	got, err := open(t, srv, kf).Load()
	if err != nil {
		t.Fatal(err)
	}
	ps := got.Profiles["default"]
	if ps.Integration.AccessToken != "INTEG-SECRET" || !ps.Integration.Expiry.Equal(exp) || ps.Orgs["org-1"].AccessToken != "SA-SECRET" || ps.ClientSecrets["client-1"] != "CLIENT-SECRET" {
		t.Fatalf("loaded %+v", ps)
	}
	r, err := srv.Client(t).Get(context.Background(), "/byova/", clientv3.WithPrefix())
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range r.Kvs {
		for _, secret := range []string{"SECRET", "org-1-", "default\""} {
			if bytes.Contains(kv.Value, []byte(secret)) {
				t.Errorf("%s holds %q in clear", kv.Key, secret)
			}
		}
	}
	if err := s.Update(func(tk *config.Tokens) error { delete(tk.Profile("default").Orgs, "org-1"); return nil }); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Load()
	if got.Profiles["default"].Orgs["org-1"] != nil {
		t.Fatal("removed token still there")
	}
	audit, err := auditOf(s)
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, e := range audit {
		ops = append(ops, e.Operation+" "+e.ID+" "+e.Org)
	}
	if want := "tokens.remove service-app org-1"; !strings.Contains(strings.Join(ops, "\n"), want) || len(audit) != 4 {
		t.Fatalf("audit %q: want 4 entries (3 stored, 1 removed) with %q", ops, want)
	}
}

// Writers of different orgs, all at once, from two replicas: none is lost.
func TestConcurrentUpdatesLoseNothing(t *testing.T) {
	srv := etcdtest.Start(t)
	kf := keyFile(t)
	a, b := open(t, srv, kf), open(t, srv, kf)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() {
			errs <- s.Update(func(tk *config.Tokens) error {
				// every writer also rewrites a shared token: the CAS makes them take turns
				ps := tk.Profile("default")
				n := 0
				if ps.PAT != nil {
					fmt.Sscan(ps.PAT.AccessToken, &n)
				}
				ps.PAT = &config.Token{Kind: config.KindPAT, AccessToken: fmt.Sprint(n + 1)}
				return sa(fmt.Sprintf("org-%d", i), "t", time.Time{})(tk)
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, _ := a.Load()
	ps := got.Profiles["default"]
	if len(ps.Orgs) != 20 || ps.PAT.AccessToken != "20" {
		t.Fatalf("%d orgs, counter %s: want 20 and 20", len(ps.Orgs), ps.PAT.AccessToken)
	}
}

func TestNeverReplacedByEarlierExpiry(t *testing.T) {
	srv := etcdtest.Start(t)
	s := open(t, srv, keyFile(t))
	late := time.Now().Add(2 * time.Hour).UTC()
	if err := s.Update(sa("o", "newer", late)); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(sa("o", "older", late.Add(-time.Hour))); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Load()
	if tok := got.Profiles["default"].Orgs["o"]; tok.AccessToken != "newer" {
		t.Fatalf("stored %q, want the later-expiring token kept", tok.AccessToken)
	}
}

func TestWrongSealKeyRefusesNamingKeyID(t *testing.T) {
	srv := etcdtest.Start(t)
	good := keyFile(t)
	open(t, srv, good)
	wrong := keyFile(t)
	_, err := Open(context.Background(), Options{Settings: settings(srv, wrong), RequestTimeout: 2 * time.Second})
	goodKey, _ := seal.ReadKeyFile(good)
	if err == nil || !strings.Contains(err.Error(), seal.KeyID(goodKey)) {
		t.Fatalf("wrong key: %v, want an error naming key %s", err, seal.KeyID(goodKey))
	}
	// rotation: [new, old] opens, and seals under new from then on
	rot := open(t, srv, wrong, good)
	if err := rot.Update(sa("o", "x", time.Time{})); err != nil {
		t.Fatal(err)
	}
	r, _ := srv.Client(t).Get(context.Background(), "/byova/tokens/", clientv3.WithPrefix())
	wrongKey, _ := seal.ReadKeyFile(wrong)
	if id, _ := seal.EnvelopeKeyID(r.Kvs[0].Value); id != seal.KeyID(wrongKey) {
		t.Fatalf("sealed under %s, want the first key %s", id, seal.KeyID(wrongKey))
	}
	if _, err := Open(context.Background(), Options{Settings: settings(srv), RequestTimeout: time.Second}); err == nil {
		t.Fatal("no seal key accepted")
	}
}

func TestRefreshLockIsShared(t *testing.T) {
	srv := etcdtest.Start(t)
	kf := keyFile(t)
	a, b := open(t, srv, kf), open(t, srv, kf)
	unlockA, err := a.LockRefresh(context.Background(), "default", config.KindServiceApp, "o")
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		unlock, err := b.LockRefresh(context.Background(), "default", config.KindServiceApp, "o")
		if err == nil {
			unlock()
		}
		got <- err
	}()
	// another token's lock is free meanwhile
	unlockOther, err := b.LockRefresh(context.Background(), "default", config.KindServiceApp, "other")
	if err != nil {
		t.Fatal(err)
	}
	unlockOther()
	select {
	case err := <-got:
		t.Fatalf("b took the lock a holds: %v", err)
	default:
	}
	unlockA()
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	unlockA, _ = a.LockRefresh(context.Background(), "default", config.KindServiceApp, "o")
	defer unlockA()
	if _, err := b.LockRefresh(ctx, "default", config.KindServiceApp, "o"); err == nil {
		t.Fatal("a held lock was taken")
	}
}

// Two goroutines of one replica (its keeper and a console, say) share its lock lease, and an
// etcd mutex on one lease is re-entrant: the lock must still let one of them refresh at a time.
func TestRefreshLockExcludesWithinAReplica(t *testing.T) {
	srv := etcdtest.Start(t)
	a := open(t, srv, keyFile(t))
	unlock, err := a.LockRefresh(context.Background(), "default", config.KindServiceApp, "o")
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		unlock2, err := a.LockRefresh(context.Background(), "default", config.KindServiceApp, "o")
		if err == nil {
			unlock2()
		}
		got <- err
	}()
	unlockOther, err := a.Fenced(nil).LockRefresh(context.Background(), "default", config.KindServiceApp, "other")
	if err != nil {
		t.Fatal(err)
	}
	unlockOther()
	// Whether the goroutine above has reached the lock yet is the scheduler's business; a
	// caller that waits a moment must be refused, which does not depend on it.
	short, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	if unlock3, err := a.LockRefresh(short, "default", config.KindServiceApp, "o"); err == nil {
		unlock3()
		t.Fatal("a second caller of the replica took the lock the first holds")
	}
	cancel()
	select {
	case err := <-got:
		t.Fatalf("a second goroutine took the lock the first holds: %v", err)
	default:
	}
	unlock()
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	unlock, _ = a.LockRefresh(context.Background(), "default", config.KindServiceApp, "o")
	defer unlock()
	if _, err := a.Fenced(nil).LockRefresh(ctx, "default", config.KindServiceApp, "o"); err == nil {
		t.Fatal("a held lock was taken by a fenced copy of the same store")
	}
}

func TestFencedWritesNeedTheLeaderKey(t *testing.T) {
	srv := etcdtest.Start(t)
	s := open(t, srv, keyFile(t))
	cli := srv.Client(t)
	put, err := cli.Put(context.Background(), "/byova/election/leader", "me")
	if err != nil {
		t.Fatal(err)
	}
	rev := put.Header.Revision
	fenced := s.Fenced(func() (string, int64, bool) { return "/byova/election/leader", rev, true })
	if err := fenced.Update(sa("o", "one", time.Time{})); err != nil {
		t.Fatal(err)
	}
	// another replica wins: the key is made again with a new create revision
	cli.Delete(context.Background(), "/byova/election/leader")
	cli.Put(context.Background(), "/byova/election/leader", "other")
	if err := fenced.Update(sa("o", "two", time.Time{})); !errors.Is(err, ErrNotLeader) {
		t.Fatalf("write after losing: %v, want ErrNotLeader", err)
	}
	if err := fenced.AppendAudit(config.AuditEntry{Operation: "x"}); !errors.Is(err, ErrNotLeader) {
		t.Fatalf("audit after losing: %v, want ErrNotLeader", err)
	}
	got, _ := s.Load()
	if tok := got.Profiles["default"].Orgs["o"]; tok.AccessToken != "one" {
		t.Fatalf("stored %q after the fenced write failed", tok.AccessToken)
	}
}

func TestHostKeyBlobShared(t *testing.T) {
	srv := etcdtest.Start(t)
	kf := keyFile(t)
	a, b := open(t, srv, kf), open(t, srv, kf)
	one, created, err := a.LoadOrCreate("host", func() ([]byte, error) { return []byte("key-a"), nil })
	if err != nil || !created {
		t.Fatal(created, err)
	}
	two, created, err := b.LoadOrCreate("host", func() ([]byte, error) { return []byte("key-b"), nil })
	if err != nil || created || !bytes.Equal(one, two) {
		t.Fatalf("b got %q (created %v, %v), want a's %q", two, created, err, one)
	}
}

func TestUnreachableIsAnErrorNotAHang(t *testing.T) {
	srv := etcdtest.Start(t)
	s := open(t, srv, keyFile(t))
	srv.Stop()
	if _, err := s.Load(); err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("load with etcd down: %v", err)
	}
	if err := s.Update(sa("o", "x", time.Time{})); err == nil {
		t.Fatal("update with etcd down succeeded")
	}
	srv.Restart()
	if err := s.Update(sa("o", "x", time.Time{})); err != nil {
		t.Fatalf("after etcd came back: %v", err)
	}
}

func TestReadAuditNewestLast(t *testing.T) {
	srv := etcdtest.Start(t)
	s := open(t, srv, keyFile(t))
	for i := range 5 {
		if err := s.AppendAudit(config.AuditEntry{Operation: "datasources.extend", ID: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	srv.Client(t).Put(context.Background(), "/byova/audit/99999999T000000.000000000Z-junk", "not sealed")
	lines, more, err := s.ReadAudit(4)
	if err != nil || !more || len(lines) != 4 {
		t.Fatalf("%d lines, more %v, %v", len(lines), more, err)
	}
	if lines[3].Err == nil || lines[0].Entry.ID != "2" || lines[2].Entry.ID != "4" {
		t.Fatalf("lines %+v: want 2, 3, 4 then the junk entry as an error", lines)
	}
	got, _, err := config.ReadAuditOf(s, "/nonexistent", config.AuditTail)
	if err != nil || len(got) != 6 {
		t.Fatalf("ReadAuditOf: %d lines, %v", len(got), err)
	}
}

// Past its retention the audit log loses its oldest entries, whichever replica wrote them
// and however they were written (an entry of its own, or a token change's); the newest stay.
func TestAuditKeepsTheNewestEntries(t *testing.T) {
	srv := etcdtest.Start(t)
	kf := keyFile(t)
	a, b := open(t, srv, kf), open(t, srv, kf)
	for _, s := range []*Store{a, b} {
		s.auditRetain, s.auditPruneEvery = 5, 1
	}
	base := time.Now().Add(-time.Hour)
	for i := range 11 {
		s := []*Store{a, b}[i%2]
		if err := s.AppendAudit(config.AuditEntry{Time: base.Add(time.Duration(i) * time.Second), Operation: fmt.Sprintf("op-%02d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Update(sa("o", "t", time.Now().Add(time.Hour))); err != nil { // its entry is the 12th, and newest
		t.Fatal(err)
	}
	es, err := auditOf(a)
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, e := range es {
		ops = append(ops, e.Operation)
	}
	if want := []string{"op-07", "op-08", "op-09", "op-10", "tokens.store"}; !slices.Equal(ops, want) {
		t.Fatalf("audit log %v, want the newest %v", ops, want)
	}
}

// auditOf is every entry of the store's audit log, oldest first, as the Activity screen reads
// it (ReadAudit); an entry that cannot be read is an error.
func auditOf(s *Store) ([]config.AuditEntry, error) {
	lines, _, err := s.ReadAudit(1 << 20)
	if err != nil {
		return nil, err
	}
	out := make([]config.AuditEntry, 0, len(lines))
	for _, l := range lines {
		if l.Err != nil {
			return nil, fmt.Errorf("audit %s: %w", l.Raw, l.Err)
		}
		out = append(out, l.Entry)
	}
	return out, nil
}
