package etcdstore

import (
	"context"
	"errors"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/byova/byova/etcdstore/etcdtest"
)

// One leads; the other waits. When the leader's lease goes (as when it is paused past the TTL
// or cut off), its context ends, the other leads, and the old leader's fenced writes fail.
func TestElectionFailoverAndFencing(t *testing.T) {
	srv := etcdtest.Start(t)
	kf := keyFile(t)
	a, b := open(t, srv, kf), open(t, srv, kf)
	ea, eb := NewElector(a, "replica-a", nil), NewElector(b, "replica-b", nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	la, err := ea.Lead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := ea.Check(ctx); err != nil {
		t.Fatalf("leader's check: %v", err)
	}
	if name, _ := a.Leader(ctx); name != "replica-a" {
		t.Fatalf("leader %q, want replica-a", name)
	}
	fencedA := ea.Fenced(a)
	if err := fencedA.Update(sa("o", "from-a", time.Time{})); err != nil {
		t.Fatal(err)
	}
	type led struct {
		ctx context.Context
		err error
	}
	bLed := make(chan led, 1)
	go func() {
		c, err := eb.Lead(ctx)
		bLed <- led{c, err}
	}()
	select {
	case <-bLed:
		t.Fatal("b leads while a does")
	default:
	}
	if err := eb.Check(ctx); !errors.Is(err, ErrNotLeader) {
		t.Fatalf("follower's check: %v", err)
	}
	// a's lease lapses: revoke it as etcd would after the TTL
	key, _, _ := ea.Fence()
	r, err := srv.Client(t).Get(ctx, key)
	if err != nil || len(r.Kvs) != 1 {
		t.Fatal(r, err)
	}
	// a write a had prepared before it noticed: fenced on what a won with
	stale := a.Fenced(func() (string, int64, bool) { return key, r.Kvs[0].CreateRevision, true })
	if _, err := srv.Client(t).Revoke(ctx, clientv3.LeaseID(r.Kvs[0].Lease)); err != nil {
		t.Fatal(err)
	}
	got := <-bLed
	if got.err != nil {
		t.Fatal(got.err)
	}
	<-la.Done() // a notices and steps down
	if ea.Leading() {
		t.Fatal("a still believes it leads")
	}
	if err := stale.Update(sa("o", "stale-from-a", time.Time{})); !errors.Is(err, ErrNotLeader) {
		t.Fatalf("a's write after b won: %v, want ErrNotLeader", err)
	}
	if err := ea.Check(ctx); !errors.Is(err, ErrNotLeader) {
		t.Fatalf("a's check after b won: %v", err)
	}
	if err := eb.Fenced(b).Update(sa("o", "from-b", time.Time{})); err != nil {
		t.Fatal(err)
	}
	tk, _ := b.Load()
	if at := tk.Profiles["default"].Orgs["o"].AccessToken; at != "from-b" {
		t.Fatalf("stored %q, want from-b", at)
	}
}
