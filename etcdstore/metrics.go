package etcdstore

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the store's and the election's series in serve's registry. A nil *Metrics
// records nothing, so tests and the CLI pass none.
type Metrics struct {
	up       prometheus.Gauge
	duration *prometheus.HistogramVec
	leader   prometheus.Gauge
	changes  prometheus.Counter
}

// NewMetrics registers byova_store_up, byova_store_request_duration_seconds{op},
// byova_keeper_is_leader and byova_keeper_leader_changes_total in reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		up: prometheus.NewGauge(prometheus.GaugeOpts{Name: "byova_store_up",
			Help: "1 when the last request to the token store (etcd) succeeded."}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "byova_store_request_duration_seconds",
			Help: "Token store (etcd) requests by operation.", Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}},
			[]string{"op"}),
		leader: prometheus.NewGauge(prometheus.GaugeOpts{Name: "byova_keeper_is_leader",
			Help: "1 while this replica leads the keeper election and runs keeper rounds."}),
		changes: prometheus.NewCounter(prometheus.CounterOpts{Name: "byova_keeper_leader_changes_total",
			Help: "Times this replica became or stopped being the keeper's leader."}),
	}
	reg.MustRegister(m.up, m.duration, m.leader, m.changes)
	return m
}

func (m *Metrics) request(op string, start time.Time, err error) {
	if m == nil {
		return
	}
	m.duration.WithLabelValues(op).Observe(time.Since(start).Seconds())
	if err != nil {
		m.up.Set(0)
	} else {
		m.up.Set(1)
	}
}

func (m *Metrics) leading(on bool) {
	if m == nil {
		return
	}
	if on {
		m.leader.Set(1)
	} else {
		m.leader.Set(0)
	}
	m.changes.Inc()
}
