package cli

import (
	"strings"
	"testing"

	"github.com/byova/byova/config"
)

func TestServeExposure(t *testing.T) {
	loop := config.ServeSettings{SSHAddr: "127.0.0.1:2222", HTTPAddr: "localhost:9464"}
	if ex, err := checkExposure(loop, false); err != nil || len(ex) != 0 {
		t.Fatalf("loopback: %v %v", ex, err)
	}
	wide := config.ServeSettings{SSHAddr: ":2222", HTTPAddr: "0.0.0.0:9464"}
	_, err := checkExposure(wide, false)
	var ue *usageError
	if err == nil || !strings.Contains(err.Error(), "--public") || !asUsage(err, &ue) {
		t.Fatalf("all interfaces without --public: %v", err)
	}
	ex, err := checkExposure(wide, true)
	if err != nil || len(ex) != 2 || !strings.Contains(ex[0], "SSH console") || !strings.Contains(ex[1], "/metrics") {
		t.Fatalf("--public lists what it exposes: %q %v", ex, err)
	}
	if _, err := checkExposure(config.ServeSettings{HTTPAddr: "9464"}, true); err == nil || !strings.Contains(err.Error(), "HOST:PORT") {
		t.Fatalf("no port: %v", err)
	}
}

func asUsage(err error, ue **usageError) bool {
	u, ok := err.(*usageError)
	*ue = u
	return ok
}
