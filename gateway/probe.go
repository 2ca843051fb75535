package gateway

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/byova/byova/gateway/vapb"
	"github.com/byova/byova/safetext"
)

// Step names, in the order a probe runs them (cli.md).
const (
	StepDial   = "dial"
	StepTLS    = "tls"
	StepAuth   = "auth"
	StepHealth = "health"
	StepAgents = "agents"
	StepClaims = "claims"
)

// CertWarnWithin is how close to expiry a gateway's certificate makes the tls step warn.
const CertWarnWithin = 14 * 24 * time.Hour

// Step is one step's verdict in words, with its time.
type Step struct {
	Name     string        `json:"name"`
	Result   string        `json:"result"` // ok, warn, fail, skip
	Word     string        `json:"word,omitempty"`
	Verdict  string        `json:"verdict"`
	Duration time.Duration `json:"-"`
	Millis   int64         `json:"ms"`
	Checks   []Check       `json:"checks,omitempty"`
}

// Agent is one virtual agent a gateway lists (names sanitised).
type Agent struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Default bool   `json:"default,omitempty"`
}

// ProbeRequest is one data source to probe.
type ProbeRequest struct {
	ID    string // data source id (reported only)
	URL   string // registered url
	Token string // its current jwsToken
	OrgID string // customer org, for ListVirtualAgents
	Keys  KeysFunc
	Now   time.Time
}

// Probe is the result of probing one data source.
type Probe struct {
	ID         string        `json:"id,omitempty"`
	URL        string        `json:"url"`
	Target     string        `json:"target,omitempty"`
	OK         bool          `json:"ok"`
	Word       string        `json:"word"` // "up", or the failed step's word: auth, tls, dial...
	Steps      []Step        `json:"steps"`
	CertExpiry time.Time     `json:"certExpiry,omitzero"`
	Agents     []Agent       `json:"agents,omitempty"`
	Duration   time.Duration `json:"-"`
}

// Failed is the first failed step, or nil.
func (p *Probe) Failed() *Step {
	for i := range p.Steps {
		if p.Steps[i].Result == Fail {
			return &p.Steps[i]
		}
	}
	return nil
}

// Run probes one data source: dial, tls, auth, health, agents, claims. A failed step skips
// the steps that need it; claims (read from the token alone) always run. Every wait is bounded
// by o's timeout.
func Run(ctx context.Context, req ProbeRequest, o Options) *Probe {
	start := time.Now()
	p := &Probe{ID: req.ID, URL: safetext.Line(req.URL)}
	defer func() {
		p.Duration = time.Since(start)
		p.OK = p.Failed() == nil
		p.Word = "up"
		if f := p.Failed(); f != nil {
			p.Word = f.Name
		}
		for i := range p.Steps {
			p.Steps[i].Millis = p.Steps[i].Duration.Milliseconds()
			p.Steps[i].Verdict = redact(p.Steps[i].Verdict, req.Token)
		}
	}()
	if req.Now.IsZero() {
		req.Now = time.Now()
	}
	skipRest := func(from int, why string) {
		names := []string{StepDial, StepTLS, StepAuth, StepHealth, StepAgents}
		for _, n := range names[from:] {
			p.Steps = append(p.Steps, Step{Name: n, Result: Skip, Verdict: why})
		}
		p.Steps = append(p.Steps, claimsStep(req))
	}
	t, err := ParseTarget(req.URL, o.Plaintext)
	if err != nil {
		p.Steps = append(p.Steps, Step{Name: StepDial, Result: Fail, Verdict: safetext.Line(err.Error())})
		skipRest(1, "not dialled")
		return p
	}
	p.Target = t.Addr()
	conn, s := dialStep(ctx, t, o.timeout())
	p.Steps = append(p.Steps, s)
	if conn == nil {
		skipRest(1, "no connection")
		return p
	}
	s, why := tlsStep(ctx, conn, t, o, req.Now, p)
	p.Steps = append(p.Steps, s)
	if why != "" {
		skipRest(2, why)
		return p
	}
	cc, err := Dial(t, o)
	if err != nil {
		p.Steps = append(p.Steps, Step{Name: StepAuth, Result: Fail, Verdict: safetext.Line(err.Error())})
		skipRest(3, "no client")
		return p
	}
	defer cc.Close()
	p.Steps = append(p.Steps, gatewaySteps(ctx, cc, req, o, p)...)
	p.Steps = append(p.Steps, claimsStep(req))
	return p
}

