package gatewayfake

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestStartListensOnLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:0", "nonsense"} {
		if s, err := Start(addr, Options{Dir: t.TempDir()}); err == nil {
			s.Close()
			t.Errorf("%s accepted", addr)
		}
	}
}

func TestCAFileAndFaults(t *testing.T) {
	s, err := Start("127.0.0.1:0", Options{})
	if err != nil {
		t.Fatal(err)
	}
	pem, err := os.ReadFile(s.CAFile())
	if err != nil || !strings.Contains(string(pem), "BEGIN CERTIFICATE") {
		t.Fatalf("CA file %s: %v", s.CAFile(), err)
	}
	if !strings.HasPrefix(s.URL(), "https://127.0.0.1:") {
		t.Errorf("url %s", s.URL())
	}
	for _, bad := range []struct {
		mode string
		d    time.Duration
	}{{"sideways", 0}, {FaultSlowFirstPrompt, 0}, {FaultSlowFirstPrompt, time.Hour}} {
		if _, err := s.Fail(bad.mode, bad.d); err == nil {
			t.Errorf("Fail(%q, %s) accepted", bad.mode, bad.d)
		}
	}
	for _, m := range Faults() {
		if _, err := s.Fail(m, time.Second); err != nil {
			t.Errorf("%s: %v", m, err)
		}
	}
	if f := s.faultsNow(); f != (faults{}) {
		t.Errorf("reset left %+v", f)
	}
	dir := s.CAFile()
	s.Close()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the CA file's folder it made outlives Close: %v", err)
	}
}
