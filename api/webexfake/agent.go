package webexfake

import (
	"errors"
	"fmt"
	"time"
)

// The fake Webex can stand beside a fake VoiceVirtualAgent gateway (gateway/gatewayfake):
// PointVoiceAgentsAt registers its url on the Voice Virtual Agent data sources, and the
// control surface's "agent" action drives its faults (`byova fake ctl agent fail ...`).

// AgentControl turns a fake gateway's fault on: mode as `fake ctl agent fail` names it, d for
// slow-first-prompt.
type AgentControl func(mode string, d time.Duration) (string, error)

// PointVoiceAgentsAt sets url on every gRPC Voice Virtual Agent data source and re-issues its
// token with the same expiry, as an update would (an expired one stays expired). It returns
// how many it changed.
func (s *Server) PointVoiceAgentsAt(url string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, d := range s.dsOrder {
		if d.schemaID != SchemaVoiceVirtualAgent {
			continue
		}
		d.url = url
		exp := d.expiry()
		d.mint(s.currentKey(), exp.Add(-time.Duration(d.lifetime)*time.Minute), s.rt.uuid())
		n++
	}
	return n
}

// SetAgentControl connects the control surface's agent action to a running fake gateway.
func (s *Server) SetAgentControl(fn AgentControl) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.agentCtl = fn
}

// agentControl runs `fake ctl agent fail MODE [D]`: req.Event is the mode, req.In the duration.
func (s *Server) agentControl(req ControlRequest) (ControlAnswer, error) {
	s.mu.Lock()
	fn := s.agentCtl
	s.mu.Unlock()
	if fn == nil {
		return ControlAnswer{}, errors.New("no fake gateway runs beside this fake: start it with `byova fake serve --agent --control`")
	}
	var d time.Duration
	if req.In != "" {
		var err error
		if d, err = time.ParseDuration(req.In); err != nil {
			return ControlAnswer{}, fmt.Errorf("duration %q: %w (e.g. 5s)", req.In, err)
		}
	}
	done, err := fn(req.Event, d)
	return ControlAnswer{Done: done}, err
}
