package serve

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	gossh "golang.org/x/crypto/ssh"

	"github.com/byova/byova/config"
	"github.com/byova/byova/keeper"
	"github.com/byova/byova/metrics"
	"github.com/byova/byova/receiver"
	"github.com/byova/byova/session"
	"github.com/byova/byova/tui"
)

// ShutdownGrace is how long shutdown waits for consoles to close and writes in flight to finish.
const ShutdownGrace = 30 * time.Second

// Options configure a Server.
type Options struct {
	// Session is the profile served. Its HTTP client is replaced by one that counts Webex
	// calls for /metrics; every SSH session works on a Clone of it.
	Session  *session.Session
	Settings config.ServeSettings // SSHAddr, HTTPAddr: flags already applied; "" = off
	DataDir  string               // the serve lock and the SSH host key
	// WebhookSecret turns the webhook receiver on at Settings.WebhooksPath; "" leaves it off.
	WebhookSecret string
	Out           io.Writer    // the receiver's JSON lines; default discards
	Log           *slog.Logger // JSON lines: keeper actions, SSH sessions; default discards
	TUILog        *slog.Logger // the consoles' debug log; default discards
	Keys          *tui.KeyMap  // the consoles' keys ([keys] in config.toml); nil: the defaults
	Now           func() time.Time
	// ConsoleWait closes a connection that has no console open for this long; 0 is
	// ConsoleWait, the handshake limit (tests shorten it).
	ConsoleWait time.Duration
	// ManualKeeper leaves the keeper and the prober to the caller (tests call
	// Keeper().RunOnce, Prober().RunOnce).
	ManualKeeper bool
	// Leader is the keeper election of a shared store ([serve.store] backend = "etcd"): the
	// keeper runs only while this replica leads. nil: it always runs.
	Leader keeper.Leader
	// ProbeRoots are the CAs the endpoint prober trusts; nil: the system roots.
	ProbeRoots *x509.CertPool

	inject   wish.Middleware             // tests: runs between the program and the gate
	newModel func(tui.Options) tea.Model // tests: the console's model in place of tui.New's
}

// Server is one `byova serve`.
type Server struct {
	o        Options
	log      *slog.Logger
	metrics  *metrics.Metrics
	keeper   *keeper.Keeper
	prober   *Prober // probe.go; nil when off
	users    *Users
	hostKey  gossh.Signer
	newKey   bool
	webhooks *receiver.Handler
	health   *storeHealth // nil with the file store (storehealth.go)
	writes   *writes
	unlock   func()

	sshSrv  *ssh.Server
	httpSrv *http.Server
	sshLn   net.Listener
	httpLn  net.Listener

	idleTick time.Duration // how often idleness is checked; tests shorten it and move the clock
	conns    conns

	stopping atomic.Bool
	mu       sync.Mutex // guards seats
	seats    map[ssh.Session]*seat
	sessions sync.WaitGroup

	shutOnce   sync.Once
	shutErr    error
	stopKeeper context.CancelFunc
	keeperDone chan struct{}
	served     sync.WaitGroup
}

