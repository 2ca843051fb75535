package serve

import (
	"fmt"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// The largest window a console draws. The renderer keeps two cell buffers of the window's
// size, about 110 bytes a cell each: 65535×65535 asked for gigabytes, and even 1000×500 held
// 110 MB per console (BenchmarkHugeWindowHeap). 500×200 is wider than a 4K screen of
// small type and costs about 22 MB.
const (
	MaxCols = 500
	MaxRows = 200
)

// The requests a console needs on its session channel; everything else (env,
// auth-agent-req@openssh.com, x11-req, exec, subsystem, signal, break, ...) is answered no
// before the SSH library sees it, so no default of the library can say yes.
var consoleRequests = map[string]bool{"pty-req": true, "window-change": true, "shell": true}

// filteredChannel hands the library a session channel whose requests passed s.filter.
type filteredChannel struct {
	gossh.NewChannel
	s   *Server
	ctx ssh.Context
}

func (f filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := f.NewChannel.Accept()
	if err != nil {
		return ch, reqs, err
	}
	out := make(chan *gossh.Request)
	go f.s.filter(f.ctx, ch, reqs, out)
	return ch, out, nil
}

// sessionChannel is the "session" channel handler: the library's, on filtered requests.
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, nc gossh.NewChannel, ctx ssh.Context) {
	if c := connOf(ctx); c != nil {
		if msg := c.refusal(); msg != "" {
			_ = nc.Reject(gossh.ResourceShortage, msg)
			_ = c.Close()
			return
		}
	}
	ssh.DefaultSessionHandler(srv, conn, filteredChannel{NewChannel: nc, s: s, ctx: ctx}, ctx)
}

// syncReq is handed to the library between a forwarded request and a refusal: the library
// takes the next request only after answering the last, and SSH wants answers in order.
// Without WantReply its Reply is a no-op.
var syncReq = &gossh.Request{Type: "byova-sync@byova"}

// filter forwards the console's requests and refuses the rest, in order.
func (s *Server) filter(ctx ssh.Context, ch gossh.Channel, in <-chan *gossh.Request, out chan<- *gossh.Request) {
	defer close(out)
	forwarded, told := false, false
	for req := range in {
		if consoleRequests[req.Type] {
			if w, h, ok := clampWindow(req); ok && !told {
				told = true
				fmt.Fprintf(ch.Stderr(), "byova serve: a %dx%d window is larger than the console draws; it uses at most %dx%d\r\n",
					w, h, MaxCols, MaxRows)
			}
			out <- req
			forwarded = true
			continue
		}
		if req.WantReply && forwarded {
			out <- syncReq
			forwarded = false
		}
		_ = req.Reply(false, nil)
		pk, _ := ctx.Value(ssh.ContextKeyPublicKey).(ssh.PublicKey)
		u, _ := s.users.Lookup(pk)
		s.log.Warn("ssh request refused", "event", "ssh_refused", "request", truncate(req.Type, 64),
			"user", u.Name, "fingerprint", u.Fingerprint, "remote", ctx.RemoteAddr().String())
	}
}

// truncate keeps a client-chosen name from sizing a log line.
func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// ptyReq and windowChange are the payloads of RFC 4254 §6.2 and §6.7.
type ptyReq struct {
	Term               string
	Cols, Rows, PW, PH uint32
	Modes              string
}

type windowChange struct{ Cols, Rows, PW, PH uint32 }

// clampWindow cuts the window a pty-req or window-change asks for to MaxCols×MaxRows before
// the program sees it, and reports what was asked when it had to. A payload that does not
// parse is left for the library to refuse.
func clampWindow(req *gossh.Request) (cols, rows uint32, clamped bool) {
	clamp := func(c, r *uint32) {
		cols, rows = *c, *r
		if *c > MaxCols {
			*c, clamped = MaxCols, true
		}
		if *r > MaxRows {
			*r, clamped = MaxRows, true
		}
	}
	switch req.Type {
	case "pty-req":
		var p ptyReq
		if gossh.Unmarshal(req.Payload, &p) != nil {
			return 0, 0, false
		}
		clamp(&p.Cols, &p.Rows)
		if clamped {
			req.Payload = gossh.Marshal(p)
		}
	case "window-change":
		var p windowChange
		if gossh.Unmarshal(req.Payload, &p) != nil {
			return 0, 0, false
		}
		clamp(&p.Cols, &p.Rows)
		if clamped {
			req.Payload = gossh.Marshal(p)
		}
	}
	return cols, rows, clamped
}
