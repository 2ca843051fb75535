package config

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAppendAudit(t *testing.T) {
	setXDG(t)
	path := AuditLogFile()

	when := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("CET", 3600))
	entries := []AuditEntry{
		{Time: when, Profile: "default", Org: "org-1", Operation: "datasources.update", ID: "ds-1", TrackingID: "ROUTER_1"},
		{Profile: "default", Org: "org-1", Operation: "datasources.delete", ID: "ds-2", TrackingID: "ROUTER_2", Error: "404 not found"},
	}
	for _, e := range entries {
		if err := AppendAudit(path, e); err != nil {
			t.Fatal(err)
		}
	}
	assertMode(t, path, 0o600)
	assertMode(t, filepath.Dir(path), 0o700)

	lines := readAuditLines(t, path)
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2", len(lines))
	}
	first := lines[0]
	if first["time"] != "2026-03-04T04:06:07Z" || first["result"] != AuditOK || first["operation"] != "datasources.update" ||
		first["trackingId"] != "ROUTER_1" || first["org"] != "org-1" || first["id"] != "ds-1" || first["profile"] != "default" {
		t.Errorf("first line: %v", first)
	}
	if _, ok := first["error"]; ok {
		t.Error("error should be left out when empty")
	}
	second := lines[1]
	if second["result"] != AuditError || second["error"] != "404 not found" {
		t.Errorf("second line: %v", second)
	}
	if _, err := time.Parse(time.RFC3339, second["time"].(string)); err != nil {
		t.Errorf("time is not RFC 3339: %v", err)
	}
}

func TestAppendAuditConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	const writers, each = 8, 50
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				e := AuditEntry{Operation: "webhooks.create", ID: fmt.Sprintf("w%d-%d", w, i), Error: strings.Repeat("x", 2000)}
				if err := AppendAudit(path, e); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := len(readAuditLines(t, path)); n != writers*each {
		t.Errorf("%d lines, want %d", n, writers*each)
	}
}

func readAuditLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", len(out)+1, err, sc.Bytes())
		}
		out = append(out, m)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
