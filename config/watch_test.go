package config

import (
	"strings"
	"testing"
	"time"
)

func TestExtendWithin(t *testing.T) {
	f, err := parseFile("config.toml", []byte("[profiles.oncall]\nextend_within = \"90m\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := Resolve(Flags{Profile: "oncall"}, func(string) string { return "" }, f)
	if s.ExtendWithin != 90*time.Minute {
		t.Errorf("extend_within = %v, want 90m", s.ExtendWithin)
	}
	if d := Resolve(Flags{}, func(string) string { return "" }, f).ExtendWithin; d != DefaultExtendWithin {
		t.Errorf("a profile without extend_within gets %v, want %v", d, DefaultExtendWithin)
	}
	for _, bad := range []string{"3", "soon", "-1h", "0s"} {
		_, err := parseFile("config.toml", []byte("[profiles.oncall]\nextend_within = \""+bad+"\"\n"))
		if err == nil || !strings.Contains(err.Error(), "profiles.oncall.extend_within") || !strings.Contains(err.Error(), "3h") {
			t.Errorf("extend_within = %q: error %v, want one naming the key and an example", bad, err)
		}
	}
}
