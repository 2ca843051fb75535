package e2e

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/etcdstore"
	"github.com/byova/byova/etcdstore/etcdtest"
	"github.com/byova/byova/fleet"
	"github.com/byova/byova/seal"
	"github.com/byova/byova/session"
)

// fleetTTL and fleetInterval are short so the drill is quick: the lease lapses 2 s after a
// replica stops answering, and the keeper runs every second.
const (
	fleetTTL      = 2 * time.Second
	fleetInterval = time.Second
)

type replica struct {
	name, http string
	ssh        string // the console's address ("" without users)
	cmd        *exec.Cmd
	exited     chan struct{}
	log        string
}

type fleetDrill struct {
	t      *testing.T
	bin    string
	etcd   *etcdtest.Server
	fake   *webexfake.Server
	cr     webexfake.Credentials
	key    string
	reps   []*replica
	store  *etcdstore.Store
	org    *api.Client
	schema string
	// webex is the Webex base URL a replica is given (nil: the fake's own).
	webex func(replica string) string
	// operatorKey, when set, is the public key file of [serve.users.alice] (an operator), and
	// every replica started serves its console over SSH too.
	operatorKey string
}

func newFleetDrill(t *testing.T, n int) *fleetDrill {
	t.Helper()
	d := &fleetDrill{t: t, bin: build(t), etcd: etcdtest.Start(t)}
	// Tokens the fake grants outlive the one stored below (6 h): a refreshed token that expired
	// earlier than the stored one would be kept out of the store by its expiry rule.
	d.fake = webexfake.New(webexfake.Options{Seed: 1, AccessTokenTTL: 12 * time.Hour})
	if err := d.fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.fake.Close() })
	d.cr = d.fake.Creds()
	d.key = filepath.Join(t.TempDir(), "seal.key")
	if _, err := seal.WriteKeyFile(d.key); err != nil {
		t.Fatal(err)
	}
	st, err := etcdstore.Open(context.Background(), etcdstore.Options{Settings: d.storeSettings(d.key), RequestTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	d.store = st
	sess, err := session.New(config.Settings{Profile: "default", BaseURL: d.fake.URL(), Source: map[string]string{},
		ServiceAppClientID: d.cr.ServiceAppClientID, ServiceAppClientSecret: d.cr.ServiceAppClientSecret}, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.SaveToken(config.KindServiceApp, d.cr.OrgID, d.cr.ServiceAppClientID, d.cr.ServiceAppClientSecret,
		api.Token{AccessToken: d.cr.ServiceAppAccessToken, RefreshToken: d.cr.ServiceAppRefreshToken, Expiry: time.Now().Add(6 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if d.org, err = sess.OrgClient(d.cr.OrgID); err != nil {
		t.Fatal(err)
	}
	schemas, err := d.org.ListSchemas(context.Background())
	if err != nil || len(schemas) == 0 {
		t.Fatalf("schemas: %v", err)
	}
	d.schema = schemas[0].ID
	for i := range n {
		d.reps = append(d.reps, d.start(fmt.Sprintf("r%d", i), d.key))
	}
	return d
}

func (d *fleetDrill) storeSettings(key string) config.StoreSettings {
	return config.StoreSettings{Backend: config.BackendEtcd, Endpoints: []string{d.etcd.Endpoint}, Prefix: "/byova/",
		SealKeyFiles: []string{key}, LeaseTTL: fleetTTL}
}

// waitSSH waits for r's SSH port, failing at once with its log when r exits first. A loaded
// machine (two go test at once) starts three replicas against etcd slower than one serve, so
// the wait is a minute, not waitPort's 15 s.
func (d *fleetDrill) waitSSH(r *replica) {
	d.t.Helper()
	waitListening(d.t, r.ssh, time.Minute, r.exited, r.log)
}

// start runs one `byova serve --http-addr` replica with its own folders and config.toml.
func (d *fleetDrill) start(name, key string) *replica {
	t := d.t
	dir := filepath.Join(t.TempDir(), name)
	cfgDir := filepath.Join(dir, "config", "byova")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf("[serve.keep]\ninterval = %q\nwithin = \"2h\"\n\n[serve.store]\nbackend = \"etcd\"\nendpoints = [%q]\nseal_key_files = [%q]\nlease_ttl = %q\n",
		fleetInterval.String(), d.etcd.Endpoint, key, fleetTTL.String())
	r := &replica{name: name, http: freePort(t), exited: make(chan struct{}), log: filepath.Join(dir, "serve.log")}
	args := []string{"serve", "--http-addr", r.http}
	if d.operatorKey != "" {
		cfg += fmt.Sprintf("\n[serve.users.alice]\nrole = \"operator\"\nkeys_file = %q\n", d.operatorKey)
		r.ssh = freePort(t)
		args = append(args, "--ssh-addr", r.ssh)
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "config.toml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	r.cmd = exec.Command(d.bin, args...)
	webex := d.fake.URL()
	if d.webex != nil {
		webex = d.webex(name)
	}
	r.cmd.Env = append(os.Environ(),
		"HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_DATA_HOME="+filepath.Join(dir, "data"),
		"XDG_STATE_HOME="+filepath.Join(dir, "state"), "XDG_CACHE_HOME="+filepath.Join(dir, "cache"),
		"WEBEX_BASE_URL="+webex, "WEBEX_ORG_ID="+d.cr.OrgID,
		"WEBEX_SA_CLIENT_ID="+d.cr.ServiceAppClientID, "WEBEX_SA_CLIENT_SECRET="+d.cr.ServiceAppClientSecret)
	lf, err := os.Create(r.log)
	if err != nil {
		t.Fatal(err)
	}
	r.cmd.Stdout, r.cmd.Stderr = lf, lf
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = r.cmd.Wait(); lf.Close(); close(r.exited) }()
	t.Cleanup(func() {
		select {
		case <-r.exited:
			return
		default:
		}
		_ = r.cmd.Process.Signal(syscall.SIGCONT)
		_ = r.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-r.exited:
		case <-time.After(30 * time.Second):
			_ = r.cmd.Process.Kill()
		}
	})
	return r
}

func (d *fleetDrill) logs() string {
	var b strings.Builder
	for _, r := range d.reps {
		l, _ := os.ReadFile(r.log)
		fmt.Fprintf(&b, "--- %s\n%s\n", r.name, l)
	}
	return b.String()
}

// get is one HTTP GET of a replica ("" and the error when it does not answer).
func get(r *replica, path string) (int, string) {
	c := http.Client{Timeout: time.Second}
	res, err := c.Get("http://" + r.http + path)
	if err != nil {
		return 0, err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func leads(r *replica) bool {
	code, body := get(r, "/metrics")
	return code == 200 && strings.Contains(body, "\nbyova_keeper_is_leader 1\n")
}

// waitUntil polls cond (replicas are other processes: there is nothing to block on) for up to
// 30 s and returns how long it took.
func (d *fleetDrill) waitUntil(what string, cond func() bool) time.Duration {
	d.t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > 30*time.Second {
			d.t.Fatalf("waited 30s for %s\n%s", what, d.logs())
		}
		time.Sleep(25 * time.Millisecond)
	}
	return time.Since(start)
}

// leader is the one replica that reports leading (of those alive), once exactly one does.
func (d *fleetDrill) leader(skip ...*replica) *replica {
	d.t.Helper()
	var l *replica
	d.waitUntil("exactly one leader", func() bool {
		l = nil
		n := 0
		for _, r := range d.reps {
			if contains(skip, r) {
				continue
			}
			if leads(r) {
				l, n = r, n+1
			}
		}
		return n == 1
	})
	return l
}

func contains(rs []*replica, r *replica) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// newDue creates a data source whose token has lapsed: the keeper's next round extends it.
func (d *fleetDrill) newDue(name string) string {
	d.t.Helper()
	ds, err := d.org.CreateDataSource(context.Background(), api.DataSourceCreate{SchemaID: d.schema,
		URL: "https://" + name + ".example.test/ingest", Audience: name, Subject: "drill", Nonce: api.NewNonce(), TokenLifetimeMinutes: 60})
	if err != nil {
		d.t.Fatal(err)
	}
	if _, err := d.fake.ExpireDataSource(ds.ID, 0); err != nil {
		d.t.Fatal(err)
	}
	return ds.ID
}

func (d *fleetDrill) puts() map[string]int {
	n := map[string]int{}
	for _, r := range d.fake.Requests() {
		if r.Method == http.MethodPut && strings.HasPrefix(r.Path, "/v1/dataSources/") {
			n[strings.TrimPrefix(r.Path, "/v1/dataSources/")]++
		}
	}
	return n
}

// audited counts the keeper's extend audit entries in etcd by data source id. Right after
// etcd comes back the test's own client may still be reconnecting: that is an error to retry.
func (d *fleetDrill) audited() (map[string]int, error) {
	lines, _, err := d.store.ReadAudit(1 << 20)
	if err != nil {
		return nil, err
	}
	n := map[string]int{}
	for _, l := range lines {
		if l.Err != nil {
			return nil, fmt.Errorf("audit entry %s: %w", l.Raw, l.Err)
		}
		if e := l.Entry; e.Operation == fleet.OpDataSourceExtend && e.Result == config.AuditOK {
			n[e.ID]++
		}
	}
	return n, nil
}

func (d *fleetDrill) extendedOnce(ids ...string) {
	d.t.Helper()
	// The fake sees the PUT before the keeper has its answer and writes the audit entry.
	d.waitUntil(fmt.Sprintf("%v extended and audited", ids), func() bool {
		p := d.puts()
		a, err := d.audited()
		if err != nil {
			return false
		}
		for _, id := range ids {
			if p[id] == 0 || a[id] == 0 {
				return false
			}
		}
		return true
	})
	p := d.puts()
	a, err := d.audited()
	if err != nil {
		d.t.Fatal(err)
	}
	for _, id := range ids {
		if p[id] != 1 || a[id] != 1 {
			d.t.Errorf("%s: %d PUTs, %d audit entries; want one of each\n%s", id, p[id], a[id], d.logs())
		}
	}
}

// Three replicas on one etcd and the fake: one leads; kill -9 of it → another leads within
// TTL + one interval and extends a newly due source once; SIGSTOP of that one past its TTL →
// the third leads, and on SIGCONT the paused one steps down and lands nothing; etcd stopped →
// no crash, /readyz 503; etcd back → a leader again, which extends the next due source.
func TestFleetFailover(t *testing.T) {
	d := newFleetDrill(t, 3)
	first := d.leader()
	seedDue := d.newDue("seed")
	d.extendedOnce(seedDue)
	for _, r := range d.reps {
		if code, body := get(r, "/readyz"); code != 200 {
			t.Errorf("%s /readyz %d %s", r.name, code, body)
		}
	}

	// kill -9 the leader
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-first.exited
	killed := time.Now()
	afterKill := d.newDue("after-kill")
	second := d.leader(first)
	d.extendedOnce(afterKill)
	took := time.Since(killed)
	t.Logf("failover: kill -9 to the next leader's extend in %s (TTL %s + interval %s)", took.Round(time.Millisecond), fleetTTL, fleetInterval)
	if took > 3*(fleetTTL+fleetInterval) {
		t.Errorf("failover took %s, want about TTL + one interval", took)
	}

	// SIGSTOP the new leader past its TTL; the third leads; SIGCONT: the paused one steps down
	if err := second.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	afterStop := d.newDue("after-stop")
	var third *replica
	for _, r := range d.reps {
		if r != first && r != second {
			third = r
		}
	}
	d.waitUntil("the third replica to lead", func() bool { return leads(third) })
	d.extendedOnce(afterStop)
	if err := second.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	d.waitUntil("the paused replica to step down", func() bool {
		code, body := get(second, "/metrics")
		return code == 200 && strings.Contains(body, "\nbyova_keeper_is_leader 0\n")
	})
	afterCont := d.newDue("after-cont")
	d.extendedOnce(afterCont)
	d.extendedOnce(seedDue, afterKill, afterStop)

	// etcd stops: nobody crashes, readiness says so; it comes back: a leader again
	d.etcd.Stop()
	for _, r := range []*replica{second, third} {
		d.waitUntil(r.name+" /readyz 503", func() bool { code, _ := get(r, "/readyz"); return code == 503 })
	}
	during := d.newDue("during-outage")
	before := d.puts()
	if outage := chaosOutage(); outage > 0 {
		time.Sleep(outage) // the fault itself: etcd stays away this long (make chaos)
	}
	if after := d.puts(); after[during] != 0 || len(after) != len(before) {
		t.Errorf("extends sent while etcd was away: %v", after)
	}
	d.etcd.Restart()
	for _, r := range []*replica{second, third} {
		d.waitUntil(r.name+" /readyz 200", func() bool { code, _ := get(r, "/readyz"); return code == 200 })
		select {
		case <-r.exited:
			t.Fatalf("%s exited while etcd was away\n%s", r.name, d.logs())
		default:
		}
	}
	d.leader(first)
	afterEtcd := d.newDue("after-etcd")
	d.extendedOnce(during, afterEtcd)
}

// chaosOutage is how long etcd stays stopped in the drill: BYOVA_CHAOS_OUTAGE (make chaos
// sets 30s), else no longer than it takes the replicas to notice.
func chaosOutage() time.Duration {
	d, _ := time.ParseDuration(os.Getenv("BYOVA_CHAOS_OUTAGE"))
	return d
}

// A replica with a seal key the store was not sealed with refuses to start, naming the key.
func TestFleetWrongSealKeyRefusesToStart(t *testing.T) {
	d := newFleetDrill(t, 0)
	wrong := filepath.Join(t.TempDir(), "wrong.key")
	if _, err := seal.WriteKeyFile(wrong); err != nil {
		t.Fatal(err)
	}
	r := d.start("wrong", wrong)
	select {
	case <-r.exited:
	case <-time.After(30 * time.Second):
		t.Fatal("a replica with the wrong seal key kept running")
	}
	good, _ := seal.ReadKeyFile(d.key)
	log, _ := os.ReadFile(r.log)
	if r.cmd.ProcessState.ExitCode() == 0 || !strings.Contains(string(log), seal.KeyID(good)) {
		t.Fatalf("exit %d, log %q: want a failure naming key %s", r.cmd.ProcessState.ExitCode(), log, seal.KeyID(good))
	}
}

// grantGate stands between the replicas and the fake: each replica reaches Webex under its own
// path (/NAME/v1/...), so the gate knows who asks; token grants wait until open is closed, and
// the data source lists each replica got answered after that are counted (as their answer
// arrives from the fake).
type grantGate struct {
	proxy  *httputil.ReverseProxy
	open   chan struct{}
	opened sync.Once
	mu     sync.Mutex
	listed map[string]int // replica → lists answered 200 once the gate opened
}

type replicaKey struct{}

func newGrantGate(t *testing.T, fake string) (*grantGate, *httptest.Server) {
	t.Helper()
	u, err := url.Parse(strings.TrimSuffix(fake, "/v1"))
	if err != nil {
		t.Fatal(err)
	}
	g := &grantGate{proxy: httputil.NewSingleHostReverseProxy(u), open: make(chan struct{}), listed: map[string]int{}}
	g.proxy.ModifyResponse = func(res *http.Response) error {
		name, _ := res.Request.Context().Value(replicaKey{}).(string)
		if res.Request.Method == http.MethodGet && res.Request.URL.Path == "/v1/dataSources" && res.StatusCode == http.StatusOK {
			select {
			case <-g.open:
				g.mu.Lock()
				g.listed[name]++
				g.mu.Unlock()
			default:
			}
		}
		return nil
	}
	srv := httptest.NewServer(g)
	t.Cleanup(func() { g.release(); srv.Close() })
	return g, srv
}

func (g *grantGate) release() { g.opened.Do(func() { close(g.open) }) }

func (g *grantGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	r.URL.Path = "/" + rest
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/access_token") {
		select {
		case <-g.open:
		case <-r.Context().Done():
			return
		}
	}
	g.proxy.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), replicaKey{}, name)))
}

