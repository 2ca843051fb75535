package webexfake

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestFaults(t *testing.T) {
	s := start(t, Options{})
	c := s.Creds()
	list := s.URL() + "/dataSources"
	tests := []struct {
		name   string
		fault  Fault
		method string
		url    string
		// statuses of consecutive identical requests
		want       []int
		retryAfter string
		message    string
	}{
		{"401 once", Fault{Status: 401, Path: "/v1/dataSources"}, "GET", list, []int{401, 200}, "", msgUnauthorized},
		{"429 with Retry-After", Fault{Status: 429, RetryAfter: "2", Times: 2}, "GET", list, []int{429, 429, 200}, "2", msgTooMany},
		{"429 with an HTTP date", Fault{Status: 429, RetryAfter: "Wed, 21 Oct 2026 07:28:00 GMT"}, "GET", list, []int{429, 200}, "Wed, 21 Oct 2026 07:28:00 GMT", ""},
		{"500", Fault{Status: 500}, "GET", list, []int{500, 200}, "", msgServer},
		{"502 custom message", Fault{Status: 502, Message: "upstream broke"}, "GET", list, []int{502, 200}, "", "upstream broke"},
		{"503", Fault{Status: 503, Times: 3}, "GET", list, []int{503, 503, 503, 200}, "", msgUnavailable},
		{"400 on the token endpoint", Fault{Status: 400, Path: "/v1/access_token"}, "GET", list, []int{200}, "", ""},
		{"method must match", Fault{Status: 500, Method: "POST"}, "GET", list, []int{200}, "", ""},
		{"path must match", Fault{Status: 500, Path: "/v1/webhooks"}, "GET", list, []int{200}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.ClearFaults()
			s.InjectFault(tt.fault)
			for i, want := range tt.want {
				r := call(t, tt.method, tt.url, c.ServiceAppAccessToken, "", nil)
				if want != 200 {
					checkWebexError(t, r, want, tt.message)
					if got := r.header.Get("Retry-After"); got != tt.retryAfter {
						t.Errorf("Retry-After %q, want %q", got, tt.retryAfter)
					}
					continue
				}
				if r.status != 200 {
					t.Fatalf("request %d: %d %s", i+1, r.status, r.body)
				}
			}
		})
	}
	t.Run("faults come before auth", func(t *testing.T) {
		s.InjectFault(Fault{Status: 503})
		checkWebexError(t, call(t, "GET", list, "", "", nil), 503, "")
	})
	t.Run("faults in order", func(t *testing.T) {
		s.InjectFault(Fault{Status: 502})
		s.InjectFault(Fault{Status: 504})
		checkWebexError(t, call(t, "GET", list, c.ServiceAppAccessToken, "", nil), 502, "")
		checkWebexError(t, call(t, "GET", list, c.ServiceAppAccessToken, "", nil), 504, "reduce it")
	})
}

func TestLatency(t *testing.T) {
	s := start(t, Options{})
	c := s.Creds()
	s.SetLatency(150 * time.Millisecond)
	begin := time.Now()
	if r := call(t, "GET", s.URL()+"/dataSources", c.ServiceAppAccessToken, "", nil); r.status != 200 {
		t.Fatal(r.status)
	}
	if d := time.Since(begin); d < 150*time.Millisecond {
		t.Fatalf("answered after %v", d)
	}

	s.SetLatency(time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+"/dataSources", nil)
	begin = time.Now()
	_, err := http.DefaultClient.Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
	// The handler notices the cancellation and gives up instead of sleeping a minute.
	deadline := time.Now().Add(5 * time.Second)
	for {
		log := s.Requests()
		if log[len(log)-1].Status == StatusClientGone {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("request still in flight: %+v", log[len(log)-1])
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.SetLatency(0)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if time.Since(begin) > 4*time.Second {
		t.Fatal("Close waited on the delayed request")
	}
}
