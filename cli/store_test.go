package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/config/xdgtest"
	"github.com/byova/byova/etcdstore/etcdtest"
	"github.com/byova/byova/session"
)

// keygen, migrate file → etcd (source untouched), the CLI reading etcd through [serve.store],
// status, and migrate back into an empty tokens.json.
func TestStoreKeygenMigrateStatus(t *testing.T) {
	xdgtest.Isolate(t)
	srv := etcdtest.Start(t)
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Close() })
	cr := fake.Creds()
	env := map[string]string{"WEBEX_BASE_URL": fake.URL(), "WEBEX_SA_CLIENT_ID": cr.ServiceAppClientID,
		"WEBEX_SA_CLIENT_SECRET": cr.ServiceAppClientSecret, "WEBEX_ORG_ID": cr.OrgID, "NO_COLOR": "1"}
	getenv := func(k string) string { return env[k] }

	sess, err := session.New(config.Settings{Profile: "default", BaseURL: fake.URL(), Source: map[string]string{}},
		config.NewStore(config.TokenFile()), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.SaveToken(config.KindServiceApp, cr.OrgID, cr.ServiceAppClientID, cr.ServiceAppClientSecret,
		api.Token{AccessToken: cr.ServiceAppAccessToken, RefreshToken: cr.ServiceAppRefreshToken, Expiry: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(config.TokenFile())

	key := filepath.Join(t.TempDir(), "seal.key")
	code, out, errs := runCLI(getenv, "store", "keygen", key)
	if code != 0 || !strings.Contains(out, "seal key ") {
		t.Fatalf("keygen: %d %q %q", code, out, errs)
	}
	if code, _, errs := runCLI(getenv, "store", "keygen", key); code == 0 || !strings.Contains(errs, "never overwrites") {
		t.Fatalf("keygen over an existing key: %d %q", code, errs)
	}
	writeConfig := func(backend string) {
		t.Helper()
		cfg := "[serve.store]\nbackend = \"" + backend + "\"\nendpoints = [\"" + srv.Endpoint + "\"]\nseal_key_files = [\"" + key + "\"]\n"
		if err := os.MkdirAll(filepath.Dir(config.ConfigFile()), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(config.ConfigFile(), []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	writeConfig("file")
	code, out, errs = runCLI(getenv, "store", "migrate", "--from", "file", "--to", "etcd")
	if code != 0 || !strings.Contains(out, "copied and checked 2 entries") {
		t.Fatalf("migrate: %d %q %q", code, out, errs)
	}
	if after, _ := os.ReadFile(config.TokenFile()); !bytes.Equal(before, after) {
		t.Fatal("migrate changed the source")
	}
	if code, _, errs := runCLI(getenv, "store", "migrate", "--from", "file", "--to", "etcd"); code == 0 || !strings.Contains(errs, "empty store only") {
		t.Fatalf("second migrate into a full store: %d %q", code, errs)
	}

	// the CLI now reads etcd: with tokens.json gone, the org's token still comes from the store
	writeConfig("etcd")
	if err := os.Rename(config.TokenFile(), config.TokenFile()+".bak"); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCLI(getenv, "datasources", "list"); code != 0 || out == "" {
		t.Fatalf("ds list on the etcd store: %d %q %q", code, out, errs)
	}
	code, out, errs = runCLI(getenv, "store", "status")
	if code != 0 || !strings.Contains(out, "backend   etcd") || !strings.Contains(out, "entries   2 tokens") || !strings.Contains(out, "keys      ") {
		t.Fatalf("status: %d %q %q", code, out, errs)
	}
	raw, err := srv.Client(t).Get(context.Background(), "/byova/", clientv3.WithPrefix())
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range raw.Kvs {
		if bytes.Contains(kv.Value, []byte(cr.ServiceAppAccessToken)) || bytes.Contains(kv.Value, []byte(cr.ServiceAppClientSecret)) {
			t.Fatalf("%s holds a secret in clear", kv.Key)
		}
	}

	code, out, errs = runCLI(getenv, "store", "migrate", "--from", "etcd", "--to", "file")
	if code != 0 || !strings.Contains(out, "copied and checked 2 entries") {
		t.Fatalf("migrate back: %d %q %q", code, out, errs)
	}
	back, err := config.NewStore(config.TokenFile()).Load()
	if err != nil || back.Profiles["default"].Orgs[cr.OrgID].AccessToken != cr.ServiceAppAccessToken {
		t.Fatalf("tokens.json after migrating back: %v", err)
	}
	if code, _, errs := runCLI(getenv, "store", "migrate", "--from", "file", "--to", "file"); code != 2 {
		t.Fatalf("file to file: %d %q", code, errs)
	}
}
