package config

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Token store backends of [serve.store].
const (
	BackendFile = "file" // tokens.json in the data folder (the default)
	BackendEtcd = "etcd" // shared by several `byova serve` replicas
)

// Defaults of [serve.store].
const (
	DefaultStorePrefix = "/byova/"
	DefaultLeaseTTL    = 15 * time.Second
	MinLeaseTTL        = time.Second // for drills and tests; etcd's own minimum is larger in practice
)

// ServeStore is [serve.store]: where the tokens, refresh locks, host key and audit log live.
// The CLI and the terminal UI on the same box read it too, so they see the store serve uses.
type ServeStore struct {
	Backend      string   `toml:"backend,omitempty"`
	Endpoints    []string `toml:"endpoints,omitempty"`
	Prefix       string   `toml:"prefix,omitempty"`
	CAFile       string   `toml:"ca_file,omitempty"`
	CertFile     string   `toml:"cert_file,omitempty"`
	KeyFile      string   `toml:"key_file,omitempty"`
	Username     string   `toml:"username,omitempty"`
	PasswordFile string   `toml:"password_file,omitempty"`
	SealKeyFiles []string `toml:"seal_key_files,omitempty"`
	LeaseTTL     string   `toml:"lease_ttl,omitempty"`
}

// StoreSettings is [serve.store] checked, with defaults filled in.
type StoreSettings struct {
	Backend                   string
	Endpoints                 []string
	Prefix                    string
	CAFile, CertFile, KeyFile string
	Username, PasswordFile    string
	SealKeyFiles              []string
	LeaseTTL                  time.Duration
}

// Check validates [serve.store]; path names the config file in errors, each problem says
// which key to fix.
func (s ServeStore) Check(path string) (StoreSettings, error) {
	out := StoreSettings{Backend: strings.TrimSpace(s.Backend), Prefix: strings.TrimSpace(s.Prefix),
		CAFile: strings.TrimSpace(s.CAFile), CertFile: strings.TrimSpace(s.CertFile), KeyFile: strings.TrimSpace(s.KeyFile),
		Username: strings.TrimSpace(s.Username), PasswordFile: strings.TrimSpace(s.PasswordFile), LeaseTTL: DefaultLeaseTTL}
	var probs []string
	if out.Backend == "" {
		out.Backend = BackendFile
	}
	switch out.Backend {
	case BackendFile:
		return out, nil // the rest only means something to etcd
	case BackendEtcd:
	default:
		probs = append(probs, fmt.Sprintf("serve.store.backend = %q: give %q (default) or %q", out.Backend, BackendFile, BackendEtcd))
	}
	for _, e := range s.Endpoints {
		e = strings.TrimSpace(e)
		u, err := url.Parse(e)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			probs = append(probs, fmt.Sprintf("serve.store.endpoints: %q is not a URL like https://etcd1:2379", e))
			continue
		}
		out.Endpoints = append(out.Endpoints, e)
	}
	if len(s.Endpoints) == 0 {
		probs = append(probs, `serve.store.endpoints is empty: give the etcd members, e.g. ["https://etcd1:2379"]`)
	}
	if out.Prefix == "" {
		out.Prefix = DefaultStorePrefix
	}
	if !strings.HasPrefix(out.Prefix, "/") || !strings.HasSuffix(out.Prefix, "/") {
		probs = append(probs, fmt.Sprintf("serve.store.prefix = %q: give a key prefix that starts and ends with / (default %s)", out.Prefix, DefaultStorePrefix))
	}
	if (out.CertFile == "") != (out.KeyFile == "") {
		probs = append(probs, "serve.store: cert_file and key_file go together (a client certificate and its key)")
	}
	if (out.Username == "") != (out.PasswordFile == "") {
		probs = append(probs, "serve.store: username and password_file go together")
	}
	for _, f := range s.SealKeyFiles {
		if f = strings.TrimSpace(f); f != "" {
			out.SealKeyFiles = append(out.SealKeyFiles, f)
		}
	}
	if len(out.SealKeyFiles) == 0 {
		probs = append(probs, "serve.store.seal_key_files is empty: etcd holds only sealed values; make a key with `byova store keygen FILE` and list it")
	}
	if v := strings.TrimSpace(s.LeaseTTL); v != "" {
		d, err := time.ParseDuration(v)
		switch {
		case err != nil:
			probs = append(probs, fmt.Sprintf("serve.store.lease_ttl = %q is not a duration: give a Go duration like 15s", v))
		case d < MinLeaseTTL || d%time.Second != 0:
			probs = append(probs, fmt.Sprintf("serve.store.lease_ttl = %q: give whole seconds, 1s or more (default %s)", v, DefaultLeaseTTL))
		default:
			out.LeaseTTL = d
		}
	}
	if len(probs) > 0 {
		return out, &fileError{path: path, msg: "[serve.store]: " + strings.Join(probs, "; ")}
	}
	return out, nil
}
