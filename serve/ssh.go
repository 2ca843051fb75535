package serve

import (
	"fmt"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	bm "charm.land/wish/v2/bubbletea"

	"github.com/byova/byova/tui"
)

// seat is one open console session.
type seat struct {
	user      User
	program   *tea.Program
	lastInput atomic.Int64 // unix nanoseconds of the last key, mouse or paste
	size      atomic.Int64 // the window the program was last given: cols<<32 | rows
	idled     atomic.Bool
	panicked  atomic.Bool
	key       ssh.PublicKey
	done      chan struct{}
}

func (s *Server) newSSH() (*ssh.Server, error) {
	srv, err := wish.NewServer(
		func(srv *ssh.Server) error {
			srv.HostSigners = []ssh.Signer{s.hostKey}
			srv.ServerConfigCallback = s.serverConfig
			return nil
		},
		wish.WithVersion("byova"),
		// Public keys only: with no password or keyboard-interactive handler those methods are
		// not offered at all.
		wish.WithPublicKeyAuth(s.authKey),
		wish.WithMiddleware(s.middleware()...),
	)
	if err != nil {
		return nil, fmt.Errorf("SSH console: %w", err)
	}
	srv.HandshakeTimeout = 10 * time.Second
	srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.sessionChannel}
	srv.ConnCallback = s.accept
	// The console is the only thing served: a shell request on a terminal opens it; exec,
	// subsystems (sftp) and a shell without a terminal are refused before any handler runs.
	// Port forwarding stays off (no callbacks), and the agent request is never used.
	srv.SessionRequestCallback = func(sess ssh.Session, kind string) bool {
		_, _, hasPty := sess.Pty()
		ok := kind == "shell" && hasPty && sess.RawCommand() == ""
		if !ok {
			u, _ := s.users.Lookup(sess.PublicKey())
			s.log.Warn("ssh request refused", "event", "ssh_refused", "request", kind, "pty", hasPty,
				"user", u.Name, "fingerprint", u.Fingerprint, "remote", sess.RemoteAddr().String())
		}
		return ok
	}
	return srv, nil
}

// middleware is the session chain, innermost first: say why the console ended, run it,
// seat the user; a panic anywhere in it ends only that session.
func (s *Server) middleware() []wish.Middleware {
	mw := []wish.Middleware{s.afterProgram, bm.MiddlewareWithProgramHandler(s.program)}
	if s.o.inject != nil {
		mw = append(mw, s.o.inject)
	}
	return append(mw, s.gate, s.recoverSession)
}

// gate runs first for every session: it names the user, enforces max_sessions and shutdown,
// and keeps the session gauge.
func (s *Server) gate(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		u, ok := s.users.Lookup(sess.PublicKey())
		if !ok { // cannot happen after authKey; refuse rather than trust it
			wish.Fatalln(sess, "byova serve: this key is not allowed")
			return
		}
		if s.stopping.Load() {
			wish.Fatalln(sess, "byova serve: server stopping")
			return
		}
		st := &seat{user: u, key: sess.PublicKey(), done: make(chan struct{})}
		if !s.take(sess, st) {
			s.log.Warn("ssh session refused", "event", "ssh_session", "result", "full", "user", u.Name, "max", s.o.Settings.MaxSessions)
			wish.Fatalln(sess, fmt.Sprintf("byova serve: all %d console seats are taken; try again later", s.o.Settings.MaxSessions))
			return
		}
		defer s.leave(sess, st)
		if c := connOf(sess.Context()); c != nil {
			c.consoleOpened()
			defer c.consoleClosed()
		}
		s.metrics.SSHSessions().Inc()
		defer s.metrics.SSHSessions().Dec()
		s.log.Info("ssh session", "event", "ssh_session", "result", "open", "user", u.Name, "role", u.Role,
			"fingerprint", u.Fingerprint, "remote", sess.RemoteAddr().String())
		next(sess)
		s.log.Info("ssh session", "event", "ssh_session", "result", "closed", "user", u.Name, "fingerprint", u.Fingerprint)
	}
}

// take reserves a seat unless max_sessions are open.
func (s *Server) take(sess ssh.Session, st *seat) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.seats) >= s.o.Settings.MaxSessions {
		return false
	}
	s.seats[sess] = st
	s.sessions.Add(1)
	return true
}

