package metrics_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/keeper"
	"github.com/byova/byova/metrics"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/session"
)

func scrape(t *testing.T, h http.Handler) map[string]*dto.MetricFamily {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(res.Body)
	if err != nil {
		t.Fatalf("/metrics is not valid text format: %v", err)
	}
	return fams
}

func labels(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

func TestMetricsMatchTheFake(t *testing.T) {
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	cr := fake.Creds()
	m := metrics.New()
	dir := t.TempDir()
	st := config.Settings{Profile: "default", BaseURL: fake.URL(), Source: map[string]string{},
		ServiceAppClientID: cr.ServiceAppClientID, ServiceAppClientSecret: cr.ServiceAppClientSecret}
	sess, err := session.New(st, config.NewStore(filepath.Join(dir, "tokens.json")), nil)
	if err != nil {
		t.Fatal(err)
	}
	sess.AuditPath = filepath.Join(dir, "audit.log")
	if err := sess.SetHTTPClient(&http.Client{Transport: m.Transport(nil)}); err != nil {
		t.Fatal(err)
	}
	saExpiry := time.Now().Add(time.Hour).Truncate(time.Second)
	if err := sess.SaveToken(config.KindServiceApp, cr.OrgID, cr.ServiceAppClientID, cr.ServiceAppClientSecret,
		api.Token{AccessToken: cr.ServiceAppAccessToken, RefreshToken: cr.ServiceAppRefreshToken, Expiry: saExpiry}); err != nil {
		t.Fatal(err)
	}
	// Dry run: the series must show the fake's data as it is, not as the keeper left it.
	k, err := keeper.New(keeper.Options{Session: sess, DryRun: true, Observer: m})
	if err != nil {
		t.Fatal(err)
	}
	if rep := k.RunOnce(context.Background()); rep.Result != keeper.RunOK {
		t.Fatalf("keeper run %s: %+v", rep.Result, rep.Orgs)
	}
	m.SSHSessions().Set(2)

	c, _ := sess.OrgClient(cr.OrgID)
	want, err := c.ListDataSources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fams := scrape(t, m.Handler())

	ds := fams["byova_datasource_token_expiry_timestamp_seconds"]
	if ds == nil {
		t.Fatal("no byova_datasource_token_expiry_timestamp_seconds")
	}
	got := map[string]*dto.Metric{}
	for _, s := range ds.GetMetric() {
		got[labels(s)["id"]] = s
	}
	if len(got) != len(want) {
		t.Fatalf("%d data source series, the fake has %d", len(got), len(want))
	}
	for _, d := range want {
		s := got[d.ID]
		if s == nil {
			t.Errorf("no series for %s", d.ID)
			continue
		}
		l := labels(s)
		if v := int64(s.GetGauge().GetValue()); v != d.Expiry().Unix() {
			t.Errorf("%s: expiry %d, the fake says %d", d.ID, v, d.Expiry().Unix())
		}
		wantStatus := d.Status
		if wantStatus == "" {
			wantStatus = "active"
		}
		if l["org"] != cr.OrgID || l["audience"] != d.Audience || l["status"] != wantStatus {
			t.Errorf("%s: labels %v, want org %s audience %q status %s", d.ID, l, cr.OrgID, d.Audience, wantStatus)
		}
	}

	value := func(name string, want map[string]string) (float64, bool) {
		for _, s := range fams[name].GetMetric() {
			l, ok := labels(s), true
			for k, v := range want {
				ok = ok && l[k] == v
			}
			if ok {
				if s.GetCounter() != nil {
					return s.GetCounter().GetValue(), true
				}
				return s.GetGauge().GetValue(), true
			}
		}
		return 0, false
	}
	if v, _ := value("byova_keeper_runs_total", map[string]string{"result": "ok"}); v != 1 {
		t.Errorf("runs_total{ok} = %v, want 1", v)
	}
	if v, _ := value("byova_keeper_extends_total", map[string]string{"org": cr.OrgID, "result": keeper.ExtendDryRun}); v < 2 {
		t.Errorf("extends_total{would_extend} = %v, want the seed's 2 due sources at least", v)
	}
	if v, _ := value("byova_token_expiry_timestamp_seconds", map[string]string{"kind": config.KindServiceApp, "org": cr.OrgID}); int64(v) != saExpiry.Unix() {
		t.Errorf("token expiry %v, want %d", v, saExpiry.Unix())
	}
	if v, _ := value("byova_ssh_sessions", nil); v != 2 {
		t.Errorf("ssh sessions %v", v)
	}
	if v, ok := value("byova_webex_requests_total", map[string]string{"method": "GET", "route": "/v1/dataSources/{id}", "code": "200"}); !ok || v < 2 {
		t.Errorf("GET /v1/dataSources/{id} 200 = %v (found %v), want the keeper's GETs", v, ok)
	}
	if _, ok := value("byova_webex_requests_total", map[string]string{"method": "GET", "route": "/v1/dataSources", "code": "200"}); !ok {
		t.Error("no list call counted")
	}
	for _, s := range fams["byova_webex_requests_total"].GetMetric() {
		for _, d := range want {
			if strings.Contains(labels(s)["route"], d.ID) {
				t.Errorf("a route holds a raw id: %v", labels(s))
			}
		}
	}
	if h := fams["byova_webex_request_duration_seconds"]; h == nil || h.GetType() != dto.MetricType_HISTOGRAM {
		t.Error("no latency histogram")
	}
}

// After an extend the series shows Webex's new expiry at once, not the one listed before it:
// waiting a whole interval for the next list made the README's expiry alert fire.
func TestExtendUpdatesTheExpiryAtOnce(t *testing.T) {
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	cr := fake.Creds()
	m := metrics.New()
	dir := t.TempDir()
	st := config.Settings{Profile: "default", BaseURL: fake.URL(), Source: map[string]string{},
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
	k, err := keeper.New(keeper.Options{Session: sess, Observer: m})
	if err != nil {
		t.Fatal(err)
	}
	rep := k.RunOnce(context.Background())
	if rep.Result != keeper.RunOK || len(rep.Orgs) != 1 || len(rep.Orgs[0].Extended) == 0 {
		t.Fatalf("keeper run %s: %+v, want some extends", rep.Result, rep.Orgs)
	}
	c, _ := sess.OrgClient(cr.OrgID)
	got := map[string]int64{}
	for _, s := range scrape(t, m.Handler())["byova_datasource_token_expiry_timestamp_seconds"].GetMetric() {
		if _, dup := got[labels(s)["id"]]; dup {
			t.Errorf("two series for %s", labels(s)["id"])
		}
		got[labels(s)["id"]] = int64(s.GetGauge().GetValue())
	}
	for _, id := range rep.Orgs[0].Extended {
		now, err := c.GetDataSource(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if got[id] != now.Expiry().Unix() {
			t.Errorf("%s: series says %d right after the extend, Webex says %d", id, got[id], now.Expiry().Unix())
		}
	}
	fams := scrape(t, m.Handler())
	up := fams["byova_keeper_org_up"].GetMetric()
	if len(up) != 1 || labels(up[0])["org"] != cr.OrgID || up[0].GetGauge().GetValue() != 1 {
		t.Errorf("byova_keeper_org_up = %v, want {org=%s} 1", up, cr.OrgID)
	}
}

func TestDataSourcesGoneFromWebexLeaveMetrics(t *testing.T) {
	m := metrics.New()
	m.DataSources("org1", []api.DataSource{{ID: "a"}})
	m.Run(keeper.RunOK, time.Now())
	fams := scrape(t, m.Handler())
	if n := len(fams["byova_datasource_token_expiry_timestamp_seconds"].GetMetric()); n != 0 {
		t.Fatalf("a source without a known expiry exported %d series", n)
	}
}

func TestRoute(t *testing.T) {
	cases := map[string]string{
		"/v1/dataSources": "/v1/dataSources",
		"/v1/dataSources/0f6c2a8e-1d3b-4c5e-9f7a-2b4c6d8e0f1a":        "/v1/dataSources/{id}",
		"/v1/applications/Y2lzY29zcGFyazovL3VzL0FQUExJQ0FUSU9O/token": "/v1/applications/{id}/token",
		"/v1/access_token":                    "/v1/access_token",
		"/idb/oauth2/v2/keys/verificationjwk": "/idb/oauth2/v2/keys/verificationjwk",
		"/v1/a/b/c/d/e/f/g/h":                 "/v1/a/b/c/d/e/…",
	}
	for in, want := range cases {
		if got := metrics.Route(in); got != want {
			t.Errorf("Route(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLabelValue(t *testing.T) {
	for _, in := range []string{"evil\x1b[31mred", "rtl\u202eoverride", "bad\xffutf8", "two\nlines"} {
		got := metrics.LabelValue(in)
		if got != safetext.Line(in) || !safetext.Safe(got) {
			t.Errorf("LabelValue(%q) = %q, want the sanitiser's %q", in, got, safetext.Line(in))
		}
	}
	if got := metrics.LabelValue("BYOVAGateway"); got != "BYOVAGateway" {
		t.Errorf("a plain audience changed: %q", got)
	}
	if got, want := metrics.LabelValue(strings.Repeat("a", 70)), strings.Repeat("a", 64)+"…"; got != want {
		t.Errorf("a long audience: %q, want %q", got, want)
	}
}

// listed is a data source as a list decodes it, with a known expiry.
func listed(t testing.TB, id, audience, status string, exp time.Time) api.DataSource {
	t.Helper()
	raw := fmt.Sprintf(`{"id":%q,"audience":%q,"status":%q,"tokenExpiryTime":%q}`, id, audience, status, exp.UTC().Format(api.TokenExpiryLayout))
	var d api.DataSource
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// An org's list replaces exactly that org's series (a changed audience, a source gone), an
// extend replaces its one series, OrgGone drops the org's: the other org's stay as they were.
func TestExpirySeriesPerOrg(t *testing.T) {
	m := metrics.New()
	exp := time.Now().Add(time.Hour).Truncate(time.Second)
	series := func() []string {
		var out []string
		for _, s := range scrape(t, m.Handler())["byova_datasource_token_expiry_timestamp_seconds"].GetMetric() {
			l := labels(s)
			out = append(out, fmt.Sprintf("%s/%s/%s/%s=%d", l["org"], l["id"], l["audience"], l["status"], int64(s.GetGauge().GetValue())))
		}
		slices.Sort(out)
		return out
	}
	want := func(w ...string) {
		t.Helper()
		if got := series(); !slices.Equal(got, w) {
			t.Fatalf("series %q, want %q", got, w)
		}
	}
	e := exp.Unix()
	m.DataSources("org1", []api.DataSource{listed(t, "a", "X", "active", exp), listed(t, "b", "X", "active", exp)})
	m.DataSources("org2", []api.DataSource{listed(t, "c", "Z", "active", exp)})
	m.DataSources("org1", []api.DataSource{listed(t, "a", "Y", "active", exp)})
	want(fmt.Sprintf("org1/a/Y/active=%d", e), fmt.Sprintf("org2/c/Z/active=%d", e))
	later := exp.Add(time.Hour)
	d := listed(t, "c", "Z", "disabled", later)
	m.Extend("org2", keeper.ExtendOK, &d)
	want(fmt.Sprintf("org1/a/Y/active=%d", e), fmt.Sprintf("org2/c/Z/disabled=%d", later.Unix()))
	m.OrgGone("org1")
	want(fmt.Sprintf("org2/c/Z/disabled=%d", later.Unix()))
	m.DataSources("org2", nil)
	want()
}

// per_source: true exports a series per source; false the per-org summaries and the
// SoonestSeries active sources that expire first; auto per source up to AutoPerSourceLimit
// sources over every org, summaries beyond (the scrape at 100k is 18 MB otherwise).
func TestPerSourceForms(t *testing.T) {
	base := time.Now().Add(time.Hour).Truncate(time.Second)
	// Source i expires i minutes after base, in org-a when i is even (every other one of those
	// disabled: i%4 == 0), else in org-b.
	disabled := func(i int) bool { return i%4 == 0 }
	load := func(m *metrics.Metrics, n int) {
		lists := map[string][]api.DataSource{}
		for i := range n {
			st := "active"
			if disabled(i) {
				st = "disabled"
			}
			org := []string{"org-a", "org-b"}[i%2]
			lists[org] = append(lists[org], listed(t, fmt.Sprintf("ds-%05d", i), "aud", st, base.Add(time.Duration(i)*time.Minute)))
		}
		for org, items := range lists {
			m.DataSources(org, items)
		}
	}
	type form struct {
		perSource        int
		latest           int64 // the latest expiry among the per-source series
		anyDisabled      bool
		counts, soonests map[string]float64
	}
	read := func(m *metrics.Metrics) form {
		fams := scrape(t, m.Handler())
		f := form{counts: map[string]float64{}, soonests: map[string]float64{}}
		for _, s := range fams["byova_datasource_token_expiry_timestamp_seconds"].GetMetric() {
			f.perSource++
			f.latest = max(f.latest, int64(s.GetGauge().GetValue()))
			f.anyDisabled = f.anyDisabled || labels(s)["status"] == "disabled"
		}
		for _, s := range fams["byova_datasources"].GetMetric() {
			f.counts[labels(s)["org"]+"/"+labels(s)["status"]] = s.GetGauge().GetValue()
		}
		for _, s := range fams["byova_datasource_token_soonest_expiry_timestamp_seconds"].GetMetric() {
			f.soonests[labels(s)["org"]] = s.GetGauge().GetValue()
		}
		return f
	}
	summaries := func(t *testing.T, f form, n int) {
		t.Helper()
		want := map[string]float64{}
		for i := range n {
			switch {
			case disabled(i):
				want["org-a/disabled"]++
			case i%2 == 0:
				want["org-a/active"]++
			default:
				want["org-b/active"]++
			}
		}
		if !maps.Equal(f.counts, want) {
			t.Errorf("byova_datasources %v for %d sources, want %v", f.counts, n, want)
		}
		if f.soonests["org-a"] != float64(base.Add(2*time.Minute).Unix()) || f.soonests["org-b"] != float64(base.Add(time.Minute).Unix()) {
			t.Errorf("soonest expiries %v, want org-a's first active (+2m) and org-b's (+1m)", f.soonests)
		}
	}
	// The SoonestSeries-th active source's expiry.
	lastSoonest := func() int64 {
		k := 0
		for i := 0; ; i++ {
			if !disabled(i) {
				if k++; k == metrics.SoonestSeries {
					return base.Add(time.Duration(i) * time.Minute).Unix()
				}
			}
		}
	}
	soonestOnly := func(t *testing.T, f form) {
		t.Helper()
		if f.perSource != metrics.SoonestSeries || f.latest != lastSoonest() || f.anyDisabled {
			t.Errorf("%d per-source series up to %d (a disabled one: %v), want the %d active ones that expire first (up to %d)",
				f.perSource, f.latest, f.anyDisabled, metrics.SoonestSeries, lastSoonest())
		}
	}

	t.Run("true", func(t *testing.T) {
		m := metrics.New()
		m.PerSource(config.PerSourceOn)
		load(m, metrics.AutoPerSourceLimit+2)
		f := read(m)
		if f.perSource != metrics.AutoPerSourceLimit+2 || !f.anyDisabled {
			t.Errorf("%d per-source series, want every one", f.perSource)
		}
		summaries(t, f, metrics.AutoPerSourceLimit+2)
	})
	t.Run("false", func(t *testing.T) {
		m := metrics.New()
		m.PerSource(config.PerSourceOff)
		load(m, 2000)
		f := read(m)
		soonestOnly(t, f)
		summaries(t, f, 2000)
	})
	t.Run("auto", func(t *testing.T) {
		m := metrics.New()
		load(m, metrics.AutoPerSourceLimit)
		if f := read(m); f.perSource != metrics.AutoPerSourceLimit {
			t.Errorf("auto at the limit: %d per-source series, want %d", f.perSource, metrics.AutoPerSourceLimit)
		}
		load(m, metrics.AutoPerSourceLimit+2) // the same orgs, listed again with two more
		f := read(m)
		soonestOnly(t, f)
		summaries(t, f, metrics.AutoPerSourceLimit+2)
		m.OrgGone("org-a")
		m.OrgGone("org-b")
		if f := read(m); f.perSource != 0 || len(f.counts) != 0 || len(f.soonests) != 0 {
			t.Errorf("orgs gone, series left: %+v", f)
		}
	})
}
