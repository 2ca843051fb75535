package gatewayfake

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/byova/byova/api"
	"github.com/byova/byova/gateway"
	"github.com/byova/byova/gateway/vapb"
)

// Options shape the fake gateway. The zero value is a good default.
type Options struct {
	// JWKSURL is the key set tokens are checked against (the fake Webex's).
	JWKSURL string
	// URL is the url the fake expects in com.cisco.datasource.url; default https://ADDR.
	URL string
	// Agents are what ListVirtualAgents returns; default two, the first the default.
	Agents []*vapb.VirtualAgentInfo
	// Utterance is how much caller audio makes a turn end with END_OF_INPUT; default 1.5 s.
	Utterance time.Duration
	// HealthOpen serves health without auth (default: behind auth, like Cisco's Python sample).
	HealthOpen bool
	// Auth is the authorization form accepted: "" both, "bearer" only "Bearer <jws>",
	// "bare" only the bare JWS (like Cisco's Java sample).
	Auth string
	// Cert replaces the certificate the fake makes (tests: expired, wrong host).
	Cert *tls.Certificate
	// Dir is where the CA file is written; default a new temporary folder.
	Dir string
	Now func() time.Time
}

// Fault modes, as `byova fake ctl agent fail` names them.
const (
	FaultAuth            = "auth"
	FaultURLClaim        = "url-claim"
	FaultSlowFirstPrompt = "slow-first-prompt"
	FaultNoFinal         = "no-final"
	FaultNotServing      = "not-serving"
	FaultReset           = "reset"
)

// Faults lists the modes Fail takes.
func Faults() []string {
	return []string{FaultAuth, FaultURLClaim, FaultSlowFirstPrompt, FaultNoFinal, FaultNotServing, FaultReset}
}

// Request is one RPC the fake received (never the token itself).
type Request struct {
	Method       string
	Auth         string // "bare", "bearer", "none"
	Conversation string
	Input        string // the first message's input: event name, "audio", "dtmf"
	Result       string // "ok" or the status it was refused with
}

// Server is a running fake gateway.
type Server struct {
	opts   Options
	ca     *CA
	caFile string
	lis    net.Listener
	grpc   *grpc.Server
	health *health.Server
	keys   *api.KeySet // live: kept an hour, fetched again for a rotated kid (api's rule)
	webex  *api.Client // fetches keys
	url    string

	mu       sync.Mutex
	faults   faults
	calls    map[string]*call
	log      []Request
	ownedDir string
}

type faults struct {
	auth, urlClaim, noFinal, notServing bool
	slow                                time.Duration
}

type call struct {
	agent  string
	turns  int
	digits string
	seen   time.Time
}

const (
	maxCalls     = 10000
	maxLog       = 1000
	maxAudioHeld = 10 * 60 * 32000 // 10 min of 16 kHz LINEAR16: what one turn may stream
)