func (g *grantGate) listedBy(name string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.listed[name]
}

// Two serve replicas find the Service App token rejected at once (a console opened on each
// lists its data sources, the leader's keeper and prober too; a follower does neither): both
// wait on the token's refresh lock in etcd, and once the first grant is let through the fake
// has seen exactly one, and both replicas list with its token.
func TestFleetTwoReplicasOneGrant(t *testing.T) {
	d := newFleetDrill(t, 0)
	gate, proxy := newGrantGate(t, d.fake.URL())
	d.webex = func(name string) string { return proxy.URL + "/" + name + "/v1" }
	if n, err := d.fake.ExpireOrgTokens(d.cr.OrgID, false); err != nil || n == 0 {
		t.Fatalf("expire the org's access token: %d, %v", n, err)
	}
	dir := t.TempDir()
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice", "-f", filepath.Join(dir, "alice")).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	d.operatorKey = filepath.Join(dir, "alice.pub")
	d.fake.ResetRequests()
	d.reps = append(d.reps, d.start("a", d.key), d.start("b", d.key))
	tm := newTmux(t)
	for _, r := range d.reps {
		d.waitSSH(r)
		host, port, _ := net.SplitHostPort(r.ssh)
		cmd := fmt.Sprintf("env HOME=%q TERM=xterm-256color ssh -p %s -i %q -o IdentitiesOnly=yes -o BatchMode=yes "+
			"-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR %s; sleep 60",
			dir, port, filepath.Join(dir, "alice"), host)
		tm.on(r.name).must("new-session", "-d", "-s", r.name, "-x", "120", "-y", "30", "sh", "-c", cmd)
	}

	// Both replicas wait on the lock (one etcd key per replica's lease) while the first
	// grant is held at the gate.
	cli := d.etcd.Client(t)
	d.waitUntil("both replicas waiting on the refresh lock", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		r, err := cli.Get(ctx, "/byova/locks/", clientv3.WithPrefix(), clientv3.WithCountOnly())
		return err == nil && r.Count >= 2
	})
	gate.release()
	d.waitUntil("both replicas listing with the new token", func() bool { return gate.listedBy("a") > 0 && gate.listedBy("b") > 0 })
	var grants []string
	for _, r := range d.fake.Requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/access_token") {
			q, _ := url.ParseQuery(string(r.Body))
			grants = append(grants, fmt.Sprintf("%s %d at %s", q.Get("grant_type"), r.Status, r.Time.Format("15:04:05.000")))
		}
	}
	if len(grants) != 1 {
		t.Fatalf("the fake saw %d token grants, want 1: %v\n%s", len(grants), grants, d.logs())
	}
}