// claimsStep is the checks a gateway makes on the token, by name.
func claimsStep(req ProbeRequest) Step {
	s := Step{Name: StepClaims}
	switch {
	case req.Token == "" && req.ID == "":
		s.Result, s.Verdict = Skip, "no data source token (--url probes the endpoint only)"
	case req.Token == "":
		s.Result, s.Verdict = Fail, errNoToken.Error()+": Webex has nothing to present"
	default:
		s.Checks = ClaimChecks(req.Token, req.URL, req.Keys, req.Now)
		s.Result, s.Verdict = OK, Summary(s.Checks)
		if f := Failed(s.Checks); f != nil {
			s.Result, s.Word = Fail, f.Name
		} else {
			for _, c := range s.Checks {
				if c.Result == Warn {
					s.Result, s.Verdict = Warn, c.Name+": "+c.Detail
				}
			}
		}
	}
	return s
}

// dialStep is DNS, then TCP; conn is nil when it failed.
func dialStep(ctx context.Context, t Target, within time.Duration) (net.Conn, Step) {
	s := Step{Name: StepDial}
	t0 := time.Now()
	dctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(dctx, "tcp", t.Addr())
	s.Duration = time.Since(t0)
	if err != nil {
		s.Result, s.Verdict = Fail, safetext.Line(describeNetErr(err, t.Addr(), within))
		return nil, s
	}
	s.Result, s.Verdict = OK, "connected to "+safetext.Line(conn.RemoteAddr().String())
	return conn, s
}

// tlsStep is the handshake on conn (which it closes): chain, host name, ALPN h2, days left,
// noted in p.CertExpiry. why, when set, is why the later steps are skipped.
func tlsStep(ctx context.Context, conn net.Conn, t Target, o Options, now time.Time, p *Probe) (s Step, why string) {
	s = Step{Name: StepTLS}
	t0 := time.Now()
	defer func() {
		if s.Duration == 0 {
			s.Duration = time.Since(t0)
		}
	}()
	if t.Plaintext {
		conn.Close()
		s.Result, s.Verdict = Warn, "plain text (h2c): Webex only dials TLS"
		return s, ""
	}
	within := o.timeout()
	tc := tls.Client(conn, tlsConfig(t, o))
	hctx, cancel := context.WithTimeout(ctx, within)
	err := tc.HandshakeContext(hctx)
	cancel()
	s.Duration = time.Since(t0)
	if err != nil {
		tc.Close()
		s.Word, s.Verdict = describeTLSErr(err, t, within)
		s.Result = Fail
		return s, "no TLS"
	}
	cs := tc.ConnectionState()
	tc.Close()
	if cs.NegotiatedProtocol != "h2" {
		s.Result, s.Word = Fail, "no h2"
		s.Verdict = fmt.Sprintf("the gateway did not agree to ALPN h2 (got %q): gRPC needs HTTP/2", safetext.Line(cs.NegotiatedProtocol))
		return s, "no HTTP/2"
	}
	leaf := cs.PeerCertificates[0]
	p.CertExpiry = leaf.NotAfter.UTC()
	days := int(leaf.NotAfter.Sub(now).Hours() / 24)
	s.Result = OK
	s.Verdict = fmt.Sprintf("%s, h2, certificate for %s valid %d more days (until %s)", tls.VersionName(cs.Version),
		safetext.Line(t.Host), days, leaf.NotAfter.UTC().Format("2006-01-02"))
	if leaf.NotAfter.Sub(now) < CertWarnWithin {
		s.Result = Warn
		s.Verdict += ": renew it within 14 days"
	}
	return s, ""
}

