package datasources

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/fleet"
	"github.com/byova/byova/gateway"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/detailview"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/styles"
)

// Probing and test calls play Webex's side against a Voice Virtual Agent data source's gateway
// (package gateway). Neither writes to Webex, so read-only sessions may do both.

// ProbeMsg asks to probe the marked rows' endpoints, else every probeable one (:probe).
type ProbeMsg struct{}

// probeTimeout bounds one probe run (each step has its own 10 s).
const probeTimeout = 3 * time.Minute

// maxCallLines is how many lines of a call the pane keeps (a gateway may stream thousands).
const maxCallLines = 500

type probedMsg struct{ probes []*gateway.Probe }

// endpointKey is p and c: probing and calling, allowed read-only (neither writes).
func (s *Screen) endpointKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := s.c.Keys
	switch {
	case key.Matches(msg, k.Probe):
		targets := s.markedSources()
		if len(targets) == 0 || s.mode == modeDetail {
			targets = nil
			if ds := s.target(); ds != nil {
				targets = []*api.DataSource{ds}
			}
		}
		return s.startProbe(targets), true
	case key.Matches(msg, k.Call):
		ds := s.target()
		if ds == nil {
			return nil, true
		}
		return s.startCall(ds), true
	}
	return nil, false
}

// probeAll is :probe: the marked rows, else every probeable row.
func (s *Screen) probeAll() tea.Cmd {
	targets := s.markedSources()
	if len(targets) == 0 {
		now := s.c.Now()
		for _, i := range s.tbl.Order {
			if ok, _ := gateway.Probeable(s.tbl.Rows[i].ds, now); ok {
				targets = append(targets, s.tbl.Rows[i].ds)
			}
		}
	}
	return s.startProbe(targets)
}

func (s *Screen) startProbe(targets []*api.DataSource) tea.Cmd {
	if len(targets) == 0 {
		return common.Notice("nothing to probe: no active Voice Virtual Agent data source here")
	}
	sources := make([]api.DataSource, len(targets))
	for i, ds := range targets {
		sources[i] = *ds
	}
	roots := s.c.EndpointRoots
	req := s.c.Request(Owner, kindProbe, "probing endpoints", probeTimeout)
	return func() tea.Msg {
		defer req.Cancel()
		var msg probedMsg
		_, _, err := req.WithOrg(func(ctx context.Context, cl *api.Client) error {
			msg.probes = probeSources(ctx, req, cl, sources, gateway.Options{Roots: roots})
			return nil
		})
		return common.ReplyTo(req, msg, err)
	}
}

// probeSources probes each source in order, with the request's clock. A list item that lacks
// the token or url is read again from Webex first; when that read fails, its probe is that
// failure, never a probe of the list's incomplete copy.
func probeSources(ctx context.Context, req common.Request, cl *api.Client, sources []api.DataSource, o gateway.Options) []*gateway.Probe {
	keys := keysOf(req, cl)
	out := make([]*gateway.Probe, len(sources))
	var reqs []gateway.ProbeRequest
	var at []int // where each of reqs goes in out
	for i := range sources {
		d := &sources[i]
		if d.JWSToken == "" || d.URL == "" {
			full, err := cl.GetDataSource(ctx, d.ID)
			if err != nil {
				out[i] = unread(d, err)
				continue
			}
			d = full
		}
		reqs = append(reqs, gateway.ProbeRequestFor(ctx, d, keys, req.Now))
		at = append(at, i)
	}
	for k, p := range gateway.RunAll(ctx, reqs, o, 4, nil) {
		out[at[k]] = p
	}
	return out
}

// unread is the probe of a data source Webex would not hand back in full: failed at the first
// step, with Webex's reason.
func unread(d *api.DataSource, err error) *gateway.Probe {
	head := fleet.Describe(err).Headline
	return &gateway.Probe{ID: d.ID, URL: safetext.Line(d.URL), Word: "webex", Steps: []gateway.Step{{
		Name: "fetch", Result: gateway.Fail, Word: "webex", Verdict: safetext.Line("could not read it from Webex: " + head),
	}}}
}

// keysOf is the session's key set for the claims step; without one the signature check says
// it was not made.
func keysOf(req common.Request, cl *api.Client) gateway.ProbeKeys {
	if req.Session == nil {
		return gateway.ProbeKeys{}
	}
	ks, err := req.Session.KeySet()
	if err != nil {
		return gateway.ProbeKeys{}
	}
	return gateway.ProbeKeys{Set: ks, Client: cl}
}

func (s *Screen) onProbed(r common.Reply[probedMsg]) tea.Cmd {
	if !s.c.Current(r) {
		return nil
	}
	msg := r.Payload
	if r.Err != nil {
		return common.Error("probing endpoints", r.Err)
	}
	if s.endpoints == nil {
		s.endpoints = map[string]*gateway.Probe{}
		defer s.relayout() // the endpoint column appears
	}
	s.probed = s.probed[:0]
	bad := 0
	for _, p := range msg.probes {
		s.endpoints[p.ID] = p
		s.probed = append(s.probed, p.ID)
		if !p.OK {
			bad++
		}
	}
	s.probeLines = s.probePanel()
	s.resizeList()
	if s.detail != nil {
		s.detail.pane.Refresh()
	}
	if bad > 0 {
		return common.Error("probing endpoints", errors.New(plural(bad, "endpoint fails", "endpoints fail")+" a step: the steps are under the list and in the detail"))
	}
	return common.Notice("probed " + plural(len(msg.probes), "endpoint", "endpoints") + ": every step holds")
}

