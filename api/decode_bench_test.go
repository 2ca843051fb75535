package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"syscall"
	"testing"
	"time"
)

// BenchmarkDecodeItems10k is the list decoder alone (item by item, token claims peeked) on a
// 10,000-item body in memory; cpu-ms is process CPU time, steadier than wall time on a busy
// machine.
func BenchmarkDecodeItems10k(b *testing.B) {
	body := listBody10k()
	b.SetBytes(int64(len(body)))
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c0 := cpuTime()
		n, err := decodeItems(bytes.NewReader(body), "/dataSources", nil, "data sources", 0, func(w *dataSourceWire) error {
			_ = w.dataSource()
			return nil
		})
		cpu += cpuTime() - c0
		if err != nil || n != 10000 {
			b.Fatal(n, err)
		}
	}
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDataSourceJSON10k is `ds list --json`'s own work on the same body: each item
// decoded as the list decodes it and written as `get --json` writes it.
func BenchmarkDataSourceJSON10k(b *testing.B) {
	body := listBody10k()
	b.SetBytes(int64(len(body)))
	mask := func(s string) string { return "****" }
	var cpu time.Duration
	var out bytes.Buffer
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c0 := cpuTime()
		size := 0
		n, err := decodeItems(bytes.NewReader(body), "/dataSources", nil, "data sources", 0, func(w *dataSourceWire) error {
			d := w.dataSource()
			item, err := dataSourceJSON(&out, &d, mask)
			size += len(item)
			return err
		})
		cpu += cpuTime() - c0
		if err != nil || n != 10000 || size < len(body)/2 {
			b.Fatal(n, size, err)
		}
	}
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms")
}

// listBody10k is a list of 10,000 data sources as Webex sends them, each with its token.
func listBody10k() []byte {
	tok := "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0." +
		"eyJhdWQiOiJ2YS1ib3QiLCJzdWIiOiJjYWxsQXVkaW9EYXRhIiwiaWF0IjoxNzY0MzgwMDAwLCJleHAiOjE3NjQ0NjY0MDAsImNvbS5jaXNjby5kYXRhc291cmNlLnVybCI6Imh0dHBzOi8vYnVsay52YS5leGFtcGxlLmNvbS90ZW5hbnQtMDAwMDEvZ3JwYyIsImNvbS5jaXNjby5kYXRhc291cmNlLnNjaGVtYS51dWlkIjoiNWQ4NWNjNDctMzRiMy00ZDBlLTk3YzctZjhkNmY0ZDM3YWE2IiwiY29tLmNpc2NvLm9yZy51dWlkIjoiZGE5NDBiZmUtODgwMC00MTQ3LWIwYmItNGI1YzQ0M2QxNTQ5In0." +
		"c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl"
	var buf bytes.Buffer
	buf.WriteString(`{"items":[`)
	for i := range 10000 {
		if i > 0 {
			buf.WriteByte(',')
		}
		item, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("id-%05d", i), "schemaId": "5d85cc47-34b3-4d0e-97c7-f8d6f4d37aa6",
			"url": "https://bulk.va.example.com/tenant/grpc", "audience": "va-bot", "subject": "callAudioData", "nonce": "n",
			"tokenLifetimeMinutes": 1440, "status": "active", "errorMessage": "", "orgId": "o", "applicationId": "a",
			"jwsToken": tok, "createdBy": "c", "createdAt": "2026-11-27T08:00:00.000Z", "updatedBy": "u", "updatedAt": "2026-11-27T08:00:00.000Z"})
		buf.Write(item)
	}
	buf.WriteString(`]}`)
	return buf.Bytes()
}
