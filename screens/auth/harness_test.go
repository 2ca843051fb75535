package auth_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/config/xdgtest"
	"github.com/byova/byova/screens/auth"
	"github.com/byova/byova/session"
	"github.com/byova/byova/signin"
	"github.com/byova/byova/tui"
	"github.com/byova/byova/ui/common"
	fixture "github.com/byova/byova/ui/uitest"
)

// isolate points every XDG folder at a temporary one, so nothing a test signs in to reaches
// the real config or token store.
func isolate(t *testing.T) string {
	t.Helper()
	dir := xdgtest.Isolate(t)
	return dir
}

// startFake serves webexfake on 127.0.0.1.
func startFake(t *testing.T) *webexfake.Server {
	t.Helper()
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fake.Close() })
	return fake
}

// newSession is a session on baseURL with its files in dir; edit adjusts the settings.
func newSession(t *testing.T, dir, baseURL string, edit func(*config.Settings)) *session.Session {
	t.Helper()
	st := config.Settings{Profile: "default", BaseURL: baseURL, Source: map[string]string{}}
	if edit != nil {
		edit(&st)
	}
	s, err := session.New(st, config.NewStore(filepath.Join(dir, "tokens.json")), nil)
	if err != nil {
		t.Fatal(err)
	}
	s.ConfigPath = filepath.Join(dir, "config.toml")
	s.AuditPath = filepath.Join(dir, "audit.log")
	return s
}

// freeRedirect is a loopback redirect URI on a port nothing listens on (5 digits, so views
// with the port in them can be compared after replacing it).
func freeRedirect(t *testing.T) (uri, port string) {
	t.Helper()
	for range 20 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port = strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
		ln.Close()
		if len(port) == 5 {
			return "http://127.0.0.1:" + port + "/callback", port
		}
	}
	t.Fatal("no free 5-digit port")
	return "", ""
}

// envs builds a getenv from pairs.
func envs(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// browserFollows is the person's browser: it opens the authorize URL and follows Webex's
// redirect to byova's listener.
func browserFollows(t *testing.T, rewrite func(string) string) func(string) error {
	return func(u string) error {
		if rewrite != nil {
			u = rewrite(u)
		}
		go func() {
			resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(u)
			if err != nil {
				t.Logf("browser: %v", err)
				return
			}
			resp.Body.Close()
		}()
		return nil
	}
}

// redirectOf asks the fake's /authorize (without following) and returns where it sends the
// browser: the address a person would paste.
func redirectOf(t *testing.T, authorizeURL string) string {
	t.Helper()
	cl := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Get(authorizeURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize answered %d", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

// journey is the whole terminal UI run by teatest against a fake Webex (uitest.Program).
type journey struct {
	*fixture.Program[*tui.Model]
	t      *testing.T
	frames []string // every screen looked at, for the secrets check
}

func startJourney(t *testing.T, s *session.Session, env signin.Env, w, h int) *journey {
	t.Helper()
	o := tui.Options{Session: s, NoColor: true}
	m := tui.New(o)
	m.Screen(tui.ScreenAuth).(*auth.Screen).SetEnv(env)
	p := fixture.StartProgram(t, m, w, h, tui.ProgramOptions(context.Background(), o)...)
	j := &journey{Program: p, t: t}
	p.Seen = func(s string) { j.frames = append(j.frames, s) }
	return j
}

func (j *journey) inspect(fn func(*tui.Model)) { j.t.Helper(); j.Inspect(fn) }

func (j *journey) screen() string { return j.Screen() }

func (j *journey) waitText(want ...string) string {
	j.t.Helper()
	return j.WaitText(want...)
}

// idle waits until every command has answered.
func (j *journey) idle() { j.t.Helper(); j.Settle() }

func (j *journey) press(keys ...string) { j.Press(keys...) }

func (j *journey) typeText(s string) { j.TypeText(s) }

func (j *journey) paste(s string) { j.TM.Send(tea.PasteMsg{Content: s}) }

// quit waits for the requests in flight (they write to the test's folders), then ends the
// program.
func (j *journey) quit() []byte {
	j.t.Helper()
	j.idle()
	return j.Quit()
}

// driver runs the root model with uitest.Driver for golden views: commands run, their
// messages go back through Update, timers are dropped, and each step returns once every
// command has answered.
type driver struct {
	*fixture.Driver
	t testing.TB
	m *tui.Model
}

func newDriver(t testing.TB, s *session.Session, env signin.Env, w, h int) *driver {
	t.Helper()
	m := tui.New(tui.Options{Session: s, NoColor: true})
	m.Common().Clock = fixture.Clock
	m.Screen(tui.ScreenAuth).(*auth.Screen).SetEnv(env)
	d := &driver{t: t, m: m}
	d.Driver = fixture.NewDriver(t, func(msg tea.Msg) tea.Cmd { _, cmd := m.Update(msg); return cmd })
	d.update(tea.WindowSizeMsg{Width: w, Height: h})
	d.Launch(m.Init())
	d.settle()
	return d
}

func (d *driver) update(msg tea.Msg) { d.Send(msg) }

func (d *driver) settle() { d.t.Helper(); d.Settle() }

func (d *driver) press(keys ...string) { d.t.Helper(); d.Press(keys...) }

func (d *driver) typeText(text string) { d.t.Helper(); d.TypeText(text) }

func (d *driver) frame() string {
	d.update(common.FrameDrawnMsg{})
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.Ascii}
	_, _ = w.WriteString(d.m.View().Content)
	return b.String()
}

func (d *driver) plain() string {
	d.update(common.FrameDrawnMsg{})
	return ansi.Strip(d.m.View().Content)
}

func (d *driver) checkFits() {
	d.t.Helper()
	lines := strings.Split(d.m.View().Content, "\n")
	w, h := d.m.Common().Width, d.m.Common().Height
	if len(lines) > h {
		d.t.Errorf("%d lines for a %d-line terminal", len(lines), h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			d.t.Errorf("line %d is %d wide (terminal %d): %q", i, lw, w, ansi.Strip(l))
		}
	}
}

// stored reads the token store of s.
func stored(t *testing.T, s *session.Session) *config.ProfileSecrets {
	t.Helper()
	toks, err := s.Store.Load()
	if err != nil {
		t.Fatal(err)
	}
	return toks.Profile(s.Profile())
}

// settingsFile reads config.toml of s.
func settingsFile(t *testing.T, s *session.Session) string {
	t.Helper()
	b, err := os.ReadFile(s.ConfigPath)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(b)
}