// The three replicas share one SSH host key (through the store): OpenSSH with a known_hosts
// that holds only the first replica's key and StrictHostKeyChecking=yes logs in to each, and
// each console shows the same data sources and the same `name · role`.
func TestFleetConsolesShareHostKeyAndData(t *testing.T) {
	for _, tool := range []string{"tmux", "ssh", "ssh-keygen", "ssh-keyscan"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is not installed (apt-get install tmux openssh-client): the drill needs it", tool)
		}
	}
	dir := t.TempDir()
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice", "-f", filepath.Join(dir, "alice")).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	d := newFleetDrill(t, 0)
	d.operatorKey = filepath.Join(dir, "alice.pub")
	for i := range 3 {
		d.reps = append(d.reps, d.start(fmt.Sprintf("r%d", i), d.key))
	}
	for _, r := range d.reps {
		d.waitSSH(r)
	}
	items, err := d.org.ListDataSources(context.Background())
	if err != nil || len(items) == 0 {
		t.Fatalf("the primary org's data sources: %d, %v", len(items), err)
	}

	// known_hosts: the first replica's host key, under every replica's address.
	host, port0, _ := net.SplitHostPort(d.reps[0].ssh)
	out, err := exec.Command("ssh-keyscan", "-t", "ed25519", "-p", port0, host).Output()
	fields := strings.Fields(string(out))
	if err != nil || len(fields) < 3 {
		t.Fatalf("ssh-keyscan of %s: %v %q", d.reps[0].ssh, err, out)
	}
	var kh strings.Builder
	for _, r := range d.reps {
		_, port, _ := net.SplitHostPort(r.ssh)
		fmt.Fprintf(&kh, "[%s]:%s %s %s\n", host, port, fields[1], fields[2])
	}
	knownHosts := filepath.Join(dir, "known_hosts")
	if err := os.WriteFile(knownHosts, []byte(kh.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	tm := newTmux(t)
	var screens []string
	for _, r := range d.reps {
		_, port, _ := net.SplitHostPort(r.ssh)
		cmd := fmt.Sprintf("env HOME=%q TERM=xterm-256color ssh -p %s -i %q -o IdentitiesOnly=yes -o BatchMode=yes "+
			"-o StrictHostKeyChecking=yes -o UserKnownHostsFile=%q -o LogLevel=ERROR %s; echo ssh-exit-$?; sleep 60",
			dir, port, filepath.Join(dir, "alice"), knownHosts, host)
		x := tm.on(r.name)
		x.must("new-session", "-d", "-s", r.name, "-x", "120", "-y", "30", "sh", "-c", cmd)
		x.waitFor("alice · operator")
		screens = append(screens, x.waitFor(fmt.Sprintf("Data sources %d", len(items))))
		x.must("send-keys", "-t", r.name, "q")
		x.waitFor("ssh-exit-0")
	}
	want := rows(screens[0])
	if len(want) != len(items) {
		t.Fatalf("%s's console lists %d data sources, the org has %d:\n%s", d.reps[0].name, len(want), len(items), screens[0])
	}
	for i, s := range screens[1:] {
		if got := rows(s); !slices.Equal(got, want) {
			t.Errorf("%s's console lists other data sources than %s's:\n%s\n---\n%s", d.reps[i+1].name, d.reps[0].name, s, screens[0])
		}
	}
}

// rows are the data source list's rows on a screen, without the selection mark and the
// EXPIRES IN column (a countdown that may tick between two screens).
func rows(screen string) []string {
	var out []string
	in := false
	for _, l := range strings.Split(screen, "\n") {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(l), "▸"))
		switch {
		case !in:
			in = len(f) > 1 && f[0] == "STATUS" && f[1] == "AUDIENCE"
		case len(f) == 0:
			return out
		default:
			out = append(out, strings.Join(f[:len(f)-1], " "))
		}
	}
	return out
}