// EndpointWord is the list's word for a probe: "✓ up", "✗ auth", "✗ tls", or "?" unprobed.
func EndpointWord(p *gateway.Probe) string {
	switch {
	case p == nil:
		return styles.GlyphUnknown
	case p.OK:
		return styles.GlyphOK + " up"
	}
	return styles.GlyphError + " " + p.Word
}

// endpointW is the list's endpoint column: "✗ agents" at most.
const endpointW = 8

// showEndpoints says whether the list has its endpoint column: once something was probed.
func (s *Screen) showEndpoints() bool { return len(s.endpoints) > 0 }

// endpointCell is a row's endpoint column: ✓ up, ✗ and the failed step, ? not probed.
func (s *Screen) endpointCell(id string) string {
	return fitNarrow(format.Cut(EndpointWord(s.endpoints[id]), endpointW), endpointW)
}

func (s *Screen) endpointPainter(id string) styles.Painter {
	switch p := s.endpoints[id]; {
	case p == nil:
		return s.paint.other
	case p.OK:
		return s.paint.active
	}
	return s.paint.expiry[expiryExpired]
}

// probePanel is the panel's lines for the last probe run, under the list until esc: built once
// per answer (probeLines), not per frame, since it looks each probed id up in the rows. The
// panel cuts them to the width.
func (s *Screen) probePanel() []string {
	st := s.c.Styles
	var out []string
	for _, id := range s.probed {
		p := s.endpoints[id]
		if p == nil {
			continue
		}
		n := id
		if i := s.tbl.RowOf(id); i >= 0 {
			n = name(s.tbl.Rows[i].ds)
		}
		if p.OK {
			out = append(out, st.StatusActive.Render(EndpointWord(p)+" "+n+": endpoint holds every step"))
			continue
		}
		word := p.Word
		if f := p.Failed(); f != nil {
			word = f.Name + ": " + f.Verdict
		}
		out = append(out, st.Error.Render(EndpointWord(p)+" "+n+": "+word))
	}
	return out
}

// endpointSection is the detail's Endpoint section: the last probe's steps, the certificate's
// expiry and the agents.
func (d *detailView) endpointSection(f *detailview.Fields) {
	p := d.s.endpoints[d.ds.ID]
	if p == nil {
		if ok, _ := gateway.Probeable(d.ds, d.s.c.Now()); ok || strings.EqualFold(d.ds.SchemaID, gateway.SchemaVoiceVirtualAgent) {
			f.Section("Endpoint")
			f.Styled("probe", d.s.c.Styles.Muted.Render("not probed: press "+d.s.c.Keys.Probe.Help().Key+" to probe, "+d.s.c.Keys.Call.Help().Key+" for a test call"))
		}
		return
	}
	st := d.s.c.Styles
	f.Section("Endpoint")
	f.Styled("result", EndpointWord(p))
	for _, step := range p.Steps {
		g := styles.GlyphOK
		style := st.StatusActive
		switch step.Result {
		case gateway.Fail:
			g, style = styles.GlyphError, st.Error
		case gateway.Warn:
			g, style = styles.GlyphSoon, st.ExpirySoon
		case gateway.Skip:
			g, style = "-", st.Muted
		}
		f.Styled(step.Name, style.Render(g+" "+step.Verdict))
	}
	if !p.CertExpiry.IsZero() {
		f.Field("certificate", "expires "+p.CertExpiry.UTC().Format(time.RFC3339))
	}
	var agents []string
	for _, a := range p.Agents {
		n := a.Name
		if a.Default {
			n += " (default)"
		}
		agents = append(agents, n)
	}
	if len(agents) > 0 {
		f.Field("virtual agents", strings.Join(agents, ", "))
	}
}

// callPane is a test call in progress or done: what the gateway did, as it arrived.
type callPane struct {
	seq    uint64
	title  string
	lines  []string
	done   bool
	hungUp bool
	cancel context.CancelFunc
	events chan gateway.Event
	pane   detailview.Model
}

type callEventMsg struct {
	seq uint64
	ev  gateway.Event
	end bool
}

type calledMsg struct{ r *gateway.CallResult }

