package datasources

import (
	"fmt"
	"testing"

	"github.com/byova/byova/api"
	"github.com/byova/byova/gateway"
	"github.com/byova/byova/ui/common"
	fixture "github.com/byova/byova/ui/uitest"
)

// A frame of a fleet-sized list after a probe of every row: the probe panel's lines are built
// once per answer, so a frame (a cursor step) no longer looks every probed id up in the rows.
func BenchmarkFrameAfterProbe2k(b *testing.B) {
	s := newScreen(b, 120, 40)
	base := fixture.DataSources()
	items := make([]api.DataSource, 2000)
	probes := make([]*gateway.Probe, len(items))
	for i := range items {
		items[i] = base[i%len(base)]
		items[i].ID = fmt.Sprintf("ds-%05d", i)
		probes[i] = &gateway.Probe{ID: items[i].ID, Word: "dial", Steps: []gateway.Step{{Name: "dial", Result: gateway.Fail, Verdict: "refused"}}}
	}
	loaded(s, items)
	req := s.c.Request(Owner, kindProbe, "probing endpoints", 0)
	s.Update(common.ReplyTo(req, probedMsg{probes: probes}, nil))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		fixture.Press(s, "j")
		_ = s.View()
	}
}