// Start listens on addr (loopback only) with TLS and serves until Close.
func Start(addr string, o Options) (*Server, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--addr %q must be HOST:PORT, e.g. 127.0.0.1:8443", addr)
	}
	if !gateway.IsLoopback(host) {
		return nil, fmt.Errorf("--addr %q: the fake gateway only listens on loopback (127.0.0.1)", addr)
	}
	if o.Utterance <= 0 {
		o.Utterance = 1500 * time.Millisecond
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if len(o.Agents) == 0 {
		o.Agents = []*vapb.VirtualAgentInfo{
			{VirtualAgentId: "byova-demo-bot", VirtualAgentName: "byova demo bot", IsDefault: true},
			{VirtualAgentId: "byova-billing-bot", VirtualAgentName: "billing bot"},
		}
	}
	s := &Server{opts: o, keys: api.NewLiveKeySet(o.JWKSURL), calls: map[string]*call{}}
	if s.webex, err = api.New(api.Options{Timeout: 10 * time.Second}); err != nil {
		return nil, err
	}
	if s.ca, err = NewCA("byova fake gateway CA"); err != nil {
		return nil, err
	}
	cert := o.Cert
	if cert == nil {
		leaf, err := s.ca.Leaf([]string{"127.0.0.1", "localhost", "::1"}, time.Now().Add(-time.Hour), time.Now().Add(30*24*time.Hour))
		if err != nil {
			return nil, err
		}
		cert = &leaf
	}
	dir := o.Dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "byova-fake-agent-"); err != nil {
			return nil, err
		}
		s.ownedDir = dir
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("the fake gateway's folder: %w", err)
	}
	s.caFile = filepath.Join(dir, "fake-agent-ca.pem")
	if err := os.WriteFile(s.caFile, s.ca.PEM, 0o600); err != nil {
		s.cleanup()
		return nil, fmt.Errorf("writing the fake gateway's CA file: %w", err)
	}
	if s.lis, err = net.Listen("tcp", addr); err != nil {
		s.cleanup()
		return nil, fmt.Errorf("the fake gateway cannot listen on %s: %w", addr, err)
	}
	s.url = o.URL
	if s.url == "" {
		s.url = "https://" + s.lis.Addr().String()
	}
	creds := credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12})
	s.grpc = grpc.NewServer(grpc.Creds(creds), grpc.MaxRecvMsgSize(1<<20),
		grpc.UnaryInterceptor(s.unaryAuth), grpc.StreamInterceptor(s.streamAuth))
	vapb.RegisterVoiceVirtualAgentServer(s.grpc, &service{s: s})
	s.health = health.NewServer()
	s.setServing(true)
	healthpb.RegisterHealthServer(s.grpc, s.health)
	go func() { _ = s.grpc.Serve(s.lis) }()
	return s, nil
}

// URL is the url data sources must register to reach the fake (and that its tokens must carry).
func (s *Server) URL() string { return s.url }

// Addr is the listening address.
func (s *Server) Addr() string { return s.lis.Addr().String() }

// CAFile is the path of the PEM CA that signed the fake's certificate (for --ca-file).
func (s *Server) CAFile() string { return s.caFile }

// Roots is a pool with the fake's CA, for in-process clients.
func (s *Server) Roots() *x509.CertPool { return s.ca.Pool() }

// Close stops serving and removes the CA file's folder if the fake made it.
func (s *Server) Close() {
	s.grpc.Stop()
	s.cleanup()
}

func (s *Server) cleanup() {
	if s.ownedDir != "" {
		_ = os.RemoveAll(s.ownedDir)
	}
}

// Requests returns what the fake received so far (newest last, at most 1000).
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// Fail turns a fault on ("reset" turns every fault off) and says what it did.
func (s *Server) Fail(mode string, d time.Duration) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch mode {
	case FaultAuth:
		s.faults.auth = true
		return "the fake gateway now refuses every token (UNAUTHENTICATED)", nil
	case FaultURLClaim:
		s.faults.urlClaim = true
		return "the fake gateway now expects the url " + s.url + "/ (another spelling): the url claim check fails", nil
	case FaultSlowFirstPrompt:
		if d <= 0 || d > 10*time.Minute {
			return "", errors.New("slow-first-prompt needs a duration from 1ms to 10m, e.g. 5s")
		}
		s.faults.slow = d
		return "the fake gateway now waits " + d.String() + " before its welcome prompt", nil
	case FaultNoFinal:
		s.faults.noFinal = true
		return "the fake gateway's turns now send events and CHUNKs but never a FINAL", nil
	case FaultNotServing:
		s.faults.notServing = true
		s.setServing(false)
		return "the fake gateway's health now answers NOT_SERVING", nil
	case FaultReset:
		s.faults = faults{}
		s.setServing(true)
		return "the fake gateway behaves again", nil
	}
	return "", fmt.Errorf("unknown fault %q: use %s", mode, strings.Join(Faults(), ", "))
}

