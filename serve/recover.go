package serve

import (
	"fmt"
	"runtime/debug"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
)

// recoverSession is the outermost middleware: a panic in one session's handlers is logged
// with who was on it, that session is told and closed, and serve goes on.
func (s *Server) recoverSession(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		defer func() {
			if r := recover(); r != nil {
				s.logPanic(sess.PublicKey(), "handler", r)
				fmt.Fprint(sess.Stderr(), "\r\nbyova serve: this console hit an internal error (logged for the operator); session closed\r\n")
				_ = sess.Exit(1)
				_ = sess.Close()
			}
		}()
		next(sess)
	}
}

func (s *Server) logPanic(key ssh.PublicKey, where string, r any) {
	u, _ := s.users.Lookup(key)
	s.log.Error("ssh session panic", "event", "ssh_session", "result", "panic", "in", where,
		"user", u.Name, "fingerprint", u.Fingerprint, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
}

// guarded is a console's model with its panics caught where Bubble Tea would print them on
// serve's stderr: in Update, View and the commands they return, the panic is logged like a
// handler's and the console quits, saying why.
type guarded struct {
	tea.Model
	s  *Server
	st *seat
}

// panicMsg ends the console after a command panicked.
type panicMsg struct{}

func (g guarded) caught(where string, r any) {
	g.st.panicked.Store(true)
	g.s.logPanic(g.st.key, where, r)
}

func (g guarded) Init() (cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			g.caught("init", r)
			cmd = tea.Quit
		}
	}()
	return g.wrap(g.Model.Init())
}

func (g guarded) Update(msg tea.Msg) (m tea.Model, cmd tea.Cmd) {
	if _, ok := msg.(panicMsg); ok {
		return g, tea.Quit
	}
	defer func() {
		if r := recover(); r != nil {
			g.caught("update", r)
			m, cmd = g, tea.Quit
		}
	}()
	next, cmd := g.Model.Update(msg)
	g.Model = next
	return g, g.wrap(cmd)
}

func (g guarded) View() (v tea.View) {
	defer func() {
		if r := recover(); r != nil {
			g.caught("view", r)
			v = tea.NewView("")
			go g.st.program.Quit() // not from inside the renderer
		}
	}()
	return g.Model.View()
}

// wrap catches a command's panic, and those of the commands a batch it returns holds.
func (g guarded) wrap(c tea.Cmd) tea.Cmd {
	if c == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				g.caught("command", r)
				msg = panicMsg{}
			}
		}()
		msg = c()
		if b, ok := msg.(tea.BatchMsg); ok {
			out := make(tea.BatchMsg, len(b))
			for i, c := range b {
				out[i] = g.wrap(c)
			}
			return out
		}
		return msg
	}
}
