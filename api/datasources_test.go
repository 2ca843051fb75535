package api_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
)

const voiceSchema = "5397013b-7920-4ffc-807c-e8a3e0a18f43"

func TestDataSourceLifecycle(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 7})
	c, _ := orgClient(t, s)
	cx := ctx(t)

	before, err := c.ListDataSources(cx)
	if err != nil {
		t.Fatal(err)
	}
	if len(before) < 5 {
		t.Fatalf("seeded list has %d data sources, want several", len(before))
	}

	created, err := c.CreateDataSource(cx, api.DataSourceCreate{SchemaID: voiceSchema, URL: "https://va.example.org/grpc",
		Audience: "TestAgent", Subject: "callAudioData", Nonce: api.NewNonce(), TokenLifetimeMinutes: 60})
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == "" || created.Audience != "TestAgent" || created.Status != "active" {
		t.Fatalf("created = %+v", created)
	}
	if d := time.Until(created.Expiry()); d < 58*time.Minute || d > 61*time.Minute {
		t.Errorf("new token expires in %s, want about 60m", d)
	}

	got, err := c.GetDataSource(cx, created.ID)
	if err != nil || got.URL != "https://va.example.org/grpc" || got.SchemaID != voiceSchema {
		t.Fatalf("get = %+v, %v", got, err)
	}

	up := api.UpdateFrom(got)
	up.Nonce, up.Status, up.ErrorMessage = api.NewNonce(), "disabled", "maintenance until 06:00 UTC"
	upd, err := c.UpdateDataSource(cx, got.ID, up)
	if err != nil || upd.Status != "disabled" || upd.ErrorMessage != "maintenance until 06:00 UTC" {
		t.Fatalf("update = %+v, %v", upd, err)
	}

	if err := c.DeleteDataSource(cx, got.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetDataSource(cx, got.ID); !errors.Is(err, api.ErrNotFound) {
		t.Fatalf("get after delete: %v, want ErrNotFound", err)
	}
	after, _ := c.ListDataSources(cx)
	if len(after) != len(before) {
		t.Errorf("list after create+delete has %d, want %d", len(after), len(before))
	}
}

func TestListDerivesFieldsFromToken(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 3})
	c, _ := orgClient(t, s)
	items, err := c.ListDataSources(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range items {
		if d.Audience == "" || d.Subject == "" || d.URL == "" || d.SchemaID == "" || d.Expiry().IsZero() {
			t.Errorf("data source %s lacks derived fields: %+v", d.ID, d)
		}
		raw, _ := s.DataSource(d.ID)
		if raw["audience"] != d.Audience {
			t.Errorf("derived audience %q, stored %v", d.Audience, raw["audience"])
		}
	}
}

func TestDataSourceTolerantDecoding(t *testing.T) {
	var d api.DataSource
	in := `{"id":"x","schemaId":["78efc775-dccb-45ca-9acf-989a4a59f788"],"tokenLifetimeMinutes":"90","status":"active","tokenExpiryTime":"2030-01-02T03:04:05.000Z","surprise":true}`
	if err := json.Unmarshal([]byte(in), &d); err != nil {
		t.Fatal(err)
	}
	if d.SchemaID != "78efc775-dccb-45ca-9acf-989a4a59f788" || d.TokenLifetimeMinutes != 90 {
		t.Errorf("decoded %+v", d)
	}
	if want := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC); !d.Expiry().Equal(want) {
		t.Errorf("expiry %v, want %v", d.Expiry(), want)
	}
	var bad api.DataSource
	if err := json.Unmarshal([]byte(`{"id":"y","jwsToken":"not.a.jws"}`), &bad); err != nil {
		t.Fatalf("a broken token must not fail decoding: %v", err)
	}
	if bad.TokenProblem() == "" || !bad.Expiry().IsZero() {
		t.Errorf("broken token: problem %q expiry %v", bad.TokenProblem(), bad.Expiry())
	}
}