func (s *Server) setServing(on bool) {
	st := healthpb.HealthCheckResponse_SERVING
	if !on {
		st = healthpb.HealthCheckResponse_NOT_SERVING
	}
	for _, name := range []string{"", "byova.gateway", "byova.VoiceVirtualAgentService", "com.cisco.wcc.ccai.media.v1.VoiceVirtualAgent"} {
		s.health.SetServingStatus(name, st)
	}
}

func (s *Server) faultsNow() faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

func (s *Server) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.log) >= maxLog {
		s.log = s.log[1:]
	}
	s.log = append(s.log, r)
}

// authenticate makes the checks of spec §5 and answers UNAUTHENTICATED naming the one that
// failed, as real gateways do before any handler runs.
func (s *Server) authenticate(ctx context.Context, method string) error {
	if s.opts.HealthOpen && strings.HasPrefix(method, "/grpc.health.v1.") {
		return nil
	}
	f := s.faultsNow()
	form, token := "none", ""
	if md, ok := metadata.FromIncomingContext(ctx); ok {
		if v := md.Get("authorization"); len(v) > 0 {
			token, form = v[0], "bare"
			if rest, ok := strings.CutPrefix(token, "Bearer "); ok {
				token, form = rest, "bearer"
			}
		}
	}
	refuse := func(msg string) error {
		s.record(Request{Method: method, Auth: form, Result: "UNAUTHENTICATED"})
		return status.Error(codes.Unauthenticated, msg)
	}
	switch {
	case form == "none":
		return refuse("Missing JWT token in authorization metadata")
	case f.auth:
		return refuse("JWT validation failed: the fake gateway refuses every token (fake ctl agent fail auth)")
	case s.opts.Auth == "bearer" && form != "bearer":
		return refuse("JWT validation failed: expected \"Bearer <token>\" in authorization")
	case s.opts.Auth == "bare" && form != "bare":
		return refuse("Authorization failed: the value is not a JWS (send the bare token, without Bearer)")
	}
	want := s.url
	if f.urlClaim {
		want += "/"
	}
	keys := func(kid string) (*jose.JSONWebKeySet, error) {
		if s.opts.JWKSURL == "" {
			return nil, errors.New("no key set configured")
		}
		return s.keys.KeysFor(ctx, s.webex, kid)
	}
	for _, c := range gateway.ClaimChecks(token, want, keys, s.opts.Now()) {
		if c.Result != gateway.OK {
			return refuse("JWT validation failed: " + c.Name + ": " + c.Detail)
		}
	}
	s.record(Request{Method: method, Auth: form, Result: "ok"})
	return nil
}

func (s *Server) unaryAuth(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
	if err := s.authenticate(ctx, info.FullMethod); err != nil {
		return nil, err
	}
	return h(ctx, req)
}

func (s *Server) streamAuth(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, h grpc.StreamHandler) error {
	if err := s.authenticate(ss.Context(), info.FullMethod); err != nil {
		return err
	}
	return h(srv, ss)
}

// callFor is the per-call state of conv; an agent change is INVALID_ARGUMENT and an unknown
// agent NOT_FOUND, as Cisco's Python sample answers.
func (s *Server) callFor(conv, agent string) (*call, error) {
	if agent != "" {
		known := false
		for _, a := range s.opts.Agents {
			known = known || a.GetVirtualAgentId() == agent
		}
		if !known {
			return nil, status.Errorf(codes.NotFound, "no virtual agent %q", agent)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.calls[conv]
	if c == nil {
		if len(s.calls) >= maxCalls {
			s.evictOldest()
		}
		c = &call{agent: agent}
		s.calls[conv] = c
	}
	if c.agent != agent {
		return nil, status.Errorf(codes.InvalidArgument, "virtual agent %q differs from the call's %q", agent, c.agent)
	}
	c.seen = time.Now()
	return c, nil
}

func (s *Server) evictOldest() {
	var oldest string
	var at time.Time
	for k, c := range s.calls {
		if oldest == "" || c.seen.Before(at) {
			oldest, at = k, c.seen
		}
	}
	delete(s.calls, oldest)
}

func (s *Server) endCall(conv string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.calls, conv)
}
