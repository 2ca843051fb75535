package signin

import (
	"strings"
	"testing"

	"github.com/byova/byova/api"
)

func TestCanOpenBrowser(t *testing.T) {
	open := func(string) error { return nil }
	tests := []struct {
		name string
		env  Env
		want bool
	}{
		{"linux desktop", Env{OpenURL: open, GOOS: "linux", Getenv: getenvOf("DISPLAY", ":0")}, true},
		{"wayland", Env{OpenURL: open, GOOS: "linux", Getenv: getenvOf("WAYLAND_DISPLAY", "wayland-0")}, true},
		{"linux console", Env{OpenURL: open, GOOS: "linux", Getenv: getenvOf()}, false},
		{"ssh with X forwarding", Env{OpenURL: open, GOOS: "linux", Getenv: getenvOf("DISPLAY", "localhost:10.0", "SSH_CONNECTION", "a b c d")}, false},
		{"ssh tty on a mac", Env{OpenURL: open, GOOS: "darwin", Getenv: getenvOf("SSH_TTY", "/dev/ttys001")}, false},
		{"mac", Env{OpenURL: open, GOOS: "darwin", Getenv: getenvOf()}, true},
		{"windows", Env{OpenURL: open, GOOS: "windows", Getenv: getenvOf()}, true},
		{"--no-browser", Env{OpenURL: open, GOOS: "darwin", Getenv: getenvOf(), NoBrowser: true}, false},
		{"no opener", Env{GOOS: "darwin", Getenv: getenvOf()}, false},
	}
	for _, tt := range tests {
		if got := tt.env.CanOpenBrowser(); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestRandomState(t *testing.T) {
	a, b := RandomState(), RandomState()
	if a == b || len(a) != 22 || strings.ContainsAny(a, "+/=") {
		t.Fatalf("states %q %q", a, b)
	}
}

func TestValues(t *testing.T) {
	v := &Values{Method: MethodServiceApp, SAClientID: "C1", SAClientSecret: "s", Org: "not-an-org", Source: SourceRefresh}
	err := v.Check()
	if err == nil || !strings.Contains(err.Error(), "neither a UUID") || !strings.Contains(err.Error(), "refresh token is required") {
		t.Fatalf("check: %v", err)
	}
	v.Org, v.RefreshToken = api.EncodeID(api.KindOrganization, "63b02f90-9cc6-43b8-aa6d-cad425ac554c"), "r"
	if err := v.Check(); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "Bearer abc", "two words"} {
		if ValidPAT(bad) == nil {
			t.Errorf("ValidPAT(%q) passed", bad)
		}
	}
	if ValidRedirect("127.0.0.1:8765/callback") == nil || ValidRedirect(api.DefaultRedirectURI) != nil {
		t.Error("ValidRedirect")
	}
	if ValidAddress("http://127.0.0.1:8765/callback") == nil || ValidAddress("http://127.0.0.1:8765/callback?code=a&state=b") != nil {
		t.Error("ValidAddress")
	}
}

func getenvOf(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}
