package metrics

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/byova/byova/config"
)

// The per-source series leave Collect in the order the registry sorts them to (label values in
// the labels' name order: audience, id, org, status), so its sort at 100,000 series is one pass.
func TestPerSourceSeriesInRegistryOrder(t *testing.T) {
	e := newExpiries()
	e.setMode(config.PerSourceOn)
	for o := range 20 {
		series := map[string]expiry{}
		for i := range 30 {
			id := fmt.Sprintf("ds-%03d", (i*7+o*13)%97)
			series[id] = expiry{lv: [4]string{fmt.Sprintf("org-%02d", o), id, []string{"b", "a", "c"}[i%3], []string{"active", "disabled"}[i%2]}, exp: float64(i)}
		}
		e.replace(fmt.Sprintf("org-%02d", o), series)
	}
	ch := make(chan prometheus.Metric, 1000)
	e.Collect(ch)
	close(ch)
	var got []string
	for m := range ch {
		if m.Desc() != e.perSource {
			continue
		}
		var pb dto.Metric
		if err := m.Write(&pb); err != nil {
			t.Fatal(err)
		}
		var vals []string
		for _, lp := range pb.Label { // sorted by name, as the registry compares them
			vals = append(vals, lp.GetValue())
		}
		got = append(got, strings.Join(vals, "\x00"))
	}
	if len(got) != 600 {
		t.Fatalf("%d per-source series, want 600", len(got))
	}
	if !slices.IsSorted(got) {
		t.Errorf("per-source series not in the registry's order; first ones: %q", got[:5])
	}
}
