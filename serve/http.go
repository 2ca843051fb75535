package serve

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// maxRequestBody bounds every request body on the HTTP listener (webhook deliveries are small).
const maxRequestBody = 1 << 20

func (s *Server) httpHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics.Handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", s.readyz)
	if s.webhooks != nil {
		var h http.Handler = s.webhooks
		if s.health != nil {
			h = s.health.guard(h)
		}
		mux.Handle(s.o.Settings.WebhooksPath, h)
	}
	return http.MaxBytesHandler(mux, maxRequestBody)
}

// readyz is ready when the token store reads and, on the replica that runs the keeper, its
// last run completed (ok or partial) within two intervals; otherwise 503 with each reason on a line. One org failing
// (deauthorized, throttled) leaves serve ready: pulling the webhook receiver for every customer
// would not help that org, and byova_keeper_org_up{org} is its signal.
func (s *Server) readyz(w http.ResponseWriter, _ *http.Request) {
	var probs []string
	if s.health != nil {
		if err := s.health.Err(); err != nil {
			probs = append(probs, "token store: "+err.Error())
		}
	} else if s.o.Session.Store != nil {
		if _, err := s.o.Session.Store.Load(); err != nil {
			probs = append(probs, "token store: "+err.Error())
		}
	}
	last := s.keeper.LastCompleted()
	switch {
	case s.o.Leader != nil:
		// A shared store: ready means this replica can serve consoles and webhooks, i.e. the
		// store answers, whether or not it leads. A leader just elected has no completed run
		// yet and must not be pulled for that; a stalled keeper is the metrics' alert
		// (byova_keeper_last_run_timestamp_seconds), not a reason to stop serving.
	case last.IsZero():
		probs = append(probs, "keeper: no completed run yet")
	case s.now().Sub(last) > 2*s.keeper.Interval():
		probs = append(probs, fmt.Sprintf("keeper: last completed run %s ago, more than two intervals (%s)",
			s.now().Sub(last).Truncate(time.Second), 2*s.keeper.Interval()))
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if len(probs) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, strings.Join(probs, "\n"))
		return
	}
	fmt.Fprintln(w, "ready")
}

func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 60 * time.Second, MaxHeaderBytes: 64 << 10,
	}
}
