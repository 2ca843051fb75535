package metrics_test

import (
	"maps"
	"testing"

	"github.com/byova/byova/metrics"
)

// A probe run replaces the last one's series, except for an org it could not list: that org
// keeps its last state, and an org that is neither probed nor named drops out.
func TestEndpointsKeepAnUnlistedOrg(t *testing.T) {
	m := metrics.New()
	e := m.Endpoints()
	e.Observe([]metrics.EndpointResult{
		{Org: "o1", ID: "a", Up: true}, {Org: "o2", ID: "b", Up: false}, {Org: "o3", ID: "c", Up: true},
	})
	e.Observe([]metrics.EndpointResult{{Org: "o1", ID: "a", Up: false}}, "o2")
	got := map[string]float64{}
	for _, s := range scrape(t, m.Handler())["byova_datasource_endpoint_up"].GetMetric() {
		l := labels(s)
		got[l["org"]+"/"+l["id"]] = s.GetGauge().GetValue()
	}
	want := map[string]float64{"o1/a": 0, "o2/b": 0}
	if !maps.Equal(got, want) {
		t.Fatalf("endpoint_up series %v, want %v (o2 kept as it was, o3 gone)", got, want)
	}
	// An org that stays unlisted keeps its state KeptRuns runs in a row (the first above), then
	// reads 0: byova no longer knows its gateways hold.
	for range metrics.KeptRuns - 1 {
		e.Observe(nil, "o1")
	}
	if v := upOf(t, m, "o1/a"); v != 0 {
		t.Fatalf("o1/a = %v after a failed probe kept", v)
	}
	e.Observe([]metrics.EndpointResult{{Org: "o1", ID: "a", Up: true}})
	for range metrics.KeptRuns {
		e.Observe(nil, "o1")
	}
	if v := upOf(t, m, "o1/a"); v != 1 {
		t.Fatalf("o1/a = %v after %d unlisted runs, want its last state, 1", v, metrics.KeptRuns)
	}
	e.Observe(nil, "o1")
	if v := upOf(t, m, "o1/a"); v != 0 {
		t.Fatalf("o1/a = %v after %d unlisted runs in a row, want 0 (no longer known up)", v, metrics.KeptRuns+1)
	}
	e.Observe(nil)
	if n := len(scrape(t, m.Handler())["byova_datasource_endpoint_up"].GetMetric()); n != 0 {
		t.Fatalf("%d series after a run that probed nothing and kept no org", n)
	}
}

// upOf is the byova_datasource_endpoint_up value of org/id (-1: no such series).
func upOf(t *testing.T, m *metrics.Metrics, orgID string) float64 {
	t.Helper()
	for _, s := range scrape(t, m.Handler())["byova_datasource_endpoint_up"].GetMetric() {
		if l := labels(s); l["org"]+"/"+l["id"] == orgID {
			return s.GetGauge().GetValue()
		}
	}
	return -1
}
