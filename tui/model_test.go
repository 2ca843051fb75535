package tui

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/api"
	"github.com/byova/byova/ui/common"
	fixture "github.com/byova/byova/ui/uitest"
)

func errorMsg400() common.ErrorMsg {
	return common.ErrorMsg{Op: "registering the data source", Err: &api.Error{Status: 400, Method: "POST", Path: "/v1/dataSources",
		Message: "url must be in the Service App's valid domains", TrackingID: "ROUTER_65A1B2C3"}}
}

// bare is the root model without a session, sized, for key tests that need no Webex.
func bare(t *testing.T, w, h int) *Model {
	t.Helper()
	m := newWith(context.Background(), Options{NoColor: true}, fixture.Clock)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

func hit(m *Model, k string) tea.Cmd {
	_, cmd := m.Update(fixture.Key(k))
	return cmd
}

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

func plain(m *Model) string { return ansi.Strip(m.View().Content) }

func TestQuitKeys(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		if !isQuit(hit(bare(t, 100, 30), k)) {
			t.Errorf("%s must quit", k)
		}
	}
	m := bare(t, 100, 30)
	hit(m, "/") // no rows: the filter does not open; open the help instead
	hit(m, "?")
	hit(m, "/")
	if isQuit(hit(m, "q")) {
		t.Error("q typed into the help filter must not quit")
	}
	if !isQuit(hit(m, "ctrl+c")) {
		t.Error("ctrl+c quits even while typing")
	}
	// In the help without the filter's focus, q quits, as the README says (issue 19, item 16).
	m = bare(t, 100, 30)
	hit(m, "?")
	if !isQuit(hit(m, "q")) {
		t.Error("q in the help quits unless the filter has focus")
	}
}

func TestScreenSwitching(t *testing.T) {
	m := bare(t, 100, 30)
	steps := []struct {
		key  string
		want int
	}{{"2", 1}, {"3", 2}, {"4", 3}, {"1", 0}, {"tab", 1}, {"tab", 2}, {"shift+tab", 1}, {"shift+tab", 0}, {"shift+tab", 4}, {"tab", 0}, {"5", 4}, {"1", 0}, {"o", 3}}
	for _, st := range steps {
		hit(m, st.key)
		if m.active != st.want {
			t.Fatalf("after %s: screen %d, want %d", st.key, m.active, st.want)
		}
	}
	if !strings.Contains(plain(m), "[4 Auth & orgs]") || !strings.Contains(plain(m), "Switch org or profile") {
		t.Fatalf("o opens the org/profile picker on the auth & orgs screen:\n%s", plain(m))
	}
}

func TestGlobalKeysWaitWhileCapturing(t *testing.T) {
	srv := fixture.NewServer()
	defer srv.Close()
	d := newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), NoColor: true}, 100, 30)
	d.press("/", "2", "q", "?")
	if d.m.active != 0 || d.m.helpView != nil {
		t.Fatal("keys typed into the filter must not switch screens, quit or open help")
	}
	d.mustShow("/ 2q?")
}

func TestHelp(t *testing.T) {
	m := bare(t, 100, 30)
	hit(m, "?")
	if m.helpView == nil {
		t.Fatal("? opens help")
	}
	p := plain(m)
	for _, w := range []string{"Data sources", "extend token", "Global", "auth & orgs", "quit"} {
		if !strings.Contains(p, w) {
			t.Errorf("help lacks %q", w)
		}
	}
	hit(m, "/")
	for _, k := range fixture.Type("delete") {
		m.Update(k)
	}
	p = plain(m)
	if !strings.Contains(p, "delete") || strings.Contains(p, "extend token") {
		t.Fatalf("help filter:\n%s", p)
	}
	hit(m, "esc")
	if m.helpView == nil || m.helpView.filter.Value() != "" {
		t.Fatal("esc clears the help filter first")
	}
	hit(m, "esc")
	if m.helpView != nil {
		t.Fatal("esc closes help")
	}
	hit(m, "?")
	hit(m, "?")
	if m.helpView != nil {
		t.Fatal("? closes help too")
	}
}

func TestBanner(t *testing.T) {
	m := bare(t, 100, 30)
	_, h := m.bodySize()
	m.Update(errorMsg400())
	p := plain(m)
	for _, w := range []string{"✗ Registering the data source failed: url must be in the Service App's valid domains", "trackingId ROUTER_65A1B2C3", "esc dismiss"} {
		if !strings.Contains(p, w) {
			t.Fatalf("banner lacks %q:\n%s", w, p)
		}
	}
	if _, h2 := m.bodySize(); h2 >= h {
		t.Fatal("the banner takes room from the body")
	}
	msgs := runAll(hit(m, "y"))
	var clip string
	for _, msg := range msgs {
		if strings.Contains(fmt.Sprintf("%T", msg), "setClipboardMsg") {
			clip = fmt.Sprint(msg)
		}
	}
	if !strings.Contains(clip, "ROUTER_65A1B2C3") || !strings.Contains(clip, "valid domains") {
		t.Fatalf("y copies the error with its trackingId, got %q", clip)
	}
	hit(m, "esc")
	if m.banner != nil || strings.Contains(plain(m), "ROUTER_65A1B2C3") {
		t.Fatal("esc dismisses the banner")
	}
}