func (s *Server) leave(sess ssh.Session, st *seat) {
	s.mu.Lock()
	delete(s.seats, sess)
	s.mu.Unlock()
	close(st.done)
	s.sessions.Done()
}

func (s *Server) seatOf(sess ssh.Session) *seat {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seats[sess]
}

// program is one TUI per session, on a session value of its own: an org switch, the
// read-only flag and the audit actor are this user's alone.
func (s *Server) program(sess ssh.Session) *tea.Program {
	st := s.seatOf(sess)
	if st == nil {
		return nil
	}
	ss := s.o.Session.Clone()
	ss.Actor, ss.ActorKey, ss.Role = st.user.Name, st.user.Fingerprint, st.user.Role
	if st.user.ReadOnly() {
		ss.Settings.ReadOnly = true
	}
	if s.health != nil { // the header's READ-ONLY follows the shared store's outage
		ss.Outage = s.health.Err
	}
	// The role takes effect in the session's HTTP client: a viewer's refuses writes to Webex.
	if err := ss.SetHTTPClient(ss.HTTP); err != nil {
		s.log.Error("ssh session", "event", "ssh_session", "result", "error", "user", st.user.Name, "error", err.Error())
		return nil
	}
	o := tui.Options{Session: ss, AltScreen: true, Logger: s.o.TUILog, User: st.user.Label(), Keys: s.o.Keys}
	o.EndpointRoots = s.o.ProbeRoots // p and c in a console trust what the prober trusts
	opts := append(tui.ProgramOptions(sess.Context(), o), bm.MakeOptions(sess)...)
	// The process's SIGINT/SIGTERM belong to serve's shutdown, which tells each console why it
	// ends; a program catching them itself would close its session first, without a word.
	opts = append(opts, tea.WithoutSignalHandler())
	st.lastInput.Store(s.now().UnixNano())
	opts = append(opts, tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
		switch m := msg.(type) {
		case tea.KeyPressMsg, tea.MouseClickMsg, tea.MouseWheelMsg, tea.PasteMsg:
			st.lastInput.Store(s.now().UnixNano())
		case tea.SuspendMsg: // there is no shell to suspend to
			return tea.ResumeMsg{}
		case tea.WindowSizeMsg:
			st.size.Store(int64(m.Width)<<32 | int64(m.Height))
		}
		return msg
	}))
	var m tea.Model = tui.New(o)
	if s.o.newModel != nil {
		m = s.o.newModel(o)
	}
	p := tea.NewProgram(guarded{Model: m, s: s, st: st}, opts...)
	st.program = p
	go s.watchIdle(st)
	return p
}

// watchIdle closes the console after idle_timeout without a key press. Output does not count:
// the TUI's countdowns redraw on their own, which would keep a connection-level timer alive.
func (s *Server) watchIdle(st *seat) {
	idle := s.o.Settings.IdleTimeout
	tick := s.idleTick
	if tick <= 0 {
		tick = min(max(idle/4, time.Second), 30*time.Second)
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-st.done:
			return
		case <-t.C:
			if s.now().Sub(time.Unix(0, st.lastInput.Load())) >= idle {
				st.idled.Store(true)
				s.log.Info("ssh session idle", "event", "ssh_session", "result", "idle", "user", st.user.Name, "after", idle.String())
				st.program.Quit()
				return
			}
		}
	}
}

// afterProgram runs once the TUI has left the screen, to say why the session ends.
func (s *Server) afterProgram(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		st := s.seatOf(sess)
		switch {
		case s.stopping.Load():
			fmt.Fprint(sess, "\r\nbyova serve: server stopping\r\n")
		case st != nil && st.panicked.Load():
			fmt.Fprint(sess, "\r\nbyova serve: this console hit an internal error (logged for the operator); session closed\r\n")
		case st != nil && st.idled.Load():
			fmt.Fprintf(sess, "\r\nbyova serve: no key pressed for %s; session closed\r\n", s.o.Settings.IdleTimeout)
		}
		next(sess)
	}
}

// quitAll asks every console to close (shutdown).
func (s *Server) quitAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.seats {
		if st.program != nil {
			st.program.Quit()
		}
	}
}
