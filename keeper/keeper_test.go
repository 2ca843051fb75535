package keeper_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/fleet"
	"github.com/byova/byova/keeper"
	"github.com/byova/byova/session"
)

// world is a fake Webex with both authorized orgs' Service App tokens in a fresh store.
type world struct {
	fake  *webexfake.Server
	sess  *session.Session
	audit string
	logs  *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newWorld(t *testing.T) *world { return newWorldAt(t, nil, nil) }

// newWorldAt is newWorld with the fake on clk (nil: the real clock) and, when wrap is set, the
// keeper talking to the fake through wrap (which rewrites answers).
func newWorldAt(t *testing.T, clk *clock, wrap func(http.Handler) http.Handler) *world {
	t.Helper()
	fo := webexfake.Options{Seed: 1}
	if clk != nil {
		fo.Now = clk.Now
	}
	fake := webexfake.New(fo)
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Close() })
	base := fake.URL()
	if wrap != nil {
		srv := httptest.NewServer(wrap(fake))
		t.Cleanup(srv.Close)
		base = srv.URL + "/v1"
	}
	cr := fake.Creds()
	dir := t.TempDir()
	st := config.Settings{Profile: "default", BaseURL: base, Source: map[string]string{},
		ServiceAppClientID: cr.ServiceAppClientID, ServiceAppClientSecret: cr.ServiceAppClientSecret}
	sess, err := session.New(st, config.NewStore(filepath.Join(dir, "tokens.json")), nil)
	if err != nil {
		t.Fatal(err)
	}
	sess.AuditPath = filepath.Join(dir, "audit.log")
	if err := sess.SaveToken(config.KindServiceApp, cr.OrgID, cr.ServiceAppClientID, cr.ServiceAppClientSecret,
		api.Token{AccessToken: cr.ServiceAppAccessToken, RefreshToken: cr.ServiceAppRefreshToken, Expiry: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	// The other org starts with only a refresh token: the keeper's first call refreshes it.
	if err := sess.SaveToken(config.KindServiceApp, cr.OtherOrgID, cr.ServiceAppClientID, cr.ServiceAppClientSecret,
		api.Token{RefreshToken: cr.OtherOrgServiceAppRefreshToken}); err != nil {
		t.Fatal(err)
	}
	return &world{fake: fake, sess: sess, audit: sess.AuditPath, logs: &syncBuffer{}}
}

// clock is a settable clock for the keeper.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (w *world) keeper(t *testing.T, clk *clock, within time.Duration, dry bool) *keeper.Keeper {
	t.Helper()
	k, err := keeper.New(keeper.Options{Session: w.sess, Within: within, DryRun: dry, Now: clk.Now,
		Log: slog.New(slog.NewJSONHandler(w.logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// puts are the data source ids the fake got a PUT for, in order.
func puts(f *webexfake.Server) []string {
	var ids []string
	for _, r := range f.Requests() {
		if r.Method == http.MethodPut && strings.HasPrefix(r.Path, "/v1/dataSources/") {
			ids = append(ids, strings.TrimPrefix(r.Path, "/v1/dataSources/"))
		}
	}
	slices.Sort(ids)
	return ids
}

func count(f *webexfake.Server, method, path string) int {
	n := 0
	for _, r := range f.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// dueIDs lists org's data sources and picks the due ones by the published rule.
func dueIDs(t *testing.T, w *world, org string, now time.Time, within time.Duration) (due, all []api.DataSource) {
	t.Helper()
	c, err := w.sess.OrgClient(org)
	if err != nil {
		t.Fatal(err)
	}
	items, err := c.ListDataSources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := range items {
		if fleet.Due(&items[i], now, within) {
			due = append(due, items[i])
		}
	}
	return due, items
}

func idsOf(ds []api.DataSource) []string {
	var ids []string
	for _, d := range ds {
		ids = append(ids, d.ID)
	}
	slices.Sort(ids)
	return ids
}

func auditLines(t *testing.T, path string) []config.AuditEntry {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []config.AuditEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e config.AuditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("audit line %q: %v", sc.Text(), err)
		}
		out = append(out, e)
	}
	return out
}

// withExpiry is a data source as Webex would list it, its token expiring at exp.
func withExpiry(t *testing.T, life int, exp time.Time) *api.DataSource {
	t.Helper()
	claims := base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, `{"exp":%d}`, exp.Unix()))
	body := fmt.Sprintf(`{"id":"x","tokenLifetimeMinutes":%d,"jwsToken":"e30.%s.c2ln"}`, life, claims)
	var d api.DataSource
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatal(err)
	}
	return &d
}

func TestDueRule(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	tok := func(life int, left time.Duration) *api.DataSource {
		return withExpiry(t, life, now.Add(left))
	}
	cases := []struct {
		name string
		ds   *api.DataSource
		want bool
	}{
		{"a day left of a day", tok(1440, 24*time.Hour), false},
		{"2h left of a day, window 3h", tok(1440, 2*time.Hour), true},
		{"expired", tok(1440, -time.Hour), true},
		{"60-minute source with 40m left is not due (half its life is the window)", tok(60, 40*time.Minute), false},
		{"60-minute source with 29m left is due", tok(60, 29*time.Minute), true},
		{"unknown expiry", &api.DataSource{ID: "y", TokenLifetimeMinutes: 60}, false},
		// The README's rule: the smaller of within and half the lifetime, whatever the lifetime.
		{"180-minute source just extended (3h left) is not due under 3h", tok(180, 3*time.Hour), false},
		{"180-minute source with 91m left is not due", tok(180, 91*time.Minute), false},
		{"180-minute source with 89m left is due", tok(180, 89*time.Minute), true},
		{"unknown lifetime counts as 1440: 2h left is due", tok(0, 2*time.Hour), true},
	}
	for _, c := range cases {
		if got := fleet.Due(c.ds, now, 3*time.Hour); got != c.want {
			t.Errorf("%s: Due = %v, want %v", c.name, got, c.want)
		}
	}
	// A wide window never makes a fresh token due: 24h is capped at half the lifetime.
	if fleet.Due(tok(1440, 23*time.Hour), now, 24*time.Hour) {
		t.Error("within 24h: a 1440-minute token with 23h left is due; half its life (12h) is the window")
	}
}

func TestDueSourcesExtendedOncePerRun(t *testing.T) {
	w := newWorld(t)
	cr := w.fake.Creds()
	clk := &clock{t: time.Now()}
	within := 2 * time.Hour
	wantPrimary, _ := dueIDs(t, w, cr.OrgID, clk.Now(), within)
	wantOther, _ := dueIDs(t, w, cr.OtherOrgID, clk.Now(), within)
	want := append(idsOf(wantPrimary), idsOf(wantOther)...)
	slices.Sort(want)
	if len(wantPrimary) < 2 {
		t.Fatalf("the seed should hold an expired and a soon-expiring source in the primary org, found %d due", len(wantPrimary))
	}
	w.fake.ResetRequests()

	k := w.keeper(t, clk, within, false)
	rep := k.RunOnce(context.Background())
	if rep.Result != keeper.RunOK {
		t.Fatalf("result %s: %+v", rep.Result, rep.Orgs)
	}
	if got := puts(w.fake); !slices.Equal(got, want) {
		t.Fatalf("PUTs %v, want each due source once: %v", got, want)
	}
	for _, d := range wantPrimary {
		c, _ := w.sess.OrgClient(cr.OrgID)
		after, err := c.GetDataSource(context.Background(), d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after.TokenLifetimeMinutes != d.TokenLifetimeMinutes {
			t.Errorf("%s: lifetime %d, want it kept at %d", d.ID, after.TokenLifetimeMinutes, d.TokenLifetimeMinutes)
		}
		if fleet.Due(after, clk.Now(), within) {
			t.Errorf("%s still due after the run (expiry %s)", d.ID, after.Expiry())
		}
	}
	audit := auditLines(t, w.audit)
	if len(audit) != len(want) {
		t.Fatalf("audit lines %d, want %d", len(audit), len(want))
	}
	for _, e := range audit {
		if e.Actor != keeper.Actor || e.Operation != "datasources.extend" || e.Result != config.AuditOK {
			t.Errorf("audit entry %+v: want actor keeper, datasources.extend, ok", e)
		}
	}
	if !strings.Contains(w.logs.String(), `"event":"extend"`) {
		t.Errorf("no JSON line per extend in the log:\n%s", w.logs)
	}
	for line := range strings.SplitSeq(strings.TrimSpace(w.logs.String()), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("log line is not JSON: %s", line)
		}
	}

	// The next run, a minute later: nothing is due any more.
	w.fake.ResetRequests()
	clk.Add(time.Minute)
	if rep := k.RunOnce(context.Background()); rep.Result != keeper.RunOK {
		t.Fatalf("second run %s", rep.Result)
	}
	if got := puts(w.fake); len(got) != 0 {
		t.Fatalf("second run extended %v again", got)
	}
}

// The case: a 180-minute source under within = 3h was extended on every run. Now it is
// extended once across ten runs an interval apart (the fake and the keeper on one clock).
func TestShortLifetimeExtendedOnceAcrossTenRuns(t *testing.T) {
	clk := &clock{t: time.Now().Truncate(time.Second)} // token expiries are whole seconds
	w := newWorldAt(t, clk, nil)
	cr := w.fake.Creds()
	c, err := w.sess.OrgClient(cr.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := c.CreateDataSource(context.Background(), api.DataSourceCreate{SchemaID: webexfake.SchemaVoiceVirtualAgent,
		URL: "https://three-hours.example.com/grpc", Audience: "ThreeHours", Subject: "callAudioData", Nonce: api.NewNonce(), TokenLifetimeMinutes: 180})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.fake.ExpireDataSource(ds.ID, 20*time.Minute); err != nil {
		t.Fatal(err)
	}
	k, err := keeper.New(keeper.Options{Session: w.sess, Within: 3 * time.Hour, Now: clk.Now,
		Log: slog.New(slog.NewJSONHandler(w.logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	w.fake.ResetRequests()
	for run := range 10 {
		if rep := k.RunOnce(context.Background()); rep.Result != keeper.RunOK {
			t.Fatalf("run %d: %s %+v", run, rep.Result, rep.Orgs)
		}
		clk.Add(k.Interval())
	}
	if n := count(w.fake, http.MethodPut, "/v1/dataSources/"+ds.ID); n != 1 {
		t.Fatalf("the 180-minute source was extended %d times in ten runs, want once", n)
	}
}

// A source whose lifetime Webex does not say (or says out of range) is extended to 1440, as the CLI and the UI do,
// and the log says the lifetime was defaulted; it used to fail.
func TestUnknownLifetimeIsExtendedTo1440(t *testing.T) {
	var target atomic.Value
	target.Store("")
	// Out of range: a missing one would be read from the token's exp - iat.
	strip := regexp.MustCompile(`"tokenLifetimeMinutes":\d+`)
	wrap := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := target.Load().(string)
			if id == "" || r.Method != http.MethodGet || r.URL.Path != "/v1/dataSources/"+id {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			for k, v := range rec.Header() {
				if k != "Content-Length" {
					w.Header()[k] = v
				}
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(strip.ReplaceAll(rec.Body.Bytes(), []byte(`"tokenLifetimeMinutes":99999`)))
		})
	}
	w := newWorldAt(t, nil, wrap)
	cr := w.fake.Creds()
	clk := &clock{t: time.Now()}
	due, _ := dueIDs(t, w, cr.OrgID, clk.Now(), 2*time.Hour)
	if len(due) == 0 {
		t.Fatal("the seed should have a due source")
	}
	target.Store(due[0].ID)
	w.fake.ResetRequests()
	rep := w.keeper(t, clk, 2*time.Hour, false).RunOnce(context.Background())
	for _, o := range rep.Orgs {
		if slices.Contains(o.Failed, due[0].ID) {
			t.Fatalf("the source with no lifetime failed: %+v\n%s", o, w.logs)
		}
	}
	var put map[string]any
	for _, r := range w.fake.Requests() {
		if r.Method == http.MethodPut && r.Path == "/v1/dataSources/"+due[0].ID {
			if err := json.Unmarshal([]byte(r.Body), &put); err != nil {
				t.Fatal(err)
			}
		}
	}
	if put["tokenLifetimeMinutes"] != float64(1440) {
		t.Fatalf("PUT %v, want tokenLifetimeMinutes 1440", put)
	}
	if !strings.Contains(w.logs.String(), `"lifetimeDefaulted":true`) {
		t.Errorf("the log does not say the lifetime was defaulted:\n%s", w.logs)
	}
}

func TestDryRunSendsNoWrite(t *testing.T) {
	w := newWorld(t)
	clk := &clock{t: time.Now()}
	w.fake.ResetRequests()
	rep := w.keeper(t, clk, 2*time.Hour, true).RunOnce(context.Background())
	if got := puts(w.fake); len(got) != 0 {
		t.Fatalf("dry run sent PUTs %v", got)
	}
	n := 0
	for _, o := range rep.Orgs {
		n += len(o.Extended)
	}
	if n == 0 || !strings.Contains(w.logs.String(), keeper.ExtendDryRun) {
		t.Fatalf("dry run reported nothing it would extend: %+v\n%s", rep, w.logs)
	}
	if a := auditLines(t, w.audit); len(a) != 0 {
		t.Fatalf("dry run wrote audit lines %+v", a)
	}
}

func TestUnauthorizedOrgDoesNotStopTheOthers(t *testing.T) {
	w := newWorld(t)
	cr := w.fake.Creds()
	// Two hours on, the other org's 240-minute source (3h left now) is within half its life.
	clk := &clock{t: time.Now().Add(2 * time.Hour)}
	wantOther, _ := dueIDs(t, w, cr.OtherOrgID, clk.Now(), 4*time.Hour)
	if len(wantOther) == 0 {
		t.Fatal("the other org should have a source due within 4h")
	}
	// The primary org withdraws its authorization: its tokens stop working, refresh included.
	if err := w.fake.DeauthorizeOrg(cr.OrgID); err != nil {
		t.Fatal(err)
	}
	// An org whose token the fake never issued, sorted wherever it lands.
	if err := w.sess.SaveToken(config.KindServiceApp, cr.UnauthorizedOrgID, cr.ServiceAppClientID, "",
		api.Token{AccessToken: "not-a-token", Expiry: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	w.fake.ResetRequests()
	k := w.keeper(t, clk, 4*time.Hour, false)
	rep := k.RunOnce(context.Background())
	if rep.Result != keeper.RunPartial {
		t.Fatalf("result %s, want partial", rep.Result)
	}
	failed := 0
	for _, o := range rep.Orgs {
		if o.Err != nil {
			failed++
			if o.Org == cr.OtherOrgID {
				t.Errorf("the authorized org failed: %v", o.Err)
			}
		}
	}
	if failed != 2 {
		t.Fatalf("%d orgs failed, want the deauthorized and the unknown one: %+v", failed, rep.Orgs)
	}
	if got, want := puts(w.fake), idsOf(wantOther); !slices.Equal(got, want) {
		t.Fatalf("PUTs %v, want the other org's due sources %v", got, want)
	}
	if !strings.Contains(w.logs.String(), `"event":"org"`) {
		t.Errorf("the failing orgs are not logged:\n%s", w.logs)
	}
}

func TestRateLimitedOrgBacksOff(t *testing.T) {
	w := newWorld(t)
	clk := &clock{t: time.Now()}
	orgs, _ := w.sess.StoredOrgs()
	w.fake.ResetRequests()
	// The first org listed gets 429 on its list call, retries included (the client retries
	// 3 times; Retry-After 0 keeps the test from waiting).
	w.fake.InjectFault(webexfake.Fault{Method: http.MethodGet, Path: "/v1/dataSources", Status: http.StatusTooManyRequests, RetryAfter: "0", Times: 4})
	k := w.keeper(t, clk, 2*time.Hour, false)
	rep := k.RunOnce(context.Background())
	if rep.Result != keeper.RunPartial || rep.Orgs[0].Err == nil || rep.Orgs[1].Err != nil {
		t.Fatalf("want the first org (%s) rate limited and the second fine: %+v", orgs[0], rep.Orgs)
	}
	lists := count(w.fake, http.MethodGet, "/v1/dataSources")
	if lists != 5 {
		t.Fatalf("%d list calls, want 4 for the throttled org and 1 for the other", lists)
	}

	// A run soon after leaves the throttled org alone.
	w.fake.ResetRequests()
	clk.Add(10 * time.Second)
	rep = k.RunOnce(context.Background())
	if !rep.Orgs[0].Skipped || rep.Orgs[1].Skipped {
		t.Fatalf("want the first org skipped while backing off: %+v", rep.Orgs)
	}
	if n := count(w.fake, http.MethodGet, "/v1/dataSources"); n != 1 {
		t.Fatalf("%d list calls while backing off, want only the other org's", n)
	}
	if !strings.Contains(w.logs.String(), `"event":"backoff"`) {
		t.Errorf("no backoff line:\n%s", w.logs)
	}

	// Once the pause is over the org is kept again, and a success clears the streak.
	w.fake.ResetRequests()
	clk.Add(time.Minute)
	rep = k.RunOnce(context.Background())
	if rep.Result != keeper.RunOK || rep.Orgs[0].Skipped {
		t.Fatalf("after the pause: %s %+v", rep.Result, rep.Orgs)
	}
	if n := count(w.fake, http.MethodGet, "/v1/dataSources"); n != 2 {
		t.Fatalf("%d list calls after the pause, want both orgs", n)
	}
}

func TestRefreshesServiceAppTokensBeforeTheyLapse(t *testing.T) {
	w := newWorld(t)
	cr := w.fake.Creds()
	clk := &clock{t: time.Now()}
	// Mark the primary org's token as lapsing in 5 minutes.
	if err := w.sess.Store.Update(func(tk *config.Tokens) error {
		tk.Profiles["default"].Orgs[cr.OrgID].Expiry = time.Now().Add(5 * time.Minute)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	w.fake.ResetRequests()
	if rep := w.keeper(t, clk, time.Minute, false).RunOnce(context.Background()); rep.Result != keeper.RunOK {
		t.Fatalf("result %s %+v", rep.Result, rep.Orgs)
	}
	toks, _ := w.sess.Store.Load()
	got := toks.Profiles["default"].Orgs[cr.OrgID]
	if got.AccessToken == cr.ServiceAppAccessToken || !got.Expiry.After(time.Now().Add(30*time.Minute)) {
		t.Fatalf("the lapsing token was not refreshed: expiry %s", got.Expiry)
	}
	if !strings.Contains(w.logs.String(), `"event":"refresh"`) {
		t.Errorf("no refresh line:\n%s", w.logs)
	}
}

func TestOptionsAreChecked(t *testing.T) {
	w := newWorld(t)
	if _, err := keeper.New(keeper.Options{Session: w.sess, Interval: 500 * time.Millisecond}); err == nil || !strings.Contains(err.Error(), "1s") {
		t.Errorf("a sub-second interval: %v", err)
	}
	if _, err := keeper.New(keeper.Options{Session: w.sess, Within: -time.Hour}); err == nil {
		t.Error("a negative window was accepted")
	}
	if _, err := keeper.New(keeper.Options{}); err == nil {
		t.Error("no session was accepted")
	}
}
