package config

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// Serve is the [serve] table of config.toml: `byova serve`'s listeners, SSH users, keeper and
// webhook receiver. Durations are Go durations ("10m", "3h").
type Serve struct {
	SSHAddr     string                `toml:"ssh_addr,omitempty"`
	HTTPAddr    string                `toml:"http_addr,omitempty"`
	IdleTimeout string                `toml:"idle_timeout,omitempty"`
	MaxSessions int                   `toml:"max_sessions,omitempty"`
	MaxPerKey   int                   `toml:"max_connections_per_key,omitempty"`
	Users       map[string]*ServeUser `toml:"users,omitempty"`
	Keep        ServeKeep             `toml:"keep,omitzero"`
	Webhooks    ServeWebhooks         `toml:"webhooks,omitzero"`
	Probe       ServeProbe            `toml:"probe,omitzero"`
	Metrics     ServeMetrics          `toml:"metrics,omitzero"`
	Store       ServeStore            `toml:"store,omitzero"` // servestore.go
}

// ServeProbe is [serve.probe], the endpoint prober.
type ServeProbe struct {
	Interval string `toml:"interval,omitempty"` // "0" turns it off
}

// ServeMetrics is [serve.metrics], what /metrics exports.
type ServeMetrics struct {
	// PerSource is true, false or "auto" (the default): a data source expiry series for every
	// source, or per-org summaries and the soonest ones only, or per source up to 10,000.
	PerSource any `toml:"per_source,omitempty"`
}

// Values of serve.metrics.per_source, checked.
const (
	PerSourceAuto = "auto"
	PerSourceOn   = "true"
	PerSourceOff  = "false"
)

// ServeUser is [serve.users.NAME]: who may open the SSH console, by public key.
type ServeUser struct {
	Role     string   `toml:"role"`                // RoleViewer or RoleOperator
	Keys     []string `toml:"keys,omitempty"`      // authorized_keys lines
	KeysFile string   `toml:"keys_file,omitempty"` // a file of them
}

// ServeKeep is [serve.keep], the token keeper.
type ServeKeep struct {
	Interval string `toml:"interval,omitempty"`
	Within   string `toml:"within,omitempty"`
	DryRun   bool   `toml:"dry_run,omitempty"`
}

// ServeWebhooks is [serve.webhooks], the webhook receiver on the HTTP listener.
type ServeWebhooks struct {
	Path       string `toml:"path,omitempty"`
	SecretFile string `toml:"secret_file,omitempty"`
}

// SSH console roles.
const (
	RoleViewer   = "viewer"   // read-only, as --readonly
	RoleOperator = "operator" // may write
)

// Defaults of [serve].
const (
	DefaultIdleTimeout   = 30 * time.Minute
	DefaultMaxSessions   = 10
	DefaultMaxPerKey     = 3 // SSH connections one key may hold at once
	DefaultKeepInterval  = 10 * time.Minute
	DefaultKeepWithin    = DefaultExtendWithin // one default window: the UI's X, the keeper, fleet.DefaultWithin
	MinKeepInterval      = time.Second
	DefaultWebhooksPath  = "/webex"
	DefaultProbeInterval = 5 * time.Minute
	maxServeUserNameRune = 32
)

// ServeSettings is [serve] checked, with defaults filled in and durations parsed.
type ServeSettings struct {
	SSHAddr, HTTPAddr  string
	IdleTimeout        time.Duration
	MaxSessions        int
	MaxPerKey          int                 // signed-in SSH connections per key
	Users              []ServeUserSettings // sorted by name
	KeepInterval       time.Duration
	KeepWithin         time.Duration
	KeepDryRun         bool
	WebhooksPath       string
	WebhooksSecret     string // SecretFile is read by the caller; kept here by name only
	WebhooksSecretFile string
	ProbeInterval      time.Duration // 0: the prober is off
	MetricsPerSource   string        // PerSourceAuto, PerSourceOn or PerSourceOff
}

// ServeUserSettings is one checked [serve.users.NAME].
type ServeUserSettings struct {
	Name     string
	Role     string
	Keys     []string
	KeysFile string
}

// serveKeys lists [serve]'s keys for the unknown-key error, from the struct tags.
func serveKeys() []string {
	var keys []string
	var walk func(prefix string, t reflect.Type)
	walk = func(prefix string, t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
			switch {
			case f.Type.Kind() == reflect.Struct:
				walk(prefix+name+".", f.Type)
			case f.Type.Kind() == reflect.Map:
				walk(prefix+name+".NAME.", f.Type.Elem().Elem())
			default:
				keys = append(keys, prefix+name)
			}
		}
	}
	walk("serve.", reflect.TypeFor[Serve]())
	return keys
}

