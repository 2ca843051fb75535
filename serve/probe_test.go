package serve

import (
	"context"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/gateway/gatewayfake"
	"github.com/byova/byova/keeper"
)

// The prober's metrics follow the gateway: up 1 while every step holds, 0 once the gateway
// rejects the token (`fake ctl agent fail auth`), 1 again after reset; and the certificate's
// expiry is exported.
func TestProberMetricsFollowTheGateway(t *testing.T) {
	var ag *gatewayfake.Server
	r := newRig(t, func(o *Options) {
		o.Settings.ProbeInterval = time.Hour                                    // run by hand below (ManualKeeper)
		jwks, err := api.ResolveJWKSURL("", "", "", o.Session.Settings.BaseURL) // the fake Webex's key set
		if err != nil {
			t.Fatal(err)
		}
		ag, err = gatewayfake.Start("127.0.0.1:0", gatewayfake.Options{JWKSURL: jwks, Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(ag.Close)
		o.ProbeRoots = ag.Roots()
	})
	if n := r.fake.PointVoiceAgentsAt(ag.URL()); n == 0 {
		t.Fatal("no Voice Virtual Agent data sources in the fake")
	}
	base := "http://" + r.srv.HTTPAddr()
	up := regexp.MustCompile(`(?m)^byova_datasource_endpoint_up\{audience="[^"]*",id="[^"]+",org="[^"]+"\} (\d)$`)
	scrape := func() []string {
		t.Helper()
		_, body := get(t, base+"/metrics")
		var vals []string
		for _, m := range up.FindAllStringSubmatch(body, -1) {
			vals = append(vals, m[1])
		}
		return vals
	}
	all := func(want string) {
		t.Helper()
		vals := scrape()
		if len(vals) == 0 {
			t.Fatal("no byova_datasource_endpoint_up series")
		}
		for _, v := range vals {
			if v != want {
				t.Fatalf("endpoint_up = %v, want all %s", vals, want)
			}
		}
	}
	r.srv.Prober().RunOnce(t.Context())
	all("1")
	_, body := get(t, base+"/metrics")
	if !regexp.MustCompile(`byova_datasource_endpoint_cert_expiry_timestamp_seconds\{id="[^"]+",org="[^"]+"\} \d`).MatchString(body) ||
		!regexp.MustCompile(`byova_datasource_endpoint_probe_duration_seconds_count [1-9]`).MatchString(body) {
		t.Fatalf("no cert expiry or duration series:\n%s", body)
	}
	if _, err := ag.Fail(gatewayfake.FaultAuth, 0); err != nil {
		t.Fatal(err)
	}
	r.srv.Prober().RunOnce(t.Context())
	all("0")
	if _, err := ag.Fail(gatewayfake.FaultReset, 0); err != nil {
		t.Fatal(err)
	}
	r.srv.Prober().RunOnce(t.Context())
	all("1")

	// An org whose data sources cannot be listed keeps its last state: its series neither
	// vanish (an alert on == 0 would read that as health) nor change, though its gateway now
	// rejects the token; once the list answers again it is probed again.
	if _, err := ag.Fail(gatewayfake.FaultAuth, 0); err != nil {
		t.Fatal(err)
	}
	r.fake.InjectFault(webexfake.Fault{Method: "GET", Path: "/v1/dataSources", Status: 400, Times: 100})
	before := len(scrape())
	r.srv.Prober().RunOnce(t.Context())
	if n := len(scrape()); n != before {
		t.Fatalf("%d endpoint_up series after the org's list failed, want its %d kept", n, before)
	}
	all("1")
	r.fake.ClearFaults()
	r.srv.Prober().RunOnce(t.Context())
	all("0")
}

func TestProberOff(t *testing.T) {
	r := newRig(t, func(o *Options) { o.Settings.ProbeInterval = 0 })
	if r.srv.Prober() != nil {
		t.Fatal("interval 0 must turn the prober off")
	}
}

// follower is a replica of a shared store that another replica leads, until it wins.
type follower struct {
	alwaysLeader
	leads atomic.Bool
	asked atomic.Int32
}

func (f *follower) Leading() bool { f.asked.Add(1); return f.leads.Load() }

// leaderRig is a serve whose keeper election is lead's, with the fake's Voice Virtual Agent
// data sources pointed at a fake gateway and the prober run by hand (interval an hour).
func leaderRig(t *testing.T, lead keeper.Leader) *rig {
	t.Helper()
	var ag *gatewayfake.Server
	r := newRig(t, func(o *Options) {
		o.Settings.ProbeInterval = time.Hour
		o.Leader = lead
		var err error
		ag, err = gatewayfake.Start("127.0.0.1:0", gatewayfake.Options{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(ag.Close)
		o.ProbeRoots = ag.Roots()
	})
	if n := r.fake.PointVoiceAgentsAt(ag.URL()); n == 0 {
		t.Fatal("no Voice Virtual Agent data sources in the fake")
	}
	return r
}

// With a shared store only the keeper's leader probes: a follower sends nothing to the
// gateways and exports no endpoint series; once it leads, it probes.
func TestOnlyTheLeaderProbes(t *testing.T) {
	lead := &follower{}
	r := leaderRig(t, lead)
	base := "http://" + r.srv.HTTPAddr()
	if res := r.srv.Prober().RunOnce(t.Context()); len(res) != 0 {
		t.Fatalf("a follower probed %d endpoints", len(res))
	}
	if _, body := get(t, base+"/metrics"); strings.Contains(body, "byova_datasource_endpoint_up{") {
		t.Fatal("a follower exports endpoint series")
	}
	lead.leads.Store(true)
	if res := r.srv.Prober().RunOnce(t.Context()); len(res) == 0 {
		t.Fatal("the leader probed nothing")
	}
	if _, body := get(t, base+"/metrics"); !strings.Contains(body, "byova_datasource_endpoint_up{") {
		t.Fatal("the leader exports no endpoint series")
	}
	lead.leads.Store(false)
	r.srv.Prober().RunOnce(t.Context())
	if _, body := get(t, base+"/metrics"); strings.Contains(body, "byova_datasource_endpoint_up{") {
		t.Fatal("a replica that stopped leading still exports its last endpoint series")
	}
}

// The loop follows the election: a replica that wins probes at once, not an interval (an
// hour here) later, and one that loses stops exporting its series, both within the poll.
func TestProberLoopFollowsTheElection(t *testing.T) {
	lead := &follower{}
	r := leaderRig(t, lead)
	p := r.srv.Prober()
	p.poll = 10 * time.Millisecond
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); p.Loop(ctx) }()
	defer func() { cancel(); <-done }()
	base := "http://" + r.srv.HTTPAddr()
	exports := func() bool {
		_, body := get(t, base+"/metrics")
		return strings.Contains(body, "byova_datasource_endpoint_up{")
	}
	until := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("30 s on, still not: %s", what)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	until("the loop asked whether it leads", func() bool { return lead.asked.Load() > 0 })
	if exports() {
		t.Fatal("a follower's loop exports endpoint series")
	}
	lead.leads.Store(true)
	until("the new leader probed (its interval is an hour)", exports)
	lead.leads.Store(false)
	until("the former leader stopped exporting", func() bool { return !exports() })
}
