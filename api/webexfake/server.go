package webexfake

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Options shape the seeded state and the fake's behaviour. The zero value is a good default.
type Options struct {
	Seed             int64 // deterministic data (ids, names, secrets) for a given seed; 0 → 1
	ExtraDataSources int   // additional generated data sources in the primary org (or spread, below)
	// SpreadOrgs, when positive, makes that many more authorized customer orgs (each with a
	// Service App token pair: SpreadOrgTokens) and spreads ExtraDataSources evenly over them
	// instead of the primary org: a vendor's fleet, for benchmarks over hundreds of orgs.
	SpreadOrgs int
	// CheapSignatures gives the generated data sources tokens whose signature is a stand-in of
	// RS256's size that does not verify (jws.go cheapSign): listing 100,000 of them the first
	// time then takes a second, not minutes of RSA. For benchmarks that never verify a token.
	CheapSignatures bool
	// RateLimit, when positive, answers requests beyond that many a second (bucket of
	// RateBurst, default one second's worth) with 429 and a Retry-After in whole seconds, as
	// Webex does; off by default (docs/webex-fake.md, 14).
	RateLimit      float64
	RateBurst      int
	ExtraWebhooks  int           // additional generated webhooks
	PageSize       int           // 0: data sources and schemas in one body, as documented; N: page every list at N (stress mode)
	Control        bool          // serve the control surface (control.go) next to the API when listening
	AccessTokenTTL time.Duration // lifetime of issued access tokens (0 → 1h)
	// OmitRefreshToken leaves refresh_token out of every second refresh answer of a refresh
	// token: a fault for clients to survive (keep the token they have). Webex is not seen
	// doing it, so it is off unless asked for (docs/webex-fake.md, 26).
	OmitRefreshToken bool
	Now              func() time.Time // clock (nil → time.Now)
}

// Server is the fake Webex API. It is an http.Handler and can also listen on its own
// (Start/StartAt). All methods are safe for concurrent use.
type Server struct {
	opts Options
	rt   *gen // ids and tokens minted while serving

	lmu     sync.Mutex // guards the listener fields
	httpSrv *http.Server
	baseURL string // http://127.0.0.1:PORT, empty until started
	served  chan struct{}

	mu         sync.Mutex // guards the Webex state below
	integ      oauthClient
	sa         oauthClient
	saAppID    string // Hydra APPLICATION id of the Service App
	portalApp  string // client id of developer.webex.com, the "app" behind PATs
	developer  person
	devOrgID   string
	orgs       map[string]*org
	orgOrder   []string // primary, other, unauthorized
	schemas    []schema
	dsByID     map[string]*dataSource
	dsOrder    []*dataSource // ascending seq
	whByID     map[string]*webhook
	whOrder    []*webhook // ascending seq
	seq        uint64
	access     map[string]*accessToken
	refresh    map[string]*refreshToken
	codes      map[string]*authCode
	denyNext   bool
	seeded     seededTokens
	faults     []*Fault
	latency    time.Duration
	agentCtl   AgentControl // set by SetAgentControl: the fake gateway beside this fake
	log        []Request
	logBase    int // entries dropped by ResetRequests, so in-flight requests find theirs
	deliveries []Delivery
	keys       []*keyPair    // after RotateKey: the signing key first, then the one before; empty = signingKey
	spread     []OrgToken    // the SpreadOrgs orgs and their Service App tokens
	limiter    *rate.Limiter // nil: no rate limit
	limited    int           // requests answered 429 by the limiter
}

