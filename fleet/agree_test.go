package fleet_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/cli"
	"github.com/byova/byova/config"
	"github.com/byova/byova/fleet"
	"github.com/byova/byova/keeper"
	"github.com/byova/byova/screens/datasources"
	"github.com/byova/byova/session"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
	"github.com/byova/byova/ui/uitest"
)

// The three front ends, given the same data sources, make the same decisions: which are due
// under a 3h window, and which lifetime each extend sends. They used to differ (the keeper
// halved the window for short lifetimes only, the CLI and UI never; the keeper failed a source
// without a lifetime that the CLI and UI extended to 1440).

// sources is one fleet, as each front end finds it: the seed plus three made for the rules.
type sources struct {
	fake     *webexfake.Server
	base     string // the URL the front ends talk to: the fake, with one lifetime hidden
	short    string // 180 minutes, 100m left: due under a plain 3h window, not under fleet.Due
	sixty    string // 60 minutes, 40m left: the same, and what the keeper used to skip alone
	nolife   string // expired, and Webex's GET gives a lifetime out of range: extended to 1440
	expected map[string]int
}

var lifetimeField = regexp.MustCompile(`"tokenLifetimeMinutes":\d+`)

func newSources(t *testing.T) *sources {
	t.Helper()
	uitest.Isolate(t)
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fake.Close() })
	var hide atomic.Value
	hide.Store("")
	wrap := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := hide.Load().(string)
		if id == "" || r.Method != http.MethodGet || r.URL.Path != "/v1/dataSources/"+id {
			fake.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			if k != "Content-Length" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(lifetimeField.ReplaceAll(rec.Body.Bytes(), []byte(`"tokenLifetimeMinutes":99999`)))
	}))
	t.Cleanup(wrap.Close)
	s := &sources{fake: fake, base: wrap.URL + "/v1"}
	sess := s.session(t)
	c, err := sess.OrgClient(fake.Creds().OrgID)
	if err != nil {
		t.Fatal(err)
	}
	create := func(name string, life int, left time.Duration) string {
		ds, err := c.CreateDataSource(context.Background(), api.DataSourceCreate{SchemaID: webexfake.SchemaVoiceVirtualAgent,
			URL: "https://" + name + ".example.com/grpc", Audience: name, Subject: "callAudioData", Nonce: api.NewNonce(), TokenLifetimeMinutes: life})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fake.ExpireDataSource(ds.ID, left); err != nil {
			t.Fatal(err)
		}
		return ds.ID
	}
	s.short = create("Short", 180, 100*time.Minute)
	s.sixty = create("Sixty", 60, 40*time.Minute)
	s.nolife = create("NoLife", 1440, 0)
	hide.Store(s.nolife)
	// What fleet's rules say: due by fleet.Due on the list, the lifetime by fleet.Lifetime on a
	// fresh GET.
	items, err := c.ListDataSources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s.expected = map[string]int{}
	for i := range items {
		if fleet.Due(&items[i], time.Now(), fleet.DefaultWithin) {
			cur, err := c.GetDataSource(context.Background(), items[i].ID)
			if err != nil {
				t.Fatal(err)
			}
			s.expected[items[i].ID] = fleet.Lifetime(cur, 0).Minutes
		}
	}
	if _, ok := s.expected[s.short]; ok {
		t.Fatalf("the 180-minute source with 100m left is due: %v", s.expected)
	}
	if _, ok := s.expected[s.sixty]; ok {
		t.Fatalf("the 60-minute source with 40m left is due: %v", s.expected)
	}
	if s.expected[s.nolife] != api.MaxLifetimeMinutes {
		t.Fatalf("the source without a lifetime: %v, want it due with 1440", s.expected)
	}
	fake.ResetRequests()
	return s
}