func TestNoticeExpires(t *testing.T) {
	m := bare(t, 100, 30)
	now := fixture.Now
	m.c.Clock = func() time.Time { return now }
	m.Update(common.NoticeMsg{Text: "copied ID x"})
	if !strings.Contains(plain(m), "• copied ID x") {
		t.Fatal("notice not shown")
	}
	now = now.Add(4 * time.Second)
	m.Update(common.TickMsg{Time: now})
	if strings.Contains(plain(m), "copied ID x") {
		t.Fatal("notice must go after a few seconds")
	}
}

func TestTooSmall(t *testing.T) {
	m := bare(t, 59, 24)
	if !strings.Contains(plain(m), "terminal too small (need 60x20)") {
		t.Fatalf("too small:\n%s", plain(m))
	}
	if hit(m, "2"); m.active != 0 {
		t.Fatal("keys other than quit do nothing when too small")
	}
	if !isQuit(hit(m, "q")) {
		t.Fatal("q quits when too small")
	}
	for _, size := range [][2]int{{79, 24}, {60, 20}, {80, 24}} {
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		if strings.Contains(plain(m), "too small") {
			t.Fatalf("%dx%d is enough: half a tmux split gets the compact layout", size[0], size[1])
		}
	}
}

func TestSpinnerWhileBusy(t *testing.T) {
	m := bare(t, 100, 30)
	env := m.c.Begin("loading data sources")
	cmd := m.afterUpdate(nil)
	if cmd == nil || !m.spinning {
		t.Fatal("a request in flight starts the spinner")
	}
	if !strings.Contains(plain(m), "loading data sources…") {
		t.Fatalf("the header says what is in flight:\n%s", plain(m))
	}
	m.Update(common.Reply[struct{}]{Envelope: env})
	if busy, _ := m.c.Busy(); busy || strings.Contains(plain(m), "loading data sources…") {
		t.Fatal("a result ends the request")
	}
}

func TestViewOptions(t *testing.T) {
	m := newWith(context.Background(), Options{AltScreen: true, Mouse: true}, fixture.Clock)
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	v := m.View()
	if !v.AltScreen || v.MouseMode != tea.MouseModeCellMotion {
		t.Fatal("alt screen and mouse follow the options")
	}
	m = bare(t, 100, 30)
	if v := m.View(); v.AltScreen || v.MouseMode != tea.MouseModeNone {
		t.Fatal("no alt screen and no mouse unless asked")
	}
}

func TestHeaderShowsContext(t *testing.T) {
	srv := fixture.NewServer()
	defer srv.Close()
	d := newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", true), Demo: true, NoColor: true}, 120, 40)
	d.mustShow("byova", "DEMO", "READ-ONLY", "profile default", "org "+fixture.Org, "token 45m", "[1 Data sources]")
	now := fixture.Now.Add(41 * time.Minute)
	d.m.c.Clock = func() time.Time { return now }
	d.mustShow("token ! 4m00s left")
	now = fixture.Now.Add(46 * time.Minute)
	d.mustShow("token ✗ expired")
}

func runAll(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, runAll(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// TestMalformedAnswers: odd but readable data sources show with what is known; an unreadable
// list shows a failure state. Nothing panics.
func TestMalformedAnswers(t *testing.T) {
	var list string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/dataSources/schemas":
			_, _ = io.WriteString(w, `{"items":[{"id":5}]}`)
		case "/v1/dataSources":
			_, _ = io.WriteString(w, list)
		case "/v1/dataSources/a":
			_, _ = io.WriteString(w, `{"id":"a","jwsToken":"not.a.jws","status":"weird"}`)
		default:
			w.WriteHeader(404)
		}
	}))
	defer srv.Close()

	list = `{"items":[{"id":"a","schemaId":["5397013b-7920-4ffc-807c-e8a3e0a18f43"],"tokenLifetimeMinutes":"60","jwsToken":"not.a.jws","status":"weird"},{"id":"b"},{}]}`
	d := newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), NoColor: true}, 100, 30)
	d.mustShow("Data sources 3", "? weird", "? unknown", "5397013b…")
	d.press("/")
	d.typeText("weird")
	d.press("enter", "enter")
	d.mustShow("Data source a", "problem")
	d.checkFits()
	d.press("esc", "esc", "x") // extend cannot work without audience and url: it says so
	d.mustShow("Extending the token failed", "is unknown")

	list = `{"items":"not a list"}`
	d = newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), NoColor: true}, 100, 30)
	d.mustShow("Could not load the data sources.", "not the JSON expected", "Press r to retry.")

	list = `<html>502 Bad Gateway</html>`
	d = newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), NoColor: true}, 100, 30)
	d.mustShow("Could not load the data sources.")
}

func TestMouseWheelScrolls(t *testing.T) {
	srv := fixture.NewServer()
	defer srv.Close()
	srv.SetSpecs(fixture.ManySpecs(100))
	d := newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), NoColor: true, Mouse: true}, 100, 30)
	d.update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	d.mustShow("4/100")
	d.update(tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	d.mustShow("1/100")

	d = newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), NoColor: true}, 100, 30)
	d.update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	d.mustShow("1/100") // mouse off unless --mouse
}
