package etcdstore_test

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/etcdstore"
	"github.com/byova/byova/etcdstore/etcdtest"
	"github.com/byova/byova/fleet"
	"github.com/byova/byova/keeper"
	"github.com/byova/byova/seal"
	"github.com/byova/byova/session"
)

// fleetWorld is a fake Webex, one etcd, and a session per replica on its own store client.
type fleetWorld struct {
	fake  *webexfake.Server
	etcd  *etcdtest.Server
	cr    webexfake.Credentials
	st    config.Settings
	store config.StoreSettings
}

func newFleet(t *testing.T) *fleetWorld {
	t.Helper()
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Close() })
	kf := filepath.Join(t.TempDir(), "seal.key")
	if _, err := seal.WriteKeyFile(kf); err != nil {
		t.Fatal(err)
	}
	srv := etcdtest.Start(t)
	cr := fake.Creds()
	w := &fleetWorld{fake: fake, etcd: srv, cr: cr,
		st: config.Settings{Profile: "default", BaseURL: fake.URL(), Source: map[string]string{},
			ServiceAppClientID: cr.ServiceAppClientID, ServiceAppClientSecret: cr.ServiceAppClientSecret},
		store: config.StoreSettings{Backend: config.BackendEtcd, Endpoints: []string{srv.Endpoint}, Prefix: "/byova/",
			SealKeyFiles: []string{kf}, LeaseTTL: 2 * time.Second}}
	sess, _ := w.replica(t)
	for _, tok := range []struct {
		org string
		t   api.Token
	}{
		{cr.OrgID, api.Token{AccessToken: cr.ServiceAppAccessToken, RefreshToken: cr.ServiceAppRefreshToken, Expiry: time.Now().Add(time.Hour)}},
		{cr.OtherOrgID, api.Token{RefreshToken: cr.OtherOrgServiceAppRefreshToken}},
	} {
		if err := sess.SaveToken(config.KindServiceApp, tok.org, cr.ServiceAppClientID, cr.ServiceAppClientSecret, tok.t); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func (w *fleetWorld) replica(t *testing.T) (*session.Session, *etcdstore.Store) {
	t.Helper()
	s, err := etcdstore.Open(context.Background(), etcdstore.Options{Settings: w.store, RequestTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	sess, err := session.New(w.st, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	sess.AuditPath = filepath.Join(t.TempDir(), "must-stay-empty.log")
	sess.OrgNamesPath = filepath.Join(t.TempDir(), "org-names.json")
	return sess, s
}

func puts(f *webexfake.Server) map[string]int {
	n := map[string]int{}
	for _, r := range f.Requests() {
		if r.Method == http.MethodPut && strings.HasPrefix(r.Path, "/v1/dataSources/") {
			n[strings.TrimPrefix(r.Path, "/v1/dataSources/")]++
		}
	}
	return n
}

// waitFor polls cond (the keeper's loop has no hook a test can block on) and fails after 30 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30s for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Two replicas: one leads and extends each due source once; the other sends nothing. The
// leader's lease lapses (as after kill -9 or a pause past the TTL): the other leads within
// the TTL and extends nothing twice; every extend is audited once, in etcd.
func TestKeeperFailoverExtendsEachDueSourceOnce(t *testing.T) {
	w := newFleet(t)
	within := 2 * time.Hour
	var want []string
	check, _ := w.replica(t)
	for _, org := range []string{w.cr.OrgID, w.cr.OtherOrgID} {
		c, err := check.OrgClient(org)
		if err != nil {
			t.Fatal(err)
		}
		items, err := c.ListDataSources(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for i := range items {
			if fleet.Due(&items[i], time.Now(), within) {
				want = append(want, items[i].ID)
			}
		}
	}
	if len(want) < 2 {
		t.Fatalf("the seed should hold due sources, found %d", len(want))
	}
	w.fake.ResetRequests()

	type rep struct {
		k *keeper.Keeper
		e *etcdstore.Elector
		s *etcdstore.Store
	}
	var reps []rep
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	for _, name := range []string{"a", "b"} {
		sess, st := w.replica(t)
		e := etcdstore.NewElector(st, name, nil)
		k, err := keeper.New(keeper.Options{Session: sess, Interval: time.Second, Within: within, Leader: e,
			Log: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		reps = append(reps, rep{k, e, st})
		wg.Go(func() { k.Loop(ctx) })
	}
	var leader, follower rep
	waitFor(t, "a first round", func() bool {
		for i, r := range reps {
			if !r.k.LastCompleted().IsZero() {
				leader, follower = r, reps[1-i]
				return true
			}
		}
		return false
	})
	got := puts(w.fake)
	for _, id := range want {
		if got[id] != 1 {
			t.Errorf("%s extended %d times, want once", id, got[id])
		}
	}
	if follower.k.Leading() || !follower.k.LastCompleted().IsZero() {
		t.Fatal("the follower ran a round")
	}

	key, _, _ := leader.e.Fence()
	r, err := w.etcd.Client(t).Get(ctx, key)
	if err != nil || len(r.Kvs) != 1 {
		t.Fatal(r, err)
	}
	lost := time.Now()
	if _, err := w.etcd.Client(t).Revoke(ctx, clientv3.LeaseID(r.Kvs[0].Lease)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the follower's first round", func() bool { return !follower.k.LastCompleted().IsZero() })
	if took := time.Since(lost); took > 2*time.Second+2*time.Second {
		t.Errorf("failover took %s, more than TTL + one interval", took)
	}
	waitFor(t, "the old leader to notice it lost", func() bool { return !leader.k.Leading() })
	got = puts(w.fake)
	for _, id := range want {
		if got[id] != 1 {
			t.Errorf("after failover %s extended %d times, want once", id, got[id])
		}
	}
	audit, err := etcdstore.AuditOf(follower.s)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range audit {
		if e.Operation == fleet.OpDataSourceExtend {
			n++
			if e.Actor != keeper.Actor {
				t.Errorf("audit %+v: actor %q, want keeper", e, e.Actor)
			}
		}
	}
	if n != len(want) {
		t.Errorf("%d extends audited in etcd, want %d", n, len(want))
	}
}

// Two replicas refresh the same Service App token at once: the etcd refresh lock makes one
// grant, and both end up with its token.
func TestTwoReplicasRefreshOneGrant(t *testing.T) {
	w := newFleet(t)
	a, _ := w.replica(t)
	b, _ := w.replica(t)
	w.fake.ResetRequests()
	var wg sync.WaitGroup
	toks := make([]api.Token, 2)
	errs := make([]error, 2)
	for i, s := range []*session.Session{a, b} {
		wg.Go(func() { toks[i], errs[i] = s.RefreshNow(context.Background(), config.KindServiceApp, w.cr.OrgID) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	grants := 0
	for _, r := range w.fake.Requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/access_token") {
			grants++
		}
	}
	if grants != 1 || toks[0].AccessToken != toks[1].AccessToken {
		t.Fatalf("%d grants, tokens equal %v: want one grant shared", grants, toks[0].AccessToken == toks[1].AccessToken)
	}

}

// One replica fetches an org's name; another reads it from the shared cache without asking.
func TestOrgNamesCacheShared(t *testing.T) {
	w := newFleet(t)
	if err := w.fake.SetOrgName(w.cr.OrgID, "Acme Shared"); err != nil {
		t.Fatal(err)
	}
	a, _ := w.replica(t)
	b, _ := w.replica(t)
	if name := b.CachedOrgName(w.cr.OrgID); name != "" {
		t.Fatalf("cached before any fetch: %q", name)
	}
	if name, err := a.OrgName(context.Background(), w.cr.OrgID); err != nil || name != "Acme Shared" {
		t.Fatalf("fetch: %q %v", name, err)
	}
	if name := b.CachedOrgName(w.cr.OrgID); name != "Acme Shared" {
		t.Fatalf("the other replica's cache has %q, want the fetched name", name)
	}
	if _, err := os.Stat(a.OrgNamesPath); err == nil {
		t.Fatal("the name went to the local cache file too")
	}
}
