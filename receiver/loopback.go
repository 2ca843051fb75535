package receiver

import (
	"net"
	"net/netip"
	"strings"
)

// IsLoopback reports whether a listen address (HOST:PORT, or a bare host) reaches this
// machine only. The host is parsed, never matched by prefix: "127.evil.example" is a name
// anyone can point anywhere, and an empty host or 0.0.0.0 listens on every interface.
func IsLoopback(addr string) bool {
	host := addr
	if h, _, err := net.SplitHostPort(addr); err == nil {
		host = h
	} else {
		host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	}
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	return ip.Unmap().IsLoopback()
}
