package etcdstore_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/etcdstore"
	"github.com/byova/byova/etcdstore/etcdtest"
	"github.com/byova/byova/keeper"
	"github.com/byova/byova/seal"
	"github.com/byova/byova/session"
)

// benchTTL is the shortest lease etcd grants once its election timeout is 500 ms (it grants
// none shorter than 1.5 election timeouts, rounded up to a second).
const benchTTL = time.Second

// fakeOrgs hands each request to the fake Webex whose org its bearer token belongs to, in
// process: one fake per org, since a fake holds one primary org.
type fakeOrgs struct {
	byToken map[string]*webexfake.Server
	// put, when set, is told the data source id of each PUT, with the replica that sent it.
	put  func(replica, id string)
	name string
}

func (f fakeOrgs) RoundTrip(r *http.Request) (*http.Response, error) {
	fake := f.byToken[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	if fake == nil {
		return nil, fmt.Errorf("benchmark: no fake org holds the token of %s %s", r.Method, r.URL.Path)
	}
	rec := httptest.NewRecorder()
	fake.ServeHTTP(rec, r)
	if f.put != nil && r.Method == http.MethodPut && rec.Code == http.StatusOK {
		f.put(f.name, strings.TrimPrefix(r.URL.Path, "/v1/dataSources/"))
	}
	return rec.Result(), nil
}

// benchFleet is one etcd, n fake orgs of 100 data sources each, their Service App tokens in
// the store, and the settings a replica needs.
type benchFleet struct {
	b     *testing.B
	etcd  *etcdtest.Server
	store config.StoreSettings
	orgs  fakeOrgs
	fakes []*webexfake.Server
	creds []webexfake.Credentials
}

func newBenchFleet(b *testing.B, orgs int, ttl time.Duration) *benchFleet {
	b.Helper()
	kf := filepath.Join(b.TempDir(), "seal.key")
	if _, err := seal.WriteKeyFile(kf); err != nil {
		b.Fatal(err)
	}
	srv := etcdtest.Start(b, "--heartbeat-interval", "50", "--election-timeout", "500")
	f := &benchFleet{b: b, etcd: srv, orgs: fakeOrgs{byToken: map[string]*webexfake.Server{}},
		store: config.StoreSettings{Backend: config.BackendEtcd, Endpoints: []string{srv.Endpoint}, Prefix: "/byova/",
			SealKeyFiles: []string{kf}, LeaseTTL: ttl}}
	seeded := len(primaryOf(b, webexfake.New(webexfake.Options{Seed: 1})))
	for i := range orgs {
		fake := webexfake.New(webexfake.Options{Seed: int64(i + 1), ExtraDataSources: 100 - seeded, AccessTokenTTL: 12 * time.Hour})
		cr := fake.Creds()
		f.fakes, f.creds = append(f.fakes, fake), append(f.creds, cr)
		f.orgs.byToken[cr.ServiceAppAccessToken] = fake
	}
	sess, st := f.replica("seed", nil)
	for _, cr := range f.creds {
		if err := sess.SaveToken(config.KindServiceApp, cr.OrgID, cr.ServiceAppClientID, cr.ServiceAppClientSecret,
			api.Token{AccessToken: cr.ServiceAppAccessToken, RefreshToken: cr.ServiceAppRefreshToken, Expiry: time.Now().Add(12 * time.Hour)}); err != nil {
			b.Fatal(err)
		}
	}
	st.Close()
	return f
}

// primaryOf lists the fake's primary org the way a replica does.
func primaryOf(b *testing.B, fake *webexfake.Server) []api.DataSource {
	b.Helper()
	cr := fake.Creds()
	c, err := api.New(api.Options{BaseURL: "http://webex.invalid/v1", Token: api.StaticToken{Value: cr.ServiceAppAccessToken},
		HTTPClient: &http.Client{Transport: fakeOrgs{byToken: map[string]*webexfake.Server{cr.ServiceAppAccessToken: fake}}}})
	if err != nil {
		b.Fatal(err)
	}
	items, err := c.ListDataSources(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return items
}

// replica is one replica's session on its own store client; put hears its PUTs.
func (f *benchFleet) replica(name string, put func(replica, id string)) (*session.Session, *etcdstore.Store) {
	f.b.Helper()
	st, err := etcdstore.Open(context.Background(), etcdstore.Options{Settings: f.store, RequestTimeout: 2 * time.Second})
	if err != nil {
		f.b.Fatal(err)
	}
	f.b.Cleanup(func() { st.Close() })
	sess, err := session.New(config.Settings{Profile: "default", BaseURL: "http://webex.invalid/v1", Source: map[string]string{}}, st, nil)
	if err != nil {
		f.b.Fatal(err)
	}
	rt := f.orgs
	rt.put, rt.name = put, name
	if err := sess.SetHTTPClient(&http.Client{Transport: rt}); err != nil {
		f.b.Fatal(err)
	}
	sess.AuditPath = filepath.Join(f.b.TempDir(), "must-stay-empty.log")
	sess.OrgNamesPath = filepath.Join(f.b.TempDir(), "org-names.json")
	return sess, st
}

// One keeper round over 10,000 data sources in 100 orgs, three replicas campaigning, on the
// leader: each org listed, one source per org due and extended (leadership checked before each
// call to Webex, the token write fenced, the extend audited in etcd). A round takes about
// 2.5 s; with setting up 100 fake orgs (10,000 tokens signed) about 35 s for `make bench`'s 5.
func BenchmarkKeeperRound10kSources(b *testing.B) {
	f := newBenchFleet(b, 100, 5*time.Second) // a lease a loaded machine keeps through a round
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	b.Cleanup(func() { cancel(); wg.Wait() })
	var leader *keeper.Keeper
	for i := range 3 {
		sess, st := f.replica(fmt.Sprintf("r%d", i), nil)
		e := etcdstore.NewElector(st, fmt.Sprintf("r%d", i), nil)
		if i == 0 {
			if _, err := e.Lead(ctx); err != nil {
				b.Fatal(err)
			}
			k, err := keeper.New(keeper.Options{Session: sess, Interval: time.Hour, Within: 2 * time.Hour, Leader: e,
				Log: slog.New(slog.DiscardHandler)})
			if err != nil {
				b.Fatal(err)
			}
			leader = k
			continue
		}
		wg.Go(func() { _, _ = e.Lead(ctx) }) // the followers wait in the election all along
	}
	var active [][]string // per org, the ids a round may be given to extend
	for _, fake := range f.fakes {
		var ids []string
		for _, d := range primaryOf(b, fake) {
			if d.Status == "active" {
				ids = append(ids, d.ID)
			}
		}
		active = append(active, ids)
	}
	leader.RunOnce(ctx) // the seed's own due sources, out of the way
	sources := 0
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		for o, fake := range f.fakes {
			if _, err := fake.ExpireDataSource(active[o][i%len(active[o])], 0); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		rep := leader.RunOnce(ctx)
		sources = 0
		for _, o := range rep.Orgs {
			if o.Err != nil || len(o.Extended) != 1 || len(o.Failed) != 0 {
				b.Fatalf("org %s: listed %d, extended %v, failed %v, %v", o.Org, o.Listed, o.Extended, o.Failed, o.Err)
			}
			sources += o.Listed
		}
	}
	if sources != 10_000 {
		b.Fatalf("a round listed %d data sources, want 10,000", sources)
	}
	b.ReportMetric(100, "extends/round")
}

// Failover: kill -9 of the leader (its etcd client gone without resigning, so its lease has
// to lapse) to the next leader's first extend, three replicas, lease_ttl 1 s, keep.interval
// 1 s. Each op is one failover, about 0.9 s: about 10 s for `make bench`'s 5.
func BenchmarkFailover(b *testing.B) {
	f := newBenchFleet(b, 1, benchTTL)
	type extend struct{ replica, id string }
	puts := make(chan extend, 64)
	heard := func(replica, id string) { puts <- extend{replica, id} }
	type rep struct {
		name   string
		e      *etcdstore.Elector
		st     *etcdstore.Store
		cancel context.CancelFunc
		done   chan struct{}
	}
	n := 0
	start := func() *rep {
		n++
		name := fmt.Sprintf("r%d", n)
		sess, st := f.replica(name, heard)
		e := etcdstore.NewElector(st, name, nil)
		k, err := keeper.New(keeper.Options{Session: sess, Interval: keeper.MinInterval, Within: 2 * time.Hour, Leader: e,
			Log: slog.New(slog.DiscardHandler)})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		r := &rep{name: name, e: e, st: st, cancel: cancel, done: make(chan struct{})}
		go func() { defer close(r.done); k.Loop(ctx) }()
		return r
	}
	reps := []*rep{start(), start(), start()}
	b.Cleanup(func() {
		for _, r := range reps {
			r.cancel()
			<-r.done
		}
	})
	var active []string
	for _, d := range primaryOf(b, f.fakes[0]) {
		if d.Status == "active" {
			active = append(active, d.ID)
		}
	}
	leaderNow := func() int {
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			for i, r := range reps {
				if r.e.Leading() {
					return i
				}
			}
			time.Sleep(10 * time.Millisecond) // the election has no hook to block on
		}
		b.Fatal("no leader within 30 s")
		return -1
	}
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		l := leaderNow()
		dead := reps[l]
		for len(puts) > 0 {
			<-puts
		}
		b.StartTimer()
		_ = dead.st.Client().Close() // kill -9, as etcd sees it: no resign, no revoke
		id := active[i%len(active)]
		if _, err := f.fakes[0].ExpireDataSource(id, 0); err != nil {
			b.Fatal(err)
		}
		for got := (extend{}); got.id != id; {
			select {
			case got = <-puts:
				if got.id == id && got.replica == dead.name {
					b.Fatalf("the killed leader %s extended %s", dead.name, id)
				}
			case <-time.After(30 * time.Second):
				b.Fatalf("no replica extended %s within 30 s of the leader's kill", id)
			}
		}
		b.StopTimer()
		dead.cancel()
		<-dead.done
		reps[l] = start()
		b.StartTimer()
	}
	b.ReportMetric(benchTTL.Seconds(), "ttl_s")
}
