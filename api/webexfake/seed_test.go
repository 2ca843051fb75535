package webexfake

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"
)

func TestSeededDataSources(t *testing.T) {
	s := start(t, Options{Now: func() time.Time { return fixedNow }})
	c := s.Creds()
	items := call(t, http.MethodGet, s.URL()+"/dataSources", c.ServiceAppAccessToken, "", nil).items(t)
	var disabled, expired, expiringSoon, healthy int
	for _, it := range items {
		full, _ := s.DataSource(it["id"].(string))
		exp, err := time.Parse(time.RFC3339, full["tokenExpiryTime"].(string))
		if err != nil {
			t.Fatal(err)
		}
		left := exp.Sub(fixedNow)
		switch {
		case full["status"] == "disabled":
			disabled++
			if full["errorMessage"] == "" {
				t.Error("disabled source without errorMessage")
			}
		case left < 0:
			expired++
		case left < time.Hour:
			expiringSoon++
			if left != 25*time.Minute {
				t.Errorf("expiring source has %v left", left)
			}
		case left > 4*time.Hour:
			healthy++
		}
		if full["status"] == "active" && full["errorMessage"] != "" {
			t.Errorf("active source with errorMessage %v", full["errorMessage"])
		}
	}
	if len(items) != 8 || disabled != 1 || expired != 1 || expiringSoon != 1 || healthy != 5 {
		t.Fatalf("%d sources: %d disabled, %d expired, %d expiring, %d healthy", len(items), disabled, expired, expiringSoon, healthy)
	}
}

// snapshot is everything seeded that a client can see, for determinism checks.
func snapshot(t *testing.T, opts Options) (Credentials, []map[string]any) {
	s := start(t, opts)
	c := s.Creds()
	c.JWKSURL = ""
	var all []map[string]any
	for _, it := range call(t, http.MethodGet, s.URL()+"/dataSources", c.ServiceAppAccessToken, "", nil).items(t) {
		full, _ := s.DataSource(it["id"].(string))
		delete(full, "jwsToken") // RSA keys are per process run; the claims are compared via tokenExpiryTime
		all = append(all, full)
	}
	all = append(all, call(t, http.MethodGet, s.URL()+"/webhooks", c.PersonalAccessToken, "", nil).items(t)...)
	return c, all
}

func TestSeedIsDeterministic(t *testing.T) {
	opts := Options{Seed: 42, Now: func() time.Time { return fixedNow }, ExtraWebhooks: 3}
	c1, d1 := snapshot(t, opts)
	c2, d2 := snapshot(t, opts)
	if c1 != c2 || !reflect.DeepEqual(d1, d2) {
		t.Fatal("same seed, different data")
	}
	c3, _ := snapshot(t, Options{Seed: 43, Now: opts.Now})
	if c3.OrgID == c1.OrgID || c3.ServiceAppClientSecret == c1.ServiceAppClientSecret || c3.PersonalAccessToken == c1.PersonalAccessToken {
		t.Fatal("different seeds, same credentials")
	}
	c0, _ := snapshot(t, Options{Now: opts.Now})
	c1s, _ := snapshot(t, Options{Seed: 1, Now: opts.Now})
	if c0 != c1s {
		t.Fatal("seed 0 is not seed 1")
	}
}

func TestSeed10kIsQuick(t *testing.T) {
	New(Options{}) // the process-wide RSA key is made once; keep it out of the measurement
	begin := time.Now()
	s := New(Options{ExtraDataSources: 10000, PageSize: 100})
	took := time.Since(begin)
	t.Logf("New with 10,000 extra data sources: %v", took)
	if took > 2*time.Second {
		t.Errorf("seeding 10,000 data sources took %v", took)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Only the page asked for is signed: the first page of 100 costs ~0.1 s, not the whole set.
	begin = time.Now()
	r := call(t, http.MethodGet, s.URL()+"/dataSources", s.Creds().ServiceAppAccessToken, "", nil)
	if len(r.items(t)) != 100 || r.header.Get("Link") == "" {
		t.Fatalf("first page: %d items, Link %q", len(r.items(t)), r.header.Get("Link"))
	}
	t.Logf("first page of 100: %v", time.Since(begin))
}

func BenchmarkSeed10k(b *testing.B) {
	New(Options{}) // the process-wide RSA key is made once; keep it out of the measurement
	for b.Loop() {
		New(Options{ExtraDataSources: 10000})
	}
}

// BenchmarkList10k walks 10,008 data sources in pages of 1000 once every token is signed.
func BenchmarkList10k(b *testing.B) {
	s := New(Options{ExtraDataSources: 10000})
	begin := time.Now()
	s.Presign()
	b.Logf("Presign of 10,008 tokens: %v", time.Since(begin))
	if err := s.Start(); err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	token := s.Creds().ServiceAppAccessToken
	for b.Loop() {
		next, n := s.URL()+"/dataSources?max=1000", 0
		for next != "" {
			req, _ := http.NewRequest(http.MethodGet, next, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var page struct{ Items []json.RawMessage }
			if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
			n += len(page.Items)
			next = ""
			for _, m := range linkRe.FindAllStringSubmatch(resp.Header.Get("Link"), -1) {
				if m[2] == "next" {
					next = m[1]
				}
			}
		}
		if n != 10008 {
			b.Fatalf("%d items", n)
		}
	}
}
