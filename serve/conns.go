package serve

import (
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// handshakeSlots is how many connections may be between TCP accept and a key beyond
// max_sessions: each is closed at the handshake limit, so a scan cannot hold them for long,
// and refusing at a fixed number keeps a flood from sizing serve's memory.
const handshakeSlots = 16

// ConsoleWait is how long a signed-in connection may go without a console (the handshake
// limit): a connection opening none, or none any more, is closed.
const ConsoleWait = 10 * time.Second

// conn is one SSH connection as serve counts it: every TCP connection against
// max_sessions + handshakeSlots, a signed-in one against max_sessions and its key's limit.
type conn struct {
	net.Conn
	s        *Server
	once     sync.Once
	mu       sync.Mutex // guards fp, timer
	fp       string     // the key it holds a slot for ("" before sign-in)
	refused  string     // why it got no slot: said when it opens a channel, then it is closed
	timer    *time.Timer
	consoles atomic.Int32
}

type connKey struct{}

// conns is the server's connection count.
type conns struct {
	mu     sync.Mutex
	open   int            // TCP connections
	signed int            // of them, signed in with a key
	perKey map[string]int // signed-in connections by key fingerprint
}

// accept is the ConnCallback: it counts the connection, refuses it past the limit, and
// arms the no-console timer.
func (s *Server) accept(ctx ssh.Context, nc net.Conn) net.Conn {
	s.conns.mu.Lock()
	if s.conns.open >= s.o.Settings.MaxSessions+handshakeSlots || s.stopping.Load() {
		s.conns.mu.Unlock()
		s.log.Warn("ssh connection refused", "event", "ssh_connection", "result", "full", "remote", nc.RemoteAddr().String())
		return nil
	}
	s.conns.open++
	s.conns.mu.Unlock()
	c := &conn{Conn: nc, s: s}
	ctx.SetValue(connKey{}, c)
	c.arm()
	return c
}

// arm closes the connection after consoleWait unless a console is open by then.
func (c *conn) arm() {
	wait := c.s.o.ConsoleWait
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.timer != nil {
		c.timer.Stop()
	}
	c.timer = time.AfterFunc(wait, func() {
		if c.consoles.Load() == 0 {
			c.s.log.Info("ssh connection closed", "event", "ssh_connection", "result", "no_console", "after", wait.String(),
				"fingerprint", c.key(), "remote", c.RemoteAddr().String())
			_ = c.Close()
		}
	})
}

func (c *conn) key() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fp
}

// signIn takes a signed-in slot for key fp, once per connection; false past max_sessions or
// the key's limit.
func (c *conn) signIn(fp string) (ok bool, why string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fp != "" {
		return true, "" // a second proven key on the same connection: it holds one slot
	}
	c.refused = ""
	n := &c.s.conns
	n.mu.Lock()
	defer n.mu.Unlock()
	switch {
	case n.signed >= c.s.o.Settings.MaxSessions:
		return false, "full"
	case n.perKey[fp] >= c.s.o.Settings.MaxPerKey:
		return false, "per_key"
	}
	n.signed++
	n.perKey[fp]++
	c.fp = fp
	return true, ""
}

func (c *conn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.mu.Lock()
		fp := c.fp
		if c.timer != nil {
			c.timer.Stop()
		}
		c.mu.Unlock()
		n := &c.s.conns
		n.mu.Lock()
		n.open--
		if fp != "" {
			n.signed--
			if n.perKey[fp]--; n.perKey[fp] <= 0 {
				delete(n.perKey, fp)
			}
		}
		n.mu.Unlock()
	})
	return err
}

// connOf is the connection a session or an auth attempt runs on (nil if not counted).
func connOf(ctx ssh.Context) *conn {
	c, _ := ctx.Value(connKey{}).(*conn)
	return c
}

// consoleOpened and consoleClosed keep the connection alive while it has a console; the
// no-console timer starts again when its last one closes.
func (c *conn) consoleOpened() { c.consoles.Add(1) }

func (c *conn) consoleClosed() {
	if c.consoles.Add(-1) == 0 {
		c.arm()
	}
}

// authKey admits a key listed in [serve.users]; the login name is not looked at. It takes no
// slot: x/crypto calls it for a key the client only asks about (no signature), and anyone who
// knows a listed public key can ask, so a slot taken here could be held by a stranger.
func (s *Server) authKey(ctx ssh.Context, key ssh.PublicKey) bool {
	if _, ok := s.users.Lookup(key); !ok {
		s.log.Warn("ssh key refused", "event", "ssh_auth", "result", "refused",
			"fingerprint", gossh.FingerprintSHA256(key), "remote", ctx.RemoteAddr().String())
		return false
	}
	return true
}

// serverConfig gives each connection's handshake the hook that runs once a key is proven.
func (s *Server) serverConfig(ctx ssh.Context) *gossh.ServerConfig {
	return &gossh.ServerConfig{
		VerifiedPublicKeyCallback: func(_ gossh.ConnMetadata, key gossh.PublicKey, perms *gossh.Permissions, _ string) (*gossh.Permissions, error) {
			s.admitKey(ctx, key)
			return perms, nil
		},
	}
}

// admitKey counts a connection whose key has signed (the signature checked) against
// max_sessions and the key's limit.
func (s *Server) admitKey(ctx ssh.Context, key ssh.PublicKey) {
	u, ok := s.users.Lookup(key)
	c := connOf(ctx)
	if !ok || c == nil {
		return // authKey refused it before it could sign; an uncounted connection holds nothing
	}
	if ok, why := c.signIn(u.Fingerprint); !ok {
		limit := s.o.Settings.MaxSessions
		msg := fmt.Sprintf("byova serve: all %d SSH connections (max_sessions) are taken; try again later", limit)
		if why == "per_key" {
			limit = s.o.Settings.MaxPerKey
			msg = fmt.Sprintf("byova serve: %s already has %d SSH connections open with this key (max_connections_per_key); close one first", u.Name, limit)
		}
		s.log.Warn("ssh connection refused", "event", "ssh_connection", "result", why, "max", limit,
			"user", u.Name, "fingerprint", u.Fingerprint, "remote", ctx.RemoteAddr().String())
		// The sign-in stands so the client can be told why: its first channel is rejected with
		// msg and the connection closed (or the no-console timer closes it). It holds no slot.
		c.mu.Lock()
		c.refused = msg
		c.mu.Unlock()
	}
}

// refusal is why the connection got no slot ("" when it has one).
func (c *conn) refusal() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fp != "" {
		return ""
	}
	return c.refused
}
