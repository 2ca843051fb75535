package auth_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/adrg/xdg"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/screens/auth"
	"github.com/byova/byova/session"
	"github.com/byova/byova/tui"
	"github.com/byova/byova/tui/common"
	fixture "github.com/byova/byova/tui/uitest"
)

// isolate points every XDG folder at a temporary one, so nothing a test signs in to reaches
// the real config or token store.
func isolate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, k := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"} {
		t.Setenv(k, filepath.Join(dir, strings.ToLower(k)))
	}
	xdg.Reload()
	t.Cleanup(xdg.Reload)
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

// probed lets a test look at the model from inside the program's loop.
type probed struct{ m *tui.Model }

type probeMsg struct {
	fn   func(*tui.Model)
	done chan struct{}
}

func (p probed) Init() tea.Cmd  { return p.m.Init() }
func (p probed) View() tea.View { return p.m.View() }
func (p probed) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if pm, ok := msg.(probeMsg); ok {
		pm.fn(p.m)
		close(pm.done)
		return p, nil
	}
	_, cmd := p.m.Update(msg)
	return p, cmd
}

// journey is the whole terminal UI run by teatest against a fake Webex.
type journey struct {
	t      *testing.T
	tm     *teatest.TestModel
	frames []string // every screen looked at, for the secrets check
}

func startJourney(t *testing.T, s *session.Session, env auth.Env, w, h int) *journey {
	t.Helper()
	o := tui.Options{Session: s, NoColor: true}
	m := tui.New(o)
	m.Screen(tui.ScreenAuth).(*auth.Screen).SetEnv(env)
	tm := teatest.NewTestModel(t, probed{m}, teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tui.ProgramOptions(context.Background(), o)...))
	j := &journey{t: t, tm: tm}
	t.Cleanup(func() { _ = tm.Quit() })
	return j
}

func (j *journey) inspect(fn func(*tui.Model)) {
	j.t.Helper()
	done := make(chan struct{})
	j.tm.Send(probeMsg{fn: fn, done: done})
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		j.t.Fatal("the program did not answer the probe")
	}
}

func (j *journey) screen() string {
	var s string
	j.inspect(func(m *tui.Model) { s = ansi.Strip(m.View().Content) })
	j.frames = append(j.frames, s)
	return s
}

// waitFor polls the screen until cond holds.
func (j *journey) waitFor(what string, cond func(string) bool) string {
	j.t.Helper()
	return fixture.WaitFor(j.t, what, j.screen, cond)
}

func (j *journey) waitText(want ...string) string {
	j.t.Helper()
	return fixture.WaitText(j.t, j.screen, want...)
}

func (j *journey) idle() {
	j.t.Helper()
	j.waitFor("no request in flight", func(string) bool {
		var busy bool
		j.inspect(func(m *tui.Model) { busy, _ = m.Common().Busy() })
		return !busy
	})
}

func (j *journey) press(keys ...string) {
	for _, k := range keys {
		j.tm.Send(fixture.Key(k))
	}
}

func (j *journey) typeText(s string) { j.tm.Type(s) }

func (j *journey) paste(s string) { j.tm.Send(tea.PasteMsg{Content: s}) }

func (j *journey) quit() []byte {
	j.t.Helper()
	j.press("ctrl+c")
	j.tm.WaitFinished(j.t, teatest.WithFinalTimeout(5*time.Second))
	var b bytes.Buffer
	_, _ = b.ReadFrom(j.tm.FinalOutput(j.t, teatest.WithFinalTimeout(time.Second)))
	return b.Bytes()
}

// driver runs the root model synchronously for golden views: commands run, their messages
// go back through Update, timers are dropped; it returns once nothing more arrives.
type driver struct {
	t  testing.TB
	m  *tui.Model
	ch chan tea.Msg
}

func newDriver(t testing.TB, s *session.Session, env auth.Env, w, h int) *driver {
	t.Helper()
	m := tui.New(tui.Options{Session: s, NoColor: true})
	m.Common().Clock = fixture.Clock
	m.Screen(tui.ScreenAuth).(*auth.Screen).SetEnv(env)
	d := &driver{t: t, m: m, ch: make(chan tea.Msg, 256)}
	d.update(tea.WindowSizeMsg{Width: w, Height: h})
	d.launch(m.Init())
	d.settle()
	return d
}

func (d *driver) launch(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	ch := d.ch
	go func() { ch <- cmd() }()
}

var cmdType = reflect.TypeOf(tea.Cmd(nil))

func (d *driver) update(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range msg {
			d.launch(c)
		}
		return
	case common.TickMsg, spinner.TickMsg:
		return
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
		for i := range v.Len() { // tea.Sequence: in order
			if c := v.Index(i).Interface().(tea.Cmd); c != nil {
				d.update(c())
			}
		}
		return
	}
	_, cmd := d.m.Update(msg)
	d.launch(cmd)
}

func (d *driver) settle() {
	d.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case msg := <-d.ch:
			d.update(msg)
		case <-time.After(40 * time.Millisecond):
			if busy, _ := d.m.Common().Busy(); !busy {
				return
			}
		case <-deadline:
			d.t.Fatalf("requests still in flight after 10s:\n%s", d.plain())
		}
	}
}

func (d *driver) press(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		d.update(fixture.Key(k))
		d.settle()
	}
}

func (d *driver) typeText(text string) {
	d.t.Helper()
	for _, k := range fixture.Type(text) {
		d.update(k)
	}
	d.settle()
}

func (d *driver) frame() string {
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.Ascii}
	_, _ = w.WriteString(d.m.View().Content)
	return b.String()
}

func (d *driver) plain() string { return ansi.Strip(d.m.View().Content) }

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
