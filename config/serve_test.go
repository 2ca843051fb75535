package config

import (
	"strings"
	"testing"
	"time"
)

const serveExample = `
[serve]
ssh_addr = "127.0.0.1:2222"
http_addr = "127.0.0.1:9464"
idle_timeout = "30m"
max_sessions = 10

[serve.users.alice]
role = "operator"
keys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEz alice@laptop"]

[serve.users.bob]
role = "viewer"
keys_file = "/home/bob/.ssh/id_ed25519.pub"

[serve.keep]
interval = "10m"
within = "3h"
dry_run = true

[serve.webhooks]
path = "/webex"
secret_file = "/etc/byova/webhook-secret"
`

func TestServeSettingsFromTheSpecExample(t *testing.T) {
	f, err := parseFile("config.toml", []byte(serveExample))
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.Serve.Check("config.toml")
	if err != nil {
		t.Fatal(err)
	}
	if s.SSHAddr != "127.0.0.1:2222" || s.HTTPAddr != "127.0.0.1:9464" || s.IdleTimeout != 30*time.Minute ||
		s.MaxSessions != 10 || s.KeepInterval != 10*time.Minute || s.KeepWithin != 3*time.Hour || !s.KeepDryRun ||
		s.WebhooksPath != "/webex" || s.WebhooksSecretFile != "/etc/byova/webhook-secret" {
		t.Fatalf("settings %+v", s)
	}
	if len(s.Users) != 2 || s.Users[0].Name != "alice" || s.Users[0].Role != RoleOperator || s.Users[1].KeysFile == "" {
		t.Fatalf("users %+v", s.Users)
	}
}

func TestServeDefaults(t *testing.T) {
	s, err := (*Serve)(nil).Check("c")
	if err != nil {
		t.Fatal(err)
	}
	if s.IdleTimeout != DefaultIdleTimeout || s.MaxSessions != DefaultMaxSessions || s.MaxPerKey != DefaultMaxPerKey || s.KeepInterval != DefaultKeepInterval ||
		s.KeepWithin != DefaultKeepWithin || s.WebhooksPath != DefaultWebhooksPath {
		t.Fatalf("defaults %+v", s)
	}
}

func TestServeProblemsAreNamed(t *testing.T) {
	cases := map[string]string{
		"[serve.keep]\ninterval = \"10\"":                       `serve.keep.interval = "10" is not a duration`,
		"[serve.keep]\ninterval = \"500ms\"":                    `serve.keep.interval = "500ms" is too short: give 1s or more`,
		"[serve]\nidle_timeout = \"soon\"":                      `serve.idle_timeout = "soon" is not a duration`,
		"[serve]\nmax_sessions = -1":                            `serve.max_sessions = -1`,
		"[serve]\nmax_connections_per_key = -2":                 `serve.max_connections_per_key = -2: give 1 or more (default 3)`,
		"[serve.users.carol]\nrole = \"admin\"\nkeys = [\"x\"]": `serve.users.carol.role = "admin": give "viewer" or "operator"`,
		"[serve.users.dave]\nrole = \"viewer\"":                 `[serve.users.dave] has no keys`,
		"[serve.webhooks]\npath = \"/metrics\"":                 `serve.webhooks.path = "/metrics"`,
	}
	for in, want := range cases {
		f, err := parseFile("config.toml", []byte(in))
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		_, err = f.Serve.Check("config.toml")
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "config.toml: ") {
			t.Errorf("%q: error %v, want it to say %q", in, err, want)
		}
	}
	if _, err := parseFile("config.toml", []byte("[serve]\nssh_adr = \"x\"")); err == nil || !strings.Contains(err.Error(), "serve.ssh_adr") ||
		!strings.Contains(err.Error(), "serve.ssh_addr") || !strings.Contains(err.Error(), "serve.users.NAME.keys_file") || !strings.Contains(err.Error(), "serve.keep.dry_run") {
		t.Errorf("a typo in [serve] was accepted: %v", err)
	}
}

func TestSaveKeepsServe(t *testing.T) {
	path := t.TempDir() + "/config.toml"
	f, err := parseFile(path, []byte(serveExample))
	if err != nil {
		t.Fatal(err)
	}
	f.Profile("default").RememberOrg("org-1")
	if err := f.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if back.Serve == nil || back.Serve.Users["alice"] == nil || back.Serve.Keep.Interval != "10m" {
		t.Fatalf("saving lost [serve]: %+v", back.Serve)
	}
}

func TestServeStoreCheck(t *testing.T) {
	def, err := ServeStore{}.Check("c.toml")
	if err != nil || def.Backend != BackendFile {
		t.Fatalf("default: %+v %v", def, err)
	}
	ok, err := ServeStore{Backend: "etcd", Endpoints: []string{"http://127.0.0.1:2379"}, SealKeyFiles: []string{"/k"}, LeaseTTL: "2s"}.Check("c.toml")
	if err != nil || ok.Prefix != DefaultStorePrefix || ok.LeaseTTL != 2*time.Second {
		t.Fatalf("etcd: %+v %v", ok, err)
	}
	_, err = ServeStore{Backend: "etcd", Endpoints: []string{"etcd1"}, Prefix: "byova", CertFile: "c", LeaseTTL: "1.5s"}.Check("c.toml")
	for _, want := range []string{"not a URL", "prefix", "cert_file and key_file", "seal_key_files is empty", "whole seconds"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("bad etcd block: %v, want %q", err, want)
		}
	}
	if _, err := (ServeStore{Backend: "consul"}).Check("c.toml"); err == nil {
		t.Error("unknown backend accepted")
	}
}

// serve.metrics.per_source is a boolean or "auto" (the default); anything else is named.
func TestServeMetricsPerSource(t *testing.T) {
	for in, want := range map[string]string{
		"":                                             PerSourceAuto,
		"[serve.metrics]\nper_source = true":           PerSourceOn,
		"[serve.metrics]\nper_source = false":          PerSourceOff,
		"[serve.metrics]\nper_source = \"auto\"":       PerSourceAuto,
		"[serve.metrics]\nper_source = \" False \"":    PerSourceOff,
		"[serve.metrics]\nper_source = \"TRUE\"":       PerSourceOn,
		"[serve]\nmetrics = { per_source = \"auto\" }": PerSourceAuto,
	} {
		f, err := parseFile("config.toml", []byte(in))
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		s, err := f.Serve.Check("config.toml")
		if err != nil || s.MetricsPerSource != want {
			t.Errorf("%q: %q, %v; want %q", in, s.MetricsPerSource, err, want)
		}
	}
	for in, want := range map[string]string{
		"[serve.metrics]\nper_source = \"sometimes\"": `serve.metrics.per_source = "sometimes": give true, false or "auto" (the default)`,
		"[serve.metrics]\nper_source = 1":             `serve.metrics.per_source = 1: give true, false or "auto"`,
	} {
		f, err := parseFile("config.toml", []byte(in))
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if _, err := f.Serve.Check("config.toml"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want it to say %q", in, err, want)
		}
	}
	if _, err := parseFile("config.toml", []byte("[serve.metrics]\nper_sorce = true")); err == nil || !strings.Contains(err.Error(), "serve.metrics.per_source") {
		t.Errorf("a typo in [serve.metrics] was accepted or not helped: %v", err)
	}
}
