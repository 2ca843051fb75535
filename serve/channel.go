package serve

import (
	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
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
	ssh.DefaultSessionHandler(srv, conn, filteredChannel{NewChannel: nc, s: s, ctx: ctx}, ctx)
}

// syncReq is handed to the library between a forwarded request and a refusal: the library
// takes the next request only after answering the last, and SSH wants answers in order.
// Without WantReply its Reply is a no-op.
var syncReq = &gossh.Request{Type: "byova-sync@byova"}

// filter forwards the console's requests and refuses the rest, in order.
func (s *Server) filter(ctx ssh.Context, ch gossh.Channel, in <-chan *gossh.Request, out chan<- *gossh.Request) {
	defer close(out)
	forwarded := false
	for req := range in {
		if consoleRequests[req.Type] {
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