// New builds a fake with seeded state. It does not listen; use Start, StartAt or ServeHTTP.
func New(opts Options) *Server {
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.PageSize < 0 {
		opts.PageSize = 0
	}
	if opts.AccessTokenTTL <= 0 {
		opts.AccessTokenTTL = time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{
		opts:    opts,
		rt:      newRuntimeGen(),
		orgs:    map[string]*org{},
		dsByID:  map[string]*dataSource{},
		whByID:  map[string]*webhook{},
		access:  map[string]*accessToken{},
		refresh: map[string]*refreshToken{},
		codes:   map[string]*authCode{},
	}
	if opts.RateLimit > 0 {
		burst := opts.RateBurst
		if burst <= 0 {
			burst = max(1, int(math.Ceil(opts.RateLimit)))
		}
		s.limiter = rate.NewLimiter(rate.Limit(opts.RateLimit), burst)
	}
	s.seed()
	// Make the process-wide signing key now (~50 ms, far more on a loaded machine) rather than
	// inside the first request that shows a token, where it stalls a client's first list.
	_, _ = signingKey()
	return s
}

func (s *Server) now() time.Time { return s.opts.Now() }

func (s *Server) nextSeq() uint64 {
	s.seq++
	return s.seq
}

// maxBody bounds what the fake reads from a request; Webex bodies here are tiny.
const maxBody = 1 << 20

// ServeHTTP logs the request, applies latency and injected faults, then routes it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body []byte
	var err error
	if r.Body != nil { // nil only when a caller hands us a client-side request
		body, err = io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	trackingID := "ROUTER_" + strings.ToUpper(s.rt.uuid())
	w.Header().Set("Trackingid", trackingID)
	rec := &statusRecorder{ResponseWriter: w}
	idx := s.logRequest(r, body)
	defer func() { s.logStatus(idx, rec.status) }()

	if err != nil {
		writeError(rec, newError(http.StatusBadRequest, "Could not read the request body."))
		return
	}
	if len(body) > maxBody {
		writeError(rec, newError(http.StatusRequestEntityTooLarge, "Request body too large."))
		return
	}
	if d := s.currentLatency(); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			rec.status = StatusClientGone
			return
		}
	}
	if e := s.takeFault(r); e != nil {
		writeError(rec, e)
		return
	}
	if e := s.rateLimited(); e != nil {
		writeError(rec, e)
		return
	}
	s.route(rec, r, body)
}

// rateLimited is the 429 for a request over Options.RateLimit, nil when it may go on. The
// Retry-After is the wait for the next free slot rounded up to whole seconds (the header
// has no finer unit), so a client that honours it is not refused again for waiting too little.
func (s *Server) rateLimited() *apiError {
	if s.limiter == nil {
		return nil
	}
	res := s.limiter.Reserve()
	d := res.Delay()
	if d == 0 {
		return nil
	}
	res.Cancel()
	s.mu.Lock()
	s.limited++
	s.mu.Unlock()
	e := newError(http.StatusTooManyRequests, "")
	e.retryAfter = strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
	return e
}

// RateLimited is how many requests the rate limit (Options.RateLimit) answered with 429.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limited
}

// StatusClientGone is logged for requests whose client went away before the fake answered
// (for example while SetLatency was delaying it).
const StatusClientGone = 499

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Start listens on 127.0.0.1 on a random port and serves in the background.
func (s *Server) Start() error { return s.StartAt("127.0.0.1:0") }

// StartAt listens on addr (host:port) and serves in the background. Only loopback hosts are
// allowed ("127.0.0.1", "localhost", "::1", any 127.x address): the fake prints its own secrets.
func (s *Server) StartAt(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("fake Webex address %q: %w (use 127.0.0.1:PORT)", addr, err)
	}
	if host == "localhost" {
		host = "127.0.0.1"
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("fake Webex address %q: refusing to listen on a non-loopback host; use 127.0.0.1:PORT", addr)
	}
	s.lmu.Lock()
	defer s.lmu.Unlock()
	if s.httpSrv != nil {
		return errors.New("fake Webex is already serving at " + s.baseURL)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return fmt.Errorf("fake Webex: %w", err)
	}
	var h http.Handler = s
	if s.opts.Control {
		h = s.withControl()
	}
	s.httpSrv = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	s.baseURL = "http://" + ln.Addr().String()
	s.served = make(chan struct{})
	go func(srv *http.Server, done chan struct{}) {
		defer close(done)
		_ = srv.Serve(ln) // returns http.ErrServerClosed after Close
	}(s.httpSrv, s.served)
	return nil
}

// URL is the base REST URL, e.g. "http://127.0.0.1:PORT/v1"; empty until started.
func (s *Server) URL() string {
	s.lmu.Lock()
	defer s.lmu.Unlock()
	if s.baseURL == "" {
		return ""
	}
	return s.baseURL + "/v1"
}

func (s *Server) origin() string {
	s.lmu.Lock()
	defer s.lmu.Unlock()
	return s.baseURL
}

// Close stops serving: in-flight requests get up to 2 s to finish, then connections are cut.
func (s *Server) Close() error {
	s.lmu.Lock()
	srv, done := s.httpSrv, s.served
	s.httpSrv, s.baseURL = nil, ""
	s.lmu.Unlock()
	if srv == nil {
		return nil
	}
	// A short grace: the fake's answers take milliseconds. Shutdown also waits out a
	// connection a client opened and never used (it counts as busy for its first 5 s), which
	// a client that gave up leaves behind; the fake does not wait that long for it.
	ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
	defer cancel()
	err := srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = srv.Close()
	}
	<-done
	return err
}

// isoTime formats times the way Webex does: UTC with milliseconds.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
