package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadAudit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	if lines, _, err := ReadAudit(path, AuditTail); err != nil || len(lines) != 0 {
		t.Fatalf("a missing log is no lines: %v %v", lines, err)
	}
	good := `{"time":"2026-11-29T10:00:00Z","profile":"default","org":"o","operation":"datasources.extend","id":"d1","result":"ok","trackingId":"T1"}`
	data := good + "\n{not json\n\n[1,2]\n{\"time\":\"2026-11-29T10:00:00Z\"}\n" + good + "\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	lines, cut, err := ReadAudit(path, AuditTail)
	if err != nil || cut || len(lines) != 5 {
		t.Fatalf("%d lines (cut %v): %v", len(lines), cut, err)
	}
	for i, bad := range []bool{false, true, true, true, false} {
		if (lines[i].Err != nil) != bad {
			t.Errorf("line %d: err %v, want malformed=%v", i+1, lines[i].Err, bad)
		}
	}
	if lines[0].Entry.TrackingID != "T1" || lines[1].Raw != "{not json" {
		t.Errorf("entries and raw lines kept: %+v / %q", lines[0].Entry, lines[1].Raw)
	}
	// A tail that starts mid-line drops the cut line, not the next one.
	lines, cut, err = ReadAudit(path, int64(len(good)+2))
	if err != nil || !cut || len(lines) != 1 || lines[0].Err != nil {
		t.Fatalf("tail: %+v cut %v err %v", lines, cut, err)
	}
}

func FuzzReadAudit(f *testing.F) {
	f.Add([]byte(`{"time":"2026-11-29T10:00:00Z","operation":"x"}` + "\n{\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "audit.log")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		lines, _, err := ReadAudit(path, 64)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			if l.Err == nil && (l.Entry.Operation == "" || strings.TrimSpace(l.Raw) != "") {
				t.Fatalf("an entry must have an operation and no raw text: %+v", l)
			}
		}
	})
}
