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

func TestRefreshAndBell(t *testing.T) {
	none := func(string) string { return "" }
	for text, want := range map[string]time.Duration{"": DefaultRefresh, "refresh = \"0\"": 0, "refresh = \"0s\"": 0, "refresh = \"5m\"": 5 * time.Minute} {
		f, err := parseFile("config.toml", []byte("[profiles.default]\n"+text+"\n"))
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		if got := Resolve(Flags{}, none, f).Refresh; got != want {
			t.Errorf("%s: refresh %v, want %v", text, got, want)
		}
	}
	for _, bad := range []string{"1s", "soon", "-5m", "60"} {
		_, err := parseFile("config.toml", []byte("[profiles.default]\nrefresh = \""+bad+"\"\n"))
		if err == nil || !strings.Contains(err.Error(), "profiles.default.refresh") || !strings.Contains(err.Error(), `"0"`) {
			t.Errorf("refresh = %q: %v, want an error naming the key and how to turn it off", bad, err)
		}
	}
	f, err := parseFile("config.toml", []byte("[profiles.quiet]\nbell = false\n"))
	if err != nil {
		t.Fatal(err)
	}
	if Resolve(Flags{Profile: "quiet"}, none, f).Bell || !Resolve(Flags{}, none, f).Bell {
		t.Error("bell is on unless the profile says bell = false")
	}
}
