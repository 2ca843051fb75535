package gateway

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Target is where a data source's url makes Webex dial: host and port (443 when none).
type Target struct {
	URL       string // as registered, byte for byte (the url claim is compared with it)
	Host      string
	Port      string
	Plaintext bool // h2c without TLS: only for loopback or when asked for
}

// Addr is host:port for the dialer.
func (t Target) Addr() string { return net.JoinHostPort(t.Host, t.Port) }

// ParseTarget reads a data source url. Plain text is allowed for loopback hosts with an
// http:// url, or anywhere with plaintext (a gateway behind a TLS-terminating proxy, tested
// from inside); Webex itself always uses TLS.
func ParseTarget(raw string, plaintext bool) (Target, error) {
	if strings.TrimSpace(raw) == "" {
		return Target{}, errors.New("the data source has no url: set one with `byova ds update ID --url https://HOST`")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return Target{}, fmt.Errorf("url %q is not an absolute URL (https://HOST[:PORT])", raw)
	}
	t := Target{URL: raw, Host: u.Hostname(), Port: u.Port()}
	switch strings.ToLower(u.Scheme) {
	case "https", "grpcs":
		if t.Port == "" {
			t.Port = "443"
		}
	case "http", "grpc":
		if t.Port == "" {
			t.Port = "80"
		}
		if !plaintext && !IsLoopback(t.Host) {
			return Target{}, fmt.Errorf("url %q is plain http: Webex only dials TLS; use --plaintext to test a gateway behind a TLS-terminating proxy", raw)
		}
		plaintext = true
	default:
		return Target{}, fmt.Errorf("url %q: scheme %q is not https (the gRPC Voice Virtual Agent schema; wss is the WebSocket one, which probe does not speak)", raw, u.Scheme)
	}
	t.Plaintext = plaintext
	return t, nil
}

// IsLoopback says whether host names this machine (127.0.0.0/8, ::1, localhost).
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
