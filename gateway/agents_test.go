package gateway_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/byova/byova/gateway"
	"github.com/byova/byova/gateway/vapb"
)

// listing is a gateway that answers ListVirtualAgents with agents and records each request.
type listing struct {
	vapb.UnimplementedVoiceVirtualAgentServer
	agents []*vapb.VirtualAgentInfo
	mu     sync.Mutex
	asked  []*vapb.ListVARequest
}

func (l *listing) ListVirtualAgents(_ context.Context, r *vapb.ListVARequest) (*vapb.ListVAResponse, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.asked = append(l.asked, r)
	return &vapb.ListVAResponse{VirtualAgents: l.agents}, nil
}

func (l *listing) last(t *testing.T) *vapb.ListVARequest {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.asked) == 0 {
		t.Fatal("ListVirtualAgents was not called")
	}
	return l.asked[len(l.asked)-1]
}

func startListing(t *testing.T, l *listing) grpc.ClientConnInterface {
	t.Helper()
	tg, err := gateway.ParseTarget(serveGateway(t, l), false)
	if err != nil {
		t.Fatal(err)
	}
	cc, err := gateway.Dial(tg, gateway.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cc.Close() })
	return cc
}

// The probe's agents step and a call list the agents through one function: the same cap,
// the same sanitised names; only the call asks for the default agent.
func TestProbeAndCallListAgentsAlike(t *testing.T) {
	o := gateway.Options{Timeout: 5 * time.Second}
	hostileName := "evil\x1b]0;pwned\a\u202e" + strings.Repeat("n", 300)
	l := &listing{agents: []*vapb.VirtualAgentInfo{{VirtualAgentId: "bot-1", VirtualAgentName: hostileName, IsDefault: true}}}
	cc := startListing(t, l)

	agents, err := gateway.ListAgents(context.Background(), cc, "x.y.z", "org-1", o)
	if err != nil || len(agents) != 1 {
		t.Fatalf("ListAgents: %v %+v", err, agents)
	}
	if r := l.last(t); r.GetCustomerOrgId() != "org-1" || r.GetIsDefaultVirtualAgentEnabled() {
		t.Errorf("the probe asked %v; want org-1 and no default agent asked for", r)
	}
	call := gateway.PlaceCall(context.Background(), cc, gateway.CallRequest{Token: "x.y.z", OrgID: "org-1", TurnTimeout: time.Second}, o)
	if r := l.last(t); r.GetCustomerOrgId() != "org-1" || !r.GetIsDefaultVirtualAgentEnabled() {
		t.Errorf("the call asked %v; want org-1 and the default agent asked for", r)
	}
	if call.Agent != agents[0] {
		t.Errorf("the call's agent %+v is not the probe's %+v", call.Agent, agents[0])
	}
	if strings.ContainsAny(agents[0].Name, "\x1b\a\u202e") || len(agents[0].Name) > 400 {
		t.Errorf("agent name reaches the terminal as %q", agents[0].Name)
	}

	many := make([]*vapb.VirtualAgentInfo, gateway.MaxAgents+1)
	for i := range many {
		many[i] = &vapb.VirtualAgentInfo{VirtualAgentId: fmt.Sprint("bot-", i)}
	}
	l.mu.Lock()
	l.agents = many
	l.mu.Unlock()
	_, perr := gateway.ListAgents(context.Background(), cc, "x.y.z", "org-1", o)
	call = gateway.PlaceCall(context.Background(), cc, gateway.CallRequest{Token: "x.y.z", OrgID: "org-1", TurnTimeout: time.Second}, o)
	if perr == nil || call.OK || !strings.Contains(call.Failure, perr.Error()) {
		t.Errorf("over MaxAgents: probe %v, call %q; want the same refusal", perr, call.Failure)
	}
}

// refuser serves no grpc.health.v1 and refuses every token on ListVirtualAgents.
type refuser struct {
	vapb.UnimplementedVoiceVirtualAgentServer
}

func (refuser) ListVirtualAgents(context.Context, *vapb.ListVARequest) (*vapb.ListVAResponse, error) {
	return nil, status.Error(codes.Unauthenticated, "JWT validation failed")
}

// Without health, the token is judged by ListVirtualAgents: a refusal there fails the auth
// step, and the row says auth. (It failed the health step instead, which had only warned that
// health is not served, and the row said health.)
func TestProbeWithoutHealthJudgesAuthByAgents(t *testing.T) {
	p := gateway.Run(context.Background(), gateway.ProbeRequest{ID: "ds-1", URL: serveGateway(t, refuser{}), Token: "x.y.z", OrgID: "org-1"},
		gateway.Options{Timeout: 5 * time.Second})
	auth, health := step(t, p, gateway.StepAuth), step(t, p, gateway.StepHealth)
	if p.Word != "auth" || auth.Result != gateway.Fail || !strings.Contains(auth.Verdict, "rejects Webex's current token") || health.Result != gateway.Warn {
		t.Fatalf("row %q; auth %s %q; health %s %q", p.Word, auth.Result, auth.Verdict, health.Result, health.Verdict)
	}
}