// session signs in to the primary org, its Service App token stored (the keeper needs one).
func (s *sources) session(t *testing.T) *session.Session {
	t.Helper()
	cr := s.fake.Creds()
	dir := t.TempDir()
	st := config.Settings{Profile: "default", BaseURL: s.base, Org: cr.OrgID, Source: map[string]string{},
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
	return sess
}

// sent is what the fake got: each PUT's data source and the lifetime it asked for.
func (s *sources) sent(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, r := range s.fake.Requests() {
		if r.Method != http.MethodPut || !strings.HasPrefix(r.Path, "/v1/dataSources/") {
			continue
		}
		var body struct {
			TokenLifetimeMinutes int `json:"tokenLifetimeMinutes"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		out[strings.TrimPrefix(r.Path, "/v1/dataSources/")] = body.TokenLifetimeMinutes
	}
	return out
}

func (s *sources) check(t *testing.T, who string) {
	t.Helper()
	got := s.sent(t)
	if len(got) != len(s.expected) {
		t.Errorf("%s extended %d sources, fleet's rules pick %d", who, len(got), len(s.expected))
	}
	for id, want := range s.expected {
		if life, ok := got[id]; !ok {
			t.Errorf("%s: %s is due and was not extended", who, id)
		} else if life != want {
			t.Errorf("%s: %s extended with lifetime %d, want %d", who, id, life, want)
		}
	}
	for _, id := range []string{s.short, s.sixty} {
		if _, ok := got[id]; ok {
			t.Errorf("%s extended %s, which is not due (half its lifetime is the window)", who, id)
		}
	}
}

func TestTheKeeperDecidesAsFleet(t *testing.T) {
	s := newSources(t)
	k, err := keeper.New(keeper.Options{Session: s.session(t), Within: fleet.DefaultWithin})
	if err != nil {
		t.Fatal(err)
	}
	if rep := k.RunOnce(context.Background()); rep.Result != keeper.RunOK {
		t.Fatalf("keeper %s %+v", rep.Result, rep.Orgs)
	}
	s.check(t, "the keeper")
}

func TestTheCLIDecidesAsFleet(t *testing.T) {
	s := newSources(t)
	cr := s.fake.Creds()
	env := map[string]string{"WEBEX_BASE_URL": s.base, "WEBEX_SA_CLIENT_ID": cr.ServiceAppClientID,
		"WEBEX_SA_CLIENT_SECRET": cr.ServiceAppClientSecret, "WEBEX_SA_REFRESH_TOKEN": cr.ServiceAppRefreshToken,
		"WEBEX_ORG_ID": cr.OrgID}
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), []string{"datasources", "extend", "--all", "--within", fleet.DefaultWithin.String(), "--json"},
		strings.NewReader(""), &out, &errOut, func(k string) string { return env[k] })
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out.String(), errOut.String())
	}
	s.check(t, "extend --all --within 3h")
	if !strings.Contains(out.String(), `"id":"`+s.nolife+`"`) || !strings.Contains(out.String(), `"lifetimeDefaulted":true`) {
		t.Errorf("--json does not say the lifetime was defaulted:\n%s", out.String())
	}
}

func TestTheUIDecidesAsFleet(t *testing.T) {
	s := newSources(t)
	c := common.New(context.Background(), s.session(t), styles.New(true), nil, time.Now)
	h := &uitest.Host{C: c, Screen: datasources.New(c)}
	d := uitest.NewDriver(t, func(m tea.Msg) tea.Cmd { _, cmd := h.Update(m); return cmd })
	d.Send(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.Launch(h.Init())
	d.Settle()
	d.Press("X")
	if !strings.Contains(h.View().Content, "Extend ") {
		t.Fatalf("X asks nothing:\n%s", h.View().Content)
	}
	d.Press("y")
	d.Settle()
	if h.Banner != "" {
		t.Fatalf("the run failed: %s", h.Banner)
	}
	s.check(t, "the UI's X")
	if !strings.Contains(h.Notice, "extended "+strconv.Itoa(len(s.expected))+" of "+strconv.Itoa(len(s.expected))) {
		t.Errorf("no notice of the run: %q", h.Notice)
	}
}

// failing makes Webex refuse every PUT of one due source, as a 400 with its own words, and
// returns the words each front end must show for it: fleet.Describe's headline, with the
// trackingId Webex sent.
func (s *sources) failing(t *testing.T) (id, headline string) {
	t.Helper()
	for due := range s.expected {
		if due != s.nolife {
			id = due
			break
		}
	}
	headline = "Invalid nonce for data source " + id
	s.fake.InjectFault(webexfake.Fault{Method: http.MethodPut, Path: "/v1/dataSources/" + id, Status: 400, Message: headline, Times: 100})
	return id, headline
}

// A failed extend reads the same in the three: the CLI's row, the UI's row and the keeper's
// log line carry fleet.Describe's headline and Webex's trackingId (the CLI's row used to print
// the raw error, status line and all).
func TestTheFrontEndsWordAFailureAlike(t *testing.T) {
	want := regexp.MustCompile(`\(trackingId [^)\s]+\)`)
	t.Run("keeper", func(t *testing.T) {
		s := newSources(t)
		id, headline := s.failing(t)
		var log bytes.Buffer
		k, err := keeper.New(keeper.Options{Session: s.session(t), Within: fleet.DefaultWithin,
			Log: slog.New(slog.NewJSONHandler(&log, nil))})
		if err != nil {
			t.Fatal(err)
		}
		k.RunOnce(context.Background())
		var line struct{ ID, Headline, TrackingID string }
		for l := range strings.SplitSeq(log.String(), "\n") {
			if strings.Contains(l, `"id":"`+id+`"`) && strings.Contains(l, `"headline"`) {
				if err := json.Unmarshal([]byte(l), &line); err != nil {
					t.Fatal(err)
				}
			}
		}
		if line.Headline != headline || line.TrackingID == "" {
			t.Fatalf("the keeper logged headline %q, trackingId %q; want %q with one:\n%s", line.Headline, line.TrackingID, headline, log.String())
		}
	})
	t.Run("cli", func(t *testing.T) {
		s := newSources(t)
		id, headline := s.failing(t)
		cr := s.fake.Creds()
		env := map[string]string{"WEBEX_BASE_URL": s.base, "WEBEX_SA_CLIENT_ID": cr.ServiceAppClientID,
			"WEBEX_SA_CLIENT_SECRET": cr.ServiceAppClientSecret, "WEBEX_SA_REFRESH_TOKEN": cr.ServiceAppRefreshToken,
			"WEBEX_ORG_ID": cr.OrgID, "COLUMNS": "400"}
		var out, errOut bytes.Buffer
		code := cli.Run(context.Background(), []string{"datasources", "extend", "--all", "--within", fleet.DefaultWithin.String()},
			strings.NewReader(""), &out, &errOut, func(k string) string { return env[k] })
		if code != cli.ExitPartial {
			t.Fatalf("exit %d, want %d: %s%s", code, cli.ExitPartial, out.String(), errOut.String())
		}
		row := lineWith(out.String(), id)
		if !strings.Contains(row, "failed: "+headline+" (trackingId ") || !want.MatchString(row) {
			t.Fatalf("the CLI's row for %s does not read %q (trackingId …):\n%s", id, headline, out.String())
		}
	})
	t.Run("ui", func(t *testing.T) {
		s := newSources(t)
		_, headline := s.failing(t)
		c := common.New(context.Background(), s.session(t), styles.New(true), nil, time.Now)
		h := &uitest.Host{C: c, Screen: datasources.New(c)}
		d := uitest.NewDriver(t, func(m tea.Msg) tea.Cmd { _, cmd := h.Update(m); return cmd })
		d.Send(tea.WindowSizeMsg{Width: 200, Height: 50})
		d.Launch(h.Init())
		d.Settle()
		d.Press("X")
		d.Press("y")
		d.Settle()
		row := lineWith(h.View().Content, headline)
		if !strings.Contains(row, headline+" (trackingId ") || !want.MatchString(row) {
			t.Fatalf("the UI does not show %q (trackingId …):\n%s", headline, h.View().Content)
		}
	})
}

// lineWith is the first line of s that holds sub ("" when none does).
func lineWith(s, sub string) string {
	for l := range strings.SplitSeq(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}
