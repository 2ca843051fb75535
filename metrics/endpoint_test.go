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
	e.Observe(nil)
	if n := len(scrape(t, m.Handler())["byova_datasource_endpoint_up"].GetMetric()); n != 0 {
		t.Fatalf("%d series after a run that probed nothing and kept no org", n)
	}
}
