package metrics

import (
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/byova/byova/api"
)

// Metrics is every series byova serve exports. Its methods are safe for concurrent use, and it
// implements keeper.Observer.
type Metrics struct {
	reg *prometheus.Registry

	ds          *expiries // byova_datasource_token_expiry_timestamp_seconds and the per-org summaries (expiry.go)
	runs        *prometheus.CounterVec
	lastRun     prometheus.Gauge
	extends     *prometheus.CounterVec
	orgUp       *prometheus.GaugeVec
	tokenExpiry *prometheus.GaugeVec
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	ssh         prometheus.Gauge

	endpointsOnce sync.Once // the prober's series (endpoint.go), registered on first use
	endpoints     *Endpoints
}

// New builds the metrics in a fresh registry (with the Go and process collectors).
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		ds:  newExpiries(),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "byova_keeper_runs_total",
			Help: "Keeper runs by result: ok, partial (some org or data source failed), failed.",
		}, []string{"result"}),
		lastRun: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "byova_keeper_last_run_timestamp_seconds",
			Help: "When the keeper's last run ended (Unix seconds).",
		}),
		extends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "byova_keeper_extends_total",
			Help: "Data source extends by the keeper, by org and result: extended, would_extend (dry run), failed.",
		}, []string{"org", "result"}),
		orgUp: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "byova_keeper_org_up",
			Help: "1 when the org's last keeper round succeeded (listed, every due source extended), 0 otherwise.",
		}, []string{"org"}),
		tokenExpiry: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "byova_token_expiry_timestamp_seconds",
			Help: "When each stored access token expires (Unix seconds); kind is service-app, integration or pat.",
		}, []string{"kind", "org"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "byova_webex_requests_total",
			Help: "HTTP requests to Webex by method, templated route and status code (\"error\": no answer).",
		}, []string{"method", "route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "byova_webex_request_duration_seconds",
			Help:    "Time to Webex's response headers, by method and templated route.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"method", "route"}),
		ssh: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "byova_ssh_sessions",
			Help: "Open SSH console sessions.",
		}),
	}
	m.reg.MustRegister(m.ds, m.runs, m.lastRun, m.extends, m.orgUp, m.tokenExpiry, m.requests, m.latency, m.ssh,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is the registry the metrics live in.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves /metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// SSHSessions is the gauge of open SSH console sessions.
func (m *Metrics) SSHSessions() prometheus.Gauge { return m.ssh }

// PerSource sets how data source expiries are exported (config.PerSource*): a series per
// source, per-org summaries and the soonest SoonestSeries sources only, or (auto, the default)
// per source up to AutoPerSourceLimit sources in all and summaries beyond.
func (m *Metrics) PerSource(mode string) { m.ds.setMode(mode) }

// DataSources replaces org's data source expiry series with items (sources gone from Webex
// disappear from /metrics). A token whose expiry is unknown exports no series. Its cost is
// org's own sources, whatever the other orgs hold.
func (m *Metrics) DataSources(org string, items []api.DataSource) {
	org = LabelValue(org)
	now := make(map[string]expiry, len(items))
	for i := range items {
		if e, ok := expiryOf(org, &items[i]); ok {
			now[e.lv[1]] = e
		}
	}
	m.ds.replace(org, now)
}

// Extend counts one data source the keeper handled. ds, Webex's answer to an extend, replaces
// the source's expiry series at once: waiting for the next run's list would leave the old
// expiry up for a whole interval, and the expiry alert would fire on a source just extended.
func (m *Metrics) Extend(org, result string, ds *api.DataSource) {
	org = LabelValue(org)
	m.extends.WithLabelValues(org, result).Inc()
	if ds == nil {
		return
	}
	if e, ok := expiryOf(org, ds); ok {
		m.ds.set(org, e)
	}
}

// OrgGone drops org's series: the keeper no longer holds a token for it.
func (m *Metrics) OrgGone(org string) {
	org = LabelValue(org)
	m.ds.replace(org, nil)
	m.orgUp.DeletePartialMatch(prometheus.Labels{"org": org})
	m.tokenExpiry.DeletePartialMatch(prometheus.Labels{"org": org})
}

// OrgUp records whether org's last keeper round succeeded.
func (m *Metrics) OrgUp(org string, up bool) {
	v := 0.0
	if up {
		v = 1
	}
	m.orgUp.WithLabelValues(LabelValue(org)).Set(v)
}

// TokenExpiry records a stored token's expiry.
func (m *Metrics) TokenExpiry(kind, org string, expiry time.Time) {
	m.tokenExpiry.WithLabelValues(kind, LabelValue(org)).Set(float64(expiry.Unix()))
}

// Run counts a keeper run.
func (m *Metrics) Run(result string, at time.Time) {
	m.runs.WithLabelValues(result).Inc()
	m.lastRun.Set(float64(at.Unix()))
}

// status bounds the label to Webex's documented values.
func status(s string) string {
	switch s {
	case "active", "disabled":
		return s
	case "":
		return "active" // Webex leaves it out for active sources
	}
	return "other"
}
