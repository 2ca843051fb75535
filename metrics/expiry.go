package metrics

import (
	"cmp"
	"container/heap"
	"slices"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
)

// AutoPerSourceLimit is the most data sources, over every org, that per_source = "auto" exports
// a series each for. A scrape at 100,000 sources is 18 MB of text and about a second of
// serve's time (issue 21, BenchmarkScrapeFleet), where the summaries are a few hundred kB.
const AutoPerSourceLimit = 10000

// SoonestSeries is how many per-source expiry series the summary form keeps: the active
// sources whose tokens expire first, over every org, so an expiry alert still names them.
const SoonestSeries = 500

// expiry is one data source's series: its label values (org, id, audience, status) and when
// its token expires (Unix seconds).
type expiry struct {
	lv  [4]string
	exp float64
}

// expiryOf is d's series in org (already a label value); an unknown expiry has none.
func expiryOf(org string, d *api.DataSource) (expiry, bool) {
	t := d.Expiry()
	if t.IsZero() {
		return expiry{}, false
	}
	return expiry{lv: [4]string{org, LabelValue(d.ID), LabelValue(d.Audience), status(d.Status)}, exp: float64(t.Unix())}, true
}

// expiries collects the data source expiry series at scrape time from what the keeper last
// listed, kept per org and id: replacing an org's list costs that org's sources, not every
// org's (DeletePartialMatch on a GaugeVec walks every series: 60 s a keeper round at 100,000
// sources in 500 orgs, issue 21).
type expiries struct {
	perSource, count, soonest *prometheus.Desc

	mu    sync.Mutex // guards the fields below; never held while a metric is sent
	mode  string     // config.PerSource*
	orgs  map[string]map[string]expiry
	total int
}

func newExpiries() *expiries {
	return &expiries{
		perSource: prometheus.NewDesc("byova_datasource_token_expiry_timestamp_seconds",
			"When each data source's token expires (Unix seconds), as last listed by the keeper; with "+
				"serve.metrics.per_source false (or auto above 10,000 sources) only the 500 active ones that expire first.",
			[]string{"org", "id", "audience", "status"}, nil),
		count: prometheus.NewDesc("byova_datasources",
			"Data sources of each org by status, as last listed by the keeper (every per_source setting).",
			[]string{"org", "status"}, nil),
		soonest: prometheus.NewDesc("byova_datasource_token_soonest_expiry_timestamp_seconds",
			"When the org's first active data source token expires (Unix seconds), as last listed by the keeper.",
			[]string{"org"}, nil),
		mode: config.PerSourceAuto,
		orgs: map[string]map[string]expiry{},
	}
}

func (e *expiries) setMode(mode string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.mode = mode
}

// replace makes org's series now (nil: none).
func (e *expiries) replace(org string, now map[string]expiry) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.total -= len(e.orgs[org])
	if len(now) == 0 {
		delete(e.orgs, org)
		return
	}
	e.orgs[org] = now
	e.total += len(now)
}

// set replaces one source's series in org.
func (e *expiries) set(org string, x expiry) {
	e.mu.Lock()
	defer e.mu.Unlock()
	series := e.orgs[org]
	if series == nil {
		series = map[string]expiry{}
		e.orgs[org] = series
	}
	if _, ok := series[x.lv[1]]; !ok {
		e.total++
	}
	series[x.lv[1]] = x
}

func (e *expiries) Describe(ch chan<- *prometheus.Desc) {
	ch <- e.perSource
	ch <- e.count
	ch <- e.soonest
}

// Collect copies the scrape's series under the lock and builds and sends them after it, so a
// slow scrape never holds up the keeper.
func (e *expiries) Collect(ch chan<- prometheus.Metric) {
	series, summaries := e.snapshot()
	// The registry sorts each family by its label values, in the labels' name order (audience,
	// id, org, status), before it writes a byte. Handed in map order, it sorted 100,000 pointers
	// to scattered protobufs: 40% of a per-source scrape at 100,000 sources, and growing more
	// than linearly (18× from 10k). Sorted here, in one compact slice, its sort is one pass.
	slices.SortFunc(series, func(a, b expiry) int {
		return cmp.Or(cmp.Compare(a.lv[2], b.lv[2]), cmp.Compare(a.lv[1], b.lv[1]),
			cmp.Compare(a.lv[0], b.lv[0]), cmp.Compare(a.lv[3], b.lv[3]))
	})
	for _, x := range series {
		ch <- constMetric(e.perSource, x.exp, x.lv[:]...)
	}
	for _, m := range summaries {
		ch <- m
	}
}

// constMetric is a gauge sample; label values it refuses (LabelValue already made them valid
// text) give an invalid metric, which the registry reports for that series alone, not a panic.
func constMetric(d *prometheus.Desc, v float64, lv ...string) prometheus.Metric {
	m, err := prometheus.NewConstMetric(d, prometheus.GaugeValue, v, lv...)
	if err != nil {
		return prometheus.NewInvalidMetric(d, err)
	}
	return m
}

// snapshot is the per-source series to export (every one, or the summary form's soonest) and
// the per-org counts and soonest expiries, as of now.
func (e *expiries) snapshot() (series []expiry, summaries []prometheus.Metric) {
	e.mu.Lock()
	defer e.mu.Unlock()
	all := e.mode == config.PerSourceOn || (e.mode != config.PerSourceOff && e.total <= AutoPerSourceLimit)
	var first soonestHeap // the summary form's soonest, over every org
	if all {
		series = make([]expiry, 0, e.total)
	}
	summaries = make([]prometheus.Metric, 0, 2*len(e.orgs))
	for org, perOrg := range e.orgs {
		counts := map[string]int{}
		soonest := 0.0
		for _, x := range perOrg {
			counts[x.lv[3]]++
			if all {
				series = append(series, x)
			}
			if x.lv[3] != "active" {
				continue // a disabled source's token is not used: no alert wants it
			}
			if soonest == 0 || x.exp < soonest {
				soonest = x.exp
			}
			if !all {
				first.offer(x)
			}
		}
		for st, n := range counts {
			summaries = append(summaries, constMetric(e.count, float64(n), org, st))
		}
		if soonest != 0 {
			summaries = append(summaries, constMetric(e.soonest, soonest, org))
		}
	}
	if !all {
		series = append(series, first...)
	}
	return series, summaries
}

// soonestHeap keeps the SoonestSeries earliest expiries seen, the latest of them on top, so a
// scrape at 100,000 sources keeps 500 rather than sorting them all.
type soonestHeap []expiry

// later orders by expiry, then org and id, so equal expiries keep the same series every scrape.
func later(a, b expiry) bool {
	return cmp.Or(cmp.Compare(a.exp, b.exp), cmp.Compare(a.lv[0], b.lv[0]), cmp.Compare(a.lv[1], b.lv[1])) > 0
}

func (h soonestHeap) Len() int           { return len(h) }
func (h soonestHeap) Less(i, j int) bool { return later(h[i], h[j]) }
func (h soonestHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *soonestHeap) Push(x any)        { *h = append(*h, x.(expiry)) }
func (h *soonestHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (h *soonestHeap) offer(x expiry) {
	switch {
	case h.Len() < SoonestSeries:
		heap.Push(h, x)
	case later((*h)[0], x):
		(*h)[0] = x
		heap.Fix(h, 0)
	}
}