// gatewaySteps are auth (health without a token, then with the data source's), health and
// agents, over cc; the agents found go in p.Agents.
func gatewaySteps(ctx context.Context, cc *grpc.ClientConn, req ProbeRequest, o Options, p *Probe) []Step {
	within := o.timeout()
	health := healthpb.NewHealthClient(cc)
	t0 := time.Now()
	cctx, cancel := context.WithTimeout(ctx, within)
	anonRes, anonErr := health.Check(cctx, &healthpb.HealthCheckRequest{})
	cancel()
	if req.Token == "" {
		return anonSteps(anonRes, anonErr, time.Since(t0))
	}
	cctx, cancel = context.WithTimeout(WithToken(ctx, req.Token, o.Bearer), within)
	hres, tokErr := health.Check(cctx, &healthpb.HealthCheckRequest{})
	cancel()
	auth := authStep(anonErr, tokErr)
	auth.Duration = time.Since(t0)
	healthServed := status.Code(tokErr) != codes.Unimplemented
	agents, unauth := agentsStep(ctx, cc, req, o, p)
	if unauth && !healthServed {
		auth.Result = Fail // the auth step was to be judged by ListVirtualAgents
		auth.Word, auth.Verdict = "auth", agents.Verdict
	}
	return []Step{auth, healthStep(healthServed, hres, tokErr), agents}
}

// anonSteps are auth, health and agents for a probe without a token (--url).
func anonSteps(anonRes *healthpb.HealthCheckResponse, anonErr error, took time.Duration) []Step {
	s := Step{Name: StepAuth, Duration: took}
	switch code := status.Code(anonErr); {
	case anonErr == nil:
		s.Result, s.Verdict = Warn, "accepts calls without Webex's token (health answered without authorization)"
	case code == codes.Unauthenticated:
		s.Result, s.Verdict = OK, "refuses calls without a token (no data source token to try: --url)"
	case code == codes.Unimplemented:
		s.Result, s.Verdict = Skip, "health not served; no token to try (--url)"
	default:
		s.Result, s.Word, s.Verdict = Fail, wordOf(anonErr), "health check failed: "+StatusText(anonErr)
	}
	hs := Step{Name: StepHealth, Result: Skip, Verdict: "behind auth"}
	if anonErr == nil {
		hs.Result, hs.Verdict = OK, anonRes.GetStatus().String()
		if anonRes.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			hs.Result, hs.Word = Fail, "not serving"
		}
	}
	return []Step{s, hs, {Name: StepAgents, Result: Skip, Verdict: "no token to call with (--url)"}}
}

// authStep judges the token by health with it (tokErr), and warns when health answered
// without one (anonErr nil).
func authStep(anonErr, tokErr error) Step {
	s := Step{Name: StepAuth}
	if status.Code(tokErr) == codes.Unimplemented {
		// No grpc.health.v1: judge the token by ListVirtualAgents instead (gatewaySteps).
		s.Result, s.Verdict = OK, "health not served; the token is judged by ListVirtualAgents"
		return s
	}
	switch code := status.Code(tokErr); {
	case tokErr == nil:
		s.Result, s.Verdict = OK, "the gateway accepts Webex's current token"
	case code == codes.Unauthenticated || code == codes.PermissionDenied:
		s.Result, s.Word = Fail, "auth"
		s.Verdict = "the gateway rejects Webex's current token: " + StatusText(tokErr)
	default:
		s.Result, s.Word, s.Verdict = Fail, wordOf(tokErr), "health check with the token failed: "+StatusText(tokErr)
	}
	if anonErr == nil && s.Result == OK {
		s.Result, s.Verdict = Warn, "accepts calls without Webex's token (health answered without authorization)"
	}
	return s
}

// healthStep is the serving status health answered with the token.
func healthStep(served bool, hres *healthpb.HealthCheckResponse, tokErr error) Step {
	s := Step{Name: StepHealth}
	switch {
	case !served:
		s.Result, s.Verdict = Warn, "the gateway does not serve grpc.health.v1 (UNIMPLEMENTED)"
	case tokErr != nil:
		s.Result, s.Verdict = Skip, "no answer to read"
	case hres.GetStatus() == healthpb.HealthCheckResponse_SERVING:
		s.Result, s.Verdict = OK, "SERVING"
	default:
		s.Result, s.Word = Fail, "not serving"
		s.Verdict = hres.GetStatus().String() + ": the gateway says it cannot take calls (no agents, or starting up)"
	}
	return s
}