// New takes the data folder's lock and prepares everything that can fail before listening:
// users and their keys, the host key, the keeper.
func New(o Options) (*Server, error) {
	if o.Session == nil {
		return nil, errors.New("serve: no session")
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.TUILog == nil {
		o.TUILog = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Settings.MaxSessions <= 0 {
		o.Settings.MaxSessions = config.DefaultMaxSessions
	}
	if o.ConsoleWait <= 0 {
		o.ConsoleWait = ConsoleWait
	}
	if o.Settings.MaxPerKey <= 0 {
		o.Settings.MaxPerKey = config.DefaultMaxPerKey
	}
	if o.Settings.IdleTimeout <= 0 {
		o.Settings.IdleTimeout = config.DefaultIdleTimeout
	}
	unlock, err := lockDataDir(o.DataDir)
	if err != nil {
		return nil, err
	}
	// Run and Shutdown both release the lock after a failed Start: once is enough.
	s := &Server{o: o, log: o.Log, metrics: metrics.New(), unlock: sync.OnceFunc(unlock), seats: map[ssh.Session]*seat{},
		conns: conns{perKey: map[string]int{}}}
	s.metrics.PerSource(o.Settings.MetricsPerSource)
	fail := func(err error) (*Server, error) {
		unlock()
		return nil, err
	}
	base := http.DefaultTransport
	if o.Session.HTTP != nil && o.Session.HTTP.Transport != nil {
		base = o.Session.HTTP.Transport
	}
	var rt http.RoundTripper = s.metrics.Transport(base)
	if o.Leader != nil && o.Session.Store != nil {
		s.health = newStoreHealth(o.Session.Store)
		s.health.changed = s.tellConsoles
		rt = s.health.refuseWrites(rt)
	}
	s.writes = newWrites(rt)
	if err := o.Session.SetHTTPClient(&http.Client{Transport: s.writes}); err != nil {
		return fail(err)
	}
	s.keeper, err = keeper.New(keeper.Options{Session: o.Session, Interval: o.Settings.KeepInterval,
		Within: o.Settings.KeepWithin, DryRun: o.Settings.KeepDryRun, Log: o.Log, Observer: s.metrics, Now: o.Now, Leader: o.Leader})
	if err != nil {
		return fail(err)
	}
	s.prober = newProber(o, s.metrics)
	if o.Settings.SSHAddr != "" {
		if s.users, err = LoadUsers(o.Settings.Users); err != nil {
			return fail(err)
		}
		if s.users.Len() == 0 {
			return fail(errors.New("the SSH console has no users: add [serve.users.NAME] with role and keys to config.toml, or leave out --ssh-addr"))
		}
		if s.hostKey, s.newKey, err = hostKeyFor(o.Session.Store, o.DataDir); err != nil {
			return fail(err)
		}
		if s.sshSrv, err = s.newSSH(); err != nil {
			return fail(err)
		}
	}
	if o.WebhookSecret != "" {
		rs := o.Session.Clone()
		rs.Actor = "webhook"
		s.webhooks = &receiver.Handler{Session: rs, Secret: o.WebhookSecret, Path: o.Settings.WebhooksPath, Out: o.Out}
	}
	return s, nil
}

func (s *Server) now() time.Time { return s.o.Now() }

// Leader is the keeper's election (nil with one serve).
func (s *Server) Leader() keeper.Leader { return s.o.Leader }

// StorePath names the token store.
func (s *Server) StorePath() string {
	if s.o.Session.Store == nil {
		return ""
	}
	return s.o.Session.Store.Path()
}

// Keeper is the server's token keeper.
func (s *Server) Keeper() *keeper.Keeper { return s.keeper }

// Metrics is serve's metrics registry: the etcd store adds its own series to it.
func (s *Server) Metrics() *metrics.Metrics { return s.metrics }

// HostKeyFingerprint is the SSH host key's SHA256 fingerprint ("" without the console), and
// whether the key was made on this start.
func (s *Server) HostKeyFingerprint() (string, bool) {
	if s.hostKey == nil {
		return "", false
	}
	return gossh.FingerprintSHA256(s.hostKey.PublicKey()), s.newKey
}

// Start listens on the configured addresses and starts serving and the keeper.
func (s *Server) Start() error {
	var err error
	if s.o.Settings.HTTPAddr != "" {
		if s.httpLn, err = net.Listen("tcp", s.o.Settings.HTTPAddr); err != nil {
			s.httpLn = nil
			return fmt.Errorf("listen on --http-addr %s: %w", s.o.Settings.HTTPAddr, err)
		}
		s.httpSrv = newHTTPServer(s.httpHandler())
	}
	if s.sshSrv != nil {
		if s.sshLn, err = net.Listen("tcp", s.o.Settings.SSHAddr); err != nil {
			s.sshLn = nil // a failed Listen's listener is a typed nil: Shutdown must not close it
			if s.httpLn != nil {
				s.httpLn.Close()
			}
			return fmt.Errorf("listen on --ssh-addr %s: %w", s.o.Settings.SSHAddr, err)
		}
	}
	if s.httpLn != nil {
		s.served.Go(func() {
			if err := s.httpSrv.Serve(s.httpLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
				s.log.Error("http server stopped", "event", "http", "error", err.Error())
			}
		})
	}
	if s.sshLn != nil {
		s.served.Go(func() {
			if err := s.sshSrv.Serve(s.sshLn); err != nil && !errors.Is(err, ssh.ErrServerClosed) {
				s.log.Error("ssh server stopped", "event", "ssh", "error", err.Error())
			}
		})
	}
	if s.health != nil {
		s.health.start()
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.stopKeeper, s.keeperDone = cancel, make(chan struct{})
	if s.o.ManualKeeper {
		close(s.keeperDone)
	} else {
		go func() {
			defer close(s.keeperDone)
			s.keeper.Loop(ctx)
		}()
		if s.prober != nil {
			s.served.Go(func() { s.prober.Loop(ctx) })
		}
	}
	return nil
}

// SSHAddr is where the console listens ("" when off).
func (s *Server) SSHAddr() string {
	if s.sshLn == nil {
		return ""
	}
	return s.sshLn.Addr().String()
}

// HTTPAddr is where /metrics and the receiver listen ("" when off).
func (s *Server) HTTPAddr() string {
	if s.httpLn == nil {
		return ""
	}
	return s.httpLn.Addr().String()
}

// Shutdown stops in order: no new sessions; every console gets "server stopping" and closes;
// the keeper starts nothing new and finishes its extends; writes in flight to Webex finish;
// the HTTP server drains and accepted webhook deliveries are acted on; the lock is released.
// ctx bounds the whole.
func (s *Server) Shutdown(ctx context.Context) error {
	s.shutOnce.Do(func() { s.shutErr = s.shutdown(ctx) })
	return s.shutErr
}

func (s *Server) shutdown(ctx context.Context) error {
	s.stopping.Store(true)
	var errs []error
	if s.sshSrv != nil {
		s.quitAll()
		done := make(chan struct{})
		go func() { s.sessions.Wait(); close(done) }()
		select {
		case <-done:
		case <-ctx.Done():
			errs = append(errs, errors.New("consoles did not close in time"))
		}
		errs = append(errs, s.sshSrv.Close())
		// Close tracks only listeners Serve has begun on; if its goroutine has not run yet,
		// closing ours is what ends its Accept. There is none when Start could not listen.
		if s.sshLn != nil {
			if err := s.sshLn.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
				errs = append(errs, err)
			}
		}
	}
	if s.stopKeeper != nil {
		s.stopKeeper()
		select {
		case <-s.keeperDone:
		case <-ctx.Done():
			errs = append(errs, errors.New("the keeper's run did not finish in time"))
		}
	}
	if s.health != nil {
		s.health.close()
	}
	if err := s.writes.wait(ctx); err != nil {
		errs = append(errs, errors.New("writes to Webex still in flight"))
	}
	if s.httpSrv != nil {
		if err := s.httpSrv.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if s.webhooks != nil { // deliveries answered 202 are acted on and logged before exit
		done := make(chan struct{})
		go func() { s.webhooks.Wait(); close(done) }()
		select {
		case <-done:
		case <-ctx.Done():
			errs = append(errs, errors.New("webhook deliveries still in flight"))
		}
	}
	s.served.Wait()
	s.unlock()
	return errors.Join(errs...)
}