func TestListFollowsLinkPaging(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 1, ExtraDataSources: 230, PageSize: 50})
	c, _ := orgClient(t, s)
	s.ResetRequests()
	items, err := c.ListDataSources(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) < 230 {
		t.Fatalf("got %d data sources, want every page (230+ items)", len(items))
	}
	seen := map[string]bool{}
	for _, d := range items {
		if seen[d.ID] {
			t.Fatalf("data source %s appears twice", d.ID)
		}
		seen[d.ID] = true
	}
	if pages := count(s, http.MethodGet, "/v1/dataSources"); pages < 5 {
		t.Errorf("fetched %d pages, want 5+", pages)
	}
}

func TestExtendKeepsConfigurationAndRotatesNonce(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 5})
	c, _ := orgClient(t, s)
	cx := ctx(t)
	items, err := c.ListDataSources(cx)
	if err != nil {
		t.Fatal(err)
	}
	var target *api.DataSource
	for i := range items {
		if items[i].Status == "disabled" {
			target = &items[i]
		}
	}
	if target == nil {
		t.Fatal("seed has no disabled data source")
	}
	old, _ := s.DataSource(target.ID)
	s.ResetRequests()
	before, after, err := c.ExtendDataSource(cx, target.ID, 1440)
	if err != nil {
		t.Fatal(err)
	}
	if !after.Expiry().After(before.Expiry()) || time.Until(after.Expiry()) < 23*time.Hour {
		t.Errorf("expiry %v → %v, want about 24h from now", before.Expiry(), after.Expiry())
	}
	var put map[string]any
	for _, r := range s.Requests() {
		if r.Method == http.MethodPut {
			if err := json.Unmarshal(r.Body, &put); err != nil {
				t.Fatal(err)
			}
		}
	}
	if put == nil {
		t.Fatal("no PUT was sent")
	}
	for _, k := range []string{"audience", "subject", "schemaId", "url", "status", "errorMessage"} {
		if put[k] != old[k] {
			t.Errorf("PUT %s = %v, want the current %v", k, put[k], old[k])
		}
	}
	if put["nonce"] == old["nonce"] || len(put["nonce"].(string)) != 36 {
		t.Errorf("PUT nonce %v: want a fresh UUID (old %v)", put["nonce"], old["nonce"])
	}
	if put["tokenLifetimeMinutes"] != float64(1440) {
		t.Errorf("PUT lifetime %v, want 1440", put["tokenLifetimeMinutes"])
	}
	if _, _, err := c.ExtendDataSource(cx, target.ID, 5000); err == nil || !strings.Contains(err.Error(), "1440") {
		t.Errorf("lifetime 5000: %v, want a range error", err)
	}
}

func TestExtendPlanRefusesUnknownConfiguration(t *testing.T) {
	_, err := api.ExtendPlan(&api.DataSource{ID: "a", Subject: "s", URL: "https://x"}, 60)
	if err == nil || !strings.Contains(err.Error(), "audience") || !strings.Contains(err.Error(), "schemaId") {
		t.Fatalf("err = %v, want it to name audience and schemaId", err)
	}
}

// The UI shows the nonce before the person confirms; WithNonce sends exactly that one.
func TestExtendWithNonce(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 5})
	c, _ := orgClient(t, s)
	cx := ctx(t)
	items, err := c.ListDataSources(cx)
	if err != nil || len(items) == 0 {
		t.Fatalf("no data source: %v", err)
	}
	id := items[0].ID
	want := api.NewNonce()
	s.ResetRequests()
	if _, _, err := c.ExtendDataSource(cx, id, 60, api.WithNonce(want)); err != nil {
		t.Fatal(err)
	}
	var put map[string]any
	for _, r := range s.Requests() {
		if r.Method == http.MethodPut {
			if err := json.Unmarshal(r.Body, &put); err != nil {
				t.Fatal(err)
			}
		}
	}
	if put == nil || put["nonce"] != want {
		t.Fatalf("PUT nonce %v, want the one given", put["nonce"])
	}
	s.ResetRequests()
	if _, _, err := c.ExtendDataSource(cx, id, 60, api.WithNonce("  ")); err == nil || !strings.Contains(err.Error(), "blank") {
		t.Errorf("a blank nonce: %v", err)
	}
	for _, r := range s.Requests() {
		if r.Method == http.MethodPut {
			t.Error("a blank nonce was sent")
		}
	}
}
