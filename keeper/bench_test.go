package keeper_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/keeper"
	"github.com/byova/byova/metrics"
	"github.com/byova/byova/session"
)

// BenchmarkKeeperRoundFleet is one keeper round (issue 21 §2) over 1k, 10k and 100k data
// sources dealt over 500 orgs, against the fake Webex on loopback, with serve's metrics as the
// observer: per org the token check, the list, the due rule and the expiry series. The
// generated tokens have 4–23 h left, so with the default 3 h window nothing is due: this is the
// round every interval pays. Reported: the heap allocated per round and sources listed a second.
func BenchmarkKeeperRoundFleet(b *testing.B) {
	const orgs = 500
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			fake := webexfake.New(webexfake.Options{Seed: 1, ExtraDataSources: n, SpreadOrgs: orgs, CheapSignatures: true})
			if err := fake.Start(); err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = fake.Close() })
			cr := fake.Creds()
			dir := b.TempDir()
			store := config.NewStore(filepath.Join(dir, "tokens.json"))
			err := store.Update(func(tk *config.Tokens) error {
				ps := tk.Profile("default")
				for _, o := range fake.SpreadOrgTokens() {
					ps.Orgs[o.OrgID] = &config.Token{Kind: config.KindServiceApp, Org: o.OrgID, ClientID: cr.ServiceAppClientID,
						AccessToken: o.AccessToken, RefreshToken: o.RefreshToken, Expiry: time.Now().Add(50 * time.Minute)}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			sess, err := session.New(config.Settings{Profile: "default", BaseURL: fake.URL(),
				ServiceAppClientID: cr.ServiceAppClientID, ServiceAppClientSecret: cr.ServiceAppClientSecret,
				Source: map[string]string{}}, store, nil)
			if err != nil {
				b.Fatal(err)
			}
			sess.AuditPath = filepath.Join(dir, "audit.log")
			k, err := keeper.New(keeper.Options{Session: sess, Observer: metrics.New()})
			if err != nil {
				b.Fatal(err)
			}
			round := func() keeper.Report {
				rep := k.RunOnce(context.Background())
				if rep.Result != keeper.RunOK || len(rep.Orgs) != orgs {
					b.Fatalf("round %s over %d orgs, want ok over %d: %+v", rep.Result, len(rep.Orgs), orgs, rep.Orgs[0])
				}
				return rep
			}
			round() // the fake signs (cheaply) on first showing
			listed, extended := 0, 0
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			b.ResetTimer()
			t0 := time.Now()
			for b.Loop() {
				for _, o := range round().Orgs {
					listed += o.Listed
					extended += len(o.Extended)
				}
			}
			took := time.Since(t0)
			b.StopTimer()
			runtime.ReadMemStats(&m1)
			if listed != n*b.N {
				b.Fatalf("listed %d in %d rounds, want %d a round", listed, b.N, n)
			}
			b.ReportMetric(float64(took.Milliseconds())/float64(b.N), "round-ms")
			b.ReportMetric(float64(listed)/took.Seconds(), "listed/s")
			b.ReportMetric(float64(extended)/float64(b.N), "extends/round")
			b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/float64(b.N)/(1<<20), "alloc-MB/op")
		})
	}
}
