package session

import (
	"testing"

	"github.com/byova/byova/config"
)

func TestCloneIsItsOwnValue(t *testing.T) {
	s, err := New(config.Settings{Profile: "p", Org: "a", BaseURL: "http://127.0.0.1:1/v1", Source: map[string]string{"org": "flag"}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.clients.org = "cached"
	c := s.WithOrg("b")
	c.Settings.Source["org"] = "env"
	if s.Settings.Org != "a" || s.Settings.Source["org"] != "flag" {
		t.Fatalf("the original changed: %+v", s.Settings)
	}
	if c.Settings.Org != "b" || c.Anonymous() != s.Anonymous() {
		t.Fatalf("clone %+v", c.Settings)
	}
	if c.clients.org != "" {
		t.Fatal("a clone starts without a cached client")
	}
}