var userName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`) })

// Check validates [serve] and fills in defaults. path names the file in errors. Every problem
// is reported at once, each saying which key to fix.
func (s *Serve) Check(path string) (ServeSettings, error) {
	if s == nil {
		s = &Serve{}
	}
	out := ServeSettings{SSHAddr: strings.TrimSpace(s.SSHAddr), HTTPAddr: strings.TrimSpace(s.HTTPAddr),
		MaxSessions: s.MaxSessions, MaxPerKey: s.MaxPerKey, KeepDryRun: s.Keep.DryRun, WebhooksPath: strings.TrimSpace(s.Webhooks.Path),
		WebhooksSecretFile: strings.TrimSpace(s.Webhooks.SecretFile)}
	var probs []string
	dur := func(key, v string, def, least time.Duration) time.Duration {
		v = strings.TrimSpace(v)
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		switch {
		case err != nil:
			probs = append(probs, fmt.Sprintf("%s = %q is not a duration: give a Go duration like %s", key, v, def))
		case d < least:
			probs = append(probs, fmt.Sprintf("%s = %q is too short: give %s or more", key, v, least))
		}
		return d
	}
	out.IdleTimeout = dur("serve.idle_timeout", s.IdleTimeout, DefaultIdleTimeout, time.Second)
	out.KeepInterval = dur("serve.keep.interval", s.Keep.Interval, DefaultKeepInterval, MinKeepInterval)
	out.KeepWithin = dur("serve.keep.within", s.Keep.Within, DefaultKeepWithin, time.Minute)
	if strings.TrimSpace(s.Probe.Interval) != "0" {
		out.ProbeInterval = dur("serve.probe.interval", s.Probe.Interval, DefaultProbeInterval, time.Second)
	}
	switch {
	case out.MaxSessions == 0:
		out.MaxSessions = DefaultMaxSessions
	case out.MaxSessions < 0:
		probs = append(probs, fmt.Sprintf("serve.max_sessions = %d: give 1 or more (default %d)", s.MaxSessions, DefaultMaxSessions))
	}
	switch {
	case out.MaxPerKey == 0:
		out.MaxPerKey = DefaultMaxPerKey
	case out.MaxPerKey < 0:
		probs = append(probs, fmt.Sprintf("serve.max_connections_per_key = %d: give 1 or more (default %d)", s.MaxPerKey, DefaultMaxPerKey))
	}
	var ok bool
	if out.MetricsPerSource, ok = perSource(s.Metrics.PerSource); !ok {
		probs = append(probs, fmt.Sprintf("serve.metrics.per_source = %s: give true, false or %q (the default)", quoteAny(s.Metrics.PerSource), PerSourceAuto))
	}
	if out.WebhooksPath == "" {
		out.WebhooksPath = DefaultWebhooksPath
	} else if !strings.HasPrefix(out.WebhooksPath, "/") || out.WebhooksPath == "/" ||
		out.WebhooksPath == "/metrics" || out.WebhooksPath == "/healthz" || out.WebhooksPath == "/readyz" {
		probs = append(probs, fmt.Sprintf("serve.webhooks.path = %q: give a path of its own starting with / (default %s)", out.WebhooksPath, DefaultWebhooksPath))
	}
	names := make([]string, 0, len(s.Users))
	for n := range s.Users {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		u := s.Users[n]
		key := "serve.users." + n
		if !userName().MatchString(n) || len([]rune(n)) > maxServeUserNameRune {
			probs = append(probs, fmt.Sprintf("[%s]: a user name is letters, digits, . _ - (up to %d)", key, maxServeUserNameRune))
			continue
		}
		if u == nil {
			u = &ServeUser{}
		}
		if u.Role != RoleViewer && u.Role != RoleOperator {
			probs = append(probs, fmt.Sprintf("%s.role = %q: give %q or %q", key, u.Role, RoleViewer, RoleOperator))
		}
		if len(u.Keys) == 0 && strings.TrimSpace(u.KeysFile) == "" {
			probs = append(probs, fmt.Sprintf("[%s] has no keys: give keys = [\"ssh-ed25519 AAAA…\"] or keys_file", key))
		}
		out.Users = append(out.Users, ServeUserSettings{Name: n, Role: u.Role, Keys: u.Keys, KeysFile: strings.TrimSpace(u.KeysFile)})
	}
	if len(probs) > 0 {
		return out, &fileError{path: path, msg: "[serve]: " + strings.Join(probs, "; ")}
	}
	return out, nil
}

// perSource reads serve.metrics.per_source: a TOML boolean, or "auto" (or "true"/"false" as
// strings, which people write too); unset is auto.
func perSource(v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return PerSourceAuto, true
	case bool:
		if v {
			return PerSourceOn, true
		}
		return PerSourceOff, true
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case PerSourceAuto, "":
			return PerSourceAuto, true
		case PerSourceOn:
			return PerSourceOn, true
		case PerSourceOff:
			return PerSourceOff, true
		}
	}
	return "", false
}

// quoteAny shows a value read from the file as the file would write it.
func quoteAny(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%v", v)
}