func (s *Screen) startCall(ds *api.DataSource) tea.Cmd {
	if s.call != nil && !s.call.done {
		s.mode = modeCall
		return nil
	}
	src := *ds
	events := make(chan gateway.Event, 256)
	// No overall timeout: a call is as long as its turns, each bounded by its own.
	req := s.c.Request(Owner, kindCall, "test call", 30*time.Minute)
	cp := &callPane{seq: req.ID, title: "Test call to " + name(ds), cancel: req.Cancel, events: events}
	cp.pane = detailview.New(s.width, s.height, func(int) []string { return cp.lines })
	cp.lines = []string{s.c.Styles.Muted.Render("calling " + safetext.Line(src.URL) + " … (" + s.c.Keys.Dismiss.Help().Key + " hangs up)")}
	cp.pane.Refresh()
	s.call, s.mode = cp, modeCall
	roots := s.c.EndpointRoots
	seq := cp.seq
	run := func() tea.Msg {
		defer req.Cancel()
		defer close(events)
		var msg calledMsg
		_, _, err := req.WithOrg(func(ctx context.Context, cl *api.Client) error {
			d := &src
			if d.JWSToken == "" || d.URL == "" || d.OrgID == "" {
				full, err := cl.GetDataSource(ctx, d.ID)
				if err != nil {
					return err
				}
				d = full
			}
			tg, err := gateway.ParseTarget(d.URL, false)
			if err != nil {
				return err
			}
			o := gateway.Options{Roots: roots}
			cc, err := gateway.Dial(tg, o)
			if err != nil {
				return err
			}
			defer cc.Close()
			msg.r = gateway.PlaceCall(ctx, cc, gateway.CallRequest{URL: d.URL, Token: d.JWSToken, OrgID: d.OrgID,
				OnEvent: func(e gateway.Event) {
					select {
					case events <- e:
					default: // the pane is behind: drop rather than stall the call's pacing
					}
				}}, o)
			return nil
		})
		return common.ReplyTo(req, msg, err)
	}
	return tea.Batch(run, waitCallEvent(seq, events))
}

func waitCallEvent(seq uint64, events <-chan gateway.Event) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-events
		return callEventMsg{seq: seq, ev: ev, end: !ok}
	}
}

func (s *Screen) onCallEvent(msg callEventMsg) tea.Cmd {
	cp := s.call
	if cp == nil || cp.seq != msg.seq || msg.end {
		return nil
	}
	cp.add(callLine(msg.ev))
	return waitCallEvent(cp.seq, cp.events)
}

func (cp *callPane) add(line string) {
	if line == "" {
		return
	}
	if len(cp.lines) >= maxCallLines {
		cp.lines = append(cp.lines[:0], cp.lines[len(cp.lines)-maxCallLines/2:]...)
	}
	cp.lines = append(cp.lines, line)
	cp.pane.Refresh()
	cp.pane.GotoBottom()
}

// callLine is one event as the pane shows it (its text was sanitised by package gateway).
func callLine(e gateway.Event) string {
	at := fmt.Sprintf("%5d ms", e.At.Milliseconds())
	switch e.Kind {
	case "prompt":
		return fmt.Sprintf("%-13s %s  prompt  %q", e.Step, at, e.Text)
	case "audio":
		if e.Bytes > 0 {
			return fmt.Sprintf("%-13s %s  audio   %d B %s", e.Step, at, e.Bytes, e.Type)
		}
		return fmt.Sprintf("%-13s %s  audio   %s", e.Step, at, e.Text)
	case "event":
		return fmt.Sprintf("%-13s %s  event   %s %s", e.Step, at, e.Type, e.Text)
	case "step":
		g := styles.GlyphOK
		if e.Type != gateway.OK {
			g = styles.GlyphError
		}
		return fmt.Sprintf("%s %-11s %s  %s", g, e.Step, at, e.Text)
	}
	return ""
}

func (s *Screen) onCalled(r common.Reply[calledMsg]) tea.Cmd {
	cp, msg := s.call, r.Payload
	if cp == nil || !s.c.Current(r) {
		return nil // closed, or another call's pane (or org) since
	}
	cp.done = true
	st := s.c.Styles
	switch {
	case r.Err != nil:
		cp.add(st.Error.Render(styles.GlyphError + " " + safetext.Line(r.Err.Error())))
	case msg.r == nil:
	case msg.r.OK:
		cp.add(st.StatusActive.Render(styles.GlyphOK + " " + msg.r.Summary()))
	default:
		cp.add(st.Error.Render(styles.GlyphError + " " + msg.r.Summary()))
	}
	cp.add(st.Muted.Render("press " + s.c.Keys.Dismiss.Help().Key + " to close"))
	return nil
}

// callKey: esc hangs up (SESSION_END) while the call runs, and closes the pane after.
func (s *Screen) callKey(msg tea.KeyPressMsg) tea.Cmd {
	cp := s.call
	if cp.pane.ScrollKey(msg, s.c.Keys) {
		return nil
	}
	if key.Matches(msg, s.c.Keys.Dismiss) {
		if !cp.done {
			if !cp.hungUp {
				cp.hungUp = true
				cp.add(s.c.Styles.Muted.Render("hanging up (SESSION_END) …"))
				cp.cancel()
			}
			return nil
		}
		s.call = nil
		s.mode = s.back()
	}
	return nil
}

func (s *Screen) callView() string {
	return s.call.pane.View(s.c.Styles, s.c.Styles.Title.Render(s.call.title))
}
