package metrics

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Endpoints are the series of serve's endpoint prober: whether each active Voice Virtual
// Agent data source's gateway holds every probe step, how long probes take, and when each
// gateway's certificate expires.
type Endpoints struct {
	up         *prometheus.GaugeVec
	duration   prometheus.Histogram
	certExpiry *prometheus.GaugeVec

	mu       sync.Mutex                  // one run's results replace the last run's whole
	last     map[string][]EndpointResult // the series now exported, by org: kept for an org that could not be listed
	unlisted map[string]int              // runs in a row each org could not be listed
}

// KeptRuns is how many runs in a row an org that cannot be listed keeps its last series as
// they were; after that they read 0: byova no longer knows its gateways hold, and an alert
// on == 0 says so (the prober's log says why).
const KeptRuns = 3

// Endpoints registers the prober's series on first use and returns them.
func (m *Metrics) Endpoints() *Endpoints {
	m.endpointsOnce.Do(func() {
		m.endpoints = newEndpoints()
		m.reg.MustRegister(m.endpoints.up, m.endpoints.duration, m.endpoints.certExpiry)
	})
	return m.endpoints
}

func newEndpoints() *Endpoints {
	return &Endpoints{
		up: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "byova_datasource_endpoint_up",
			Help: "1 when every probe step of the data source's gateway held (dial, tls, auth, health, agents, claims), 0 when one failed.",
		}, []string{"org", "id", "audience"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "byova_datasource_endpoint_probe_duration_seconds",
			Help:    "Time one endpoint probe took, every step included.",
			Buckets: []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}),
		certExpiry: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "byova_datasource_endpoint_cert_expiry_timestamp_seconds",
			Help: "When the gateway's TLS certificate expires (Unix seconds), as last probed.",
		}, []string{"org", "id"}),
	}
}

// EndpointResult is one probe's outcome, as the prober reports it.
type EndpointResult struct {
	Org, ID, Audience string
	Up                bool
	Duration          time.Duration
	CertExpiry        time.Time // zero: no certificate seen
}

// Observe records one probe run: its results replace the previous run's, so a data source that
// is gone or no longer probed leaves no stale series. An org named in unlisted was not probed
// this run (its data sources could not be listed): it keeps its last run's series rather than
// vanish from byova_datasource_endpoint_up, where an alert on == 0 would read its gateways'
// silence as health.
func (e *Endpoints) Observe(results []EndpointResult, unlisted ...string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	next := make(map[string][]EndpointResult, len(results))
	for _, r := range results {
		e.duration.Observe(r.Duration.Seconds())
		next[r.Org] = append(next[r.Org], r)
	}
	runs := make(map[string]int, len(unlisted))
	for _, org := range unlisted {
		if _, probed := next[org]; probed || e.last[org] == nil {
			continue
		}
		runs[org] = e.unlisted[org] + 1
		kept := e.last[org]
		if runs[org] > KeptRuns {
			kept = make([]EndpointResult, len(kept))
			for i, r := range e.last[org] {
				r.Up = false
				kept[i] = r
			}
		}
		next[org] = kept
	}
	e.unlisted = runs
	e.up.Reset()
	e.certExpiry.Reset()
	for _, rs := range next {
		for _, r := range rs {
			v := 0.0
			if r.Up {
				v = 1
			}
			e.up.WithLabelValues(LabelValue(r.Org), LabelValue(r.ID), LabelValue(r.Audience)).Set(v)
			if !r.CertExpiry.IsZero() {
				e.certExpiry.WithLabelValues(LabelValue(r.Org), LabelValue(r.ID)).Set(float64(r.CertExpiry.Unix()))
			}
		}
	}
	e.last = next
}
