package etcdstore

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/byova/byova/config"
	"github.com/byova/byova/etcdstore/etcdtest"
	"github.com/byova/byova/seal"
)

// Store latency per token read: Load of a store holding 100 orgs' Service App tokens (one
// range read, each value opened), and one token's compare-and-swap write.
func BenchmarkStore(b *testing.B) {
	srv := etcdtest.Start(b)
	kf := filepath.Join(b.TempDir(), "seal.key")
	if _, err := seal.WriteKeyFile(kf); err != nil {
		b.Fatal(err)
	}
	s, err := Open(context.Background(), Options{Settings: config.StoreSettings{Backend: config.BackendEtcd,
		Endpoints: []string{srv.Endpoint}, Prefix: "/byova/", SealKeyFiles: []string{kf}, LeaseTTL: 2 * time.Second}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	tk := &config.Tokens{}
	for i := range 100 {
		tk.Profile("default").Orgs[fmt.Sprintf("org-%03d", i)] = &config.Token{Kind: config.KindServiceApp, AccessToken: "t", Expiry: time.Now().Add(time.Hour)}
	}
	if _, err := s.Import(tk); err != nil {
		b.Fatal(err)
	}
	b.Run("load-100-tokens", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Load(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/100, "µs/token")
	})
	b.Run("update-one-token", func(b *testing.B) {
		n := 0
		for b.Loop() {
			n++
			if err := s.Update(func(t *config.Tokens) error {
				t.Profile("default").Orgs["org-000"] = &config.Token{Kind: config.KindServiceApp, AccessToken: fmt.Sprint(n), Expiry: time.Now().Add(2 * time.Hour)}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