// agentsStep is ListVirtualAgents for the org; unauth says the gateway refused the token.
func agentsStep(ctx context.Context, cc grpc.ClientConnInterface, req ProbeRequest, o Options, p *Probe) (s Step, unauth bool) {
	s = Step{Name: StepAgents}
	t0 := time.Now()
	agents, err := ListAgents(ctx, cc, req.Token, req.OrgID, o)
	s.Duration = time.Since(t0)
	switch {
	case err != nil:
		s.Result, s.Word = Fail, wordOf(err)
		if code := status.Code(err); code == codes.Unauthenticated {
			s.Word, unauth = "auth", true
			s.Verdict = "the gateway rejects Webex's current token: " + StatusText(err)
		} else {
			s.Verdict = "ListVirtualAgents failed: " + StatusText(err)
		}
	case len(agents) == 0:
		s.Result, s.Verdict = Fail, "the gateway lists no virtual agents: Flow Designer would offer nothing"
	default:
		p.Agents = agents
		var names []string
		for _, a := range agents {
			n := a.Name
			if a.Default {
				n += " (default)"
			}
			names = append(names, n)
		}
		s.Result, s.Verdict = OK, fmt.Sprintf("%d: %s", len(agents), cut(strings.Join(names, ", "), 300))
	}
	return s, unauth
}

// ListAgents calls ListVirtualAgents for org with the token, as the probe does: without asking
// for the default agent (Webex fills its agent picker so).
func ListAgents(ctx context.Context, cc grpc.ClientConnInterface, token, org string, o Options) ([]Agent, error) {
	agents, _, err := listAgents(ctx, vapb.NewVoiceVirtualAgentClient(cc), token, org, false, o)
	return agents, err
}

// listAgents is the one ListVirtualAgents of the probe and the call: agents capped at
// MaxAgents, their text cut and sanitised for a terminal, and raw as the gateway sent them
// (the call picks by them and sends the chosen id back byte for byte). defaultAgent sets
// is_default_virtual_agent_enabled: the gateway uses its default agent when none is named.
func listAgents(ctx context.Context, client vapb.VoiceVirtualAgentClient, token, org string, defaultAgent bool, o Options) ([]Agent, []*vapb.VirtualAgentInfo, error) {
	ctx, cancel := context.WithTimeout(WithToken(ctx, token, o.Bearer), o.timeout())
	defer cancel()
	res, err := client.ListVirtualAgents(ctx, &vapb.ListVARequest{CustomerOrgId: org, IsDefaultVirtualAgentEnabled: defaultAgent})
	if err != nil {
		return nil, nil, err
	}
	raw := res.GetVirtualAgents()
	if len(raw) > MaxAgents {
		return nil, nil, fmt.Errorf("the gateway lists %d virtual agents; over %d is not a real listing", len(raw), MaxAgents)
	}
	var out []Agent
	for _, a := range raw {
		out = append(out, Agent{ID: safetext.Line(cut(a.GetVirtualAgentId(), 200)), Name: safetext.Line(cut(a.GetVirtualAgentName(), 200)), Default: a.GetIsDefault()})
	}
	return out, raw, nil
}

// wordOf is a short word for a failed RPC, for a list column.
func wordOf(err error) string {
	switch status.Code(err) {
	case codes.Unauthenticated, codes.PermissionDenied:
		return "auth"
	case codes.DeadlineExceeded:
		return "timeout"
	case codes.Unavailable:
		return "down"
	case codes.ResourceExhausted:
		return "too big"
	}
	return "error"
}

// RunAll probes every request with at most workers at a time (a few: each probe holds two
// connections) and returns the results in the order asked. onDone, when set, sees each result
// as it lands (any goroutine).
func RunAll(ctx context.Context, reqs []ProbeRequest, o Options, workers int, onDone func(int, *Probe)) []*Probe {
	if workers <= 0 {
		workers = 4
	}
	out := make([]*Probe, len(reqs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(reqs)) {
		wg.Go(func() {
			for i := range next {
				out[i] = Run(ctx, reqs[i], o)
				if onDone != nil {
					onDone(i, out[i])
				}
			}
		})
	}
	for i := range reqs {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}
