package activity

import (
	"time"

	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
	fixture "github.com/byova/byova/ui/uitest"
)

const logText = `{"time":"2026-11-29T10:00:00Z","profile":"default","org":"o1","operation":"datasources.create","id":"ds-1","result":"ok","trackingId":"ROUTER_A1"}
{"time":"2026-11-29T10:05:00Z","profile":"other","org":"o9","operation":"datasources.delete","id":"ds-9","result":"ok","trackingId":"ROUTER_Z9"}
{this is not json
{"time":"2026-11-29T10:10:00Z","profile":"default","org":"o1","operation":"datasources.extend","id":"ds-2","result":"error","trackingId":"ROUTER_B2","error":"\u001b[31mred\u001b]0;title\u0007 url unreachable"}
{"time":"2026-11-29T10:20:00Z","profile":"default","org":"o1","operation":"datasources.extend","id":"ds-3","result":"ok"}
{"time":"2026-11-29T10:30:00Z","profile":"default","org":"o1","operation":"datasources.extend","id":"ds-4","result":"ok","actor":"keeper"}
{"time":"2026-11-29T10:40:00Z","profile":"default","org":"o1","operation":"webhooks.create","id":"wh-5","result":"ok","actor":"alice","actorKey":"SHA256:abc"}
`

func newScreen(t *testing.T, text string) (*Screen, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.log")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	sess := &session.Session{Settings: config.Settings{Profile: "default"}, AuditPath: path}
	c := common.New(context.Background(), sess, styles.New(true), nil, fixture.Clock)
	s := New(c)
	s.SetSize(120, 20)
	feed(s, s.Init())
	return s, path
}

// feed runs cmd and gives the screen its messages; it returns the rest.
func feed(s *Screen, cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	for _, m := range fixture.Run(cmd) {
		if _, ok := m.(readMsg); ok {
			s.Update(m)
			continue
		}
		out = append(out, m)
	}
	return out
}

func TestNewestFirstThisProfileOnly(t *testing.T) {
	s, _ := newScreen(t, logText)
	var ops []string
	for _, i := range s.view {
		ops = append(ops, s.rows[i].id)
	}
	if got := strings.Join(ops, ","); !strings.HasPrefix(got, "wh-5,ds-4,ds-3,ds-2,") || strings.Contains(got, "ds-9") || len(ops) != 6 {
		t.Fatalf("rows %s: newest first, this profile's only, the bad line kept", got)
	}
	v := fixture.View(s)
	for _, want := range []string{"Activity 6", "? bad line", "line 3", "✗ error", "ROUTER_B2", "✓ ok"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(s.View(), "\x1b]0;") || strings.Contains(s.View(), "\a") {
		t.Error("the log's escape sequences reach the terminal raw")
	}
	// At 80 columns the trackingId leaves the table for the line under it.
	s.SetSize(80, 20)
	feed(s, fixture.Press(s, "j", "j", "j"))
	if v := fixture.View(s); strings.Contains(v, "TRACKINGID") || !strings.Contains(v, "trackingId ROUTER_B2  error: ") {
		t.Errorf("80 columns:\n%s", v)
	}
	for _, l := range strings.Split(s.View(), "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("a line is %d wide at 80: %q", w, ansi.Strip(l))
		}
	}
}

func TestMalformedLinesNeverPanic(t *testing.T) {
	for _, text := range []string{"", "\n\n", "null\n", "[]\n", `{"time":"yesterday"}` + "\n", strings.Repeat("x", 70000) + "\n", "\x00\xff\xfe\n"} {
		s, _ := newScreen(t, text)
		_ = s.View()
		feed(s, fixture.Press(s, "j", "y", "/", "x", "enter", "G", "g"))
	}
}

func TestFilterAndCopyTrackingID(t *testing.T) {
	s, _ := newScreen(t, logText)
	feed(s, fixture.Press(s, "/"))
	for _, k := range fixture.Type("extend") {
		s.Update(k)
	}
	feed(s, fixture.Press(s, "enter"))
	if len(s.view) != 3 {
		t.Fatalf("/extend: %d rows, want 3", len(s.view))
	}
	out := feed(s, fixture.Press(s, "j", "y"))
	if n, ok := fixture.Find[common.NoticeMsg](out); !ok || !strings.Contains(n.Text, "has no trackingId") {
		t.Errorf("the newest extend has none: %+v", n)
	}
	out = feed(s, fixture.Press(s, "j", "y"))
	if n, ok := fixture.Find[common.NoticeMsg](out); !ok || !strings.Contains(n.Text, "ROUTER_B2") {
		t.Errorf("y sends the trackingId: %+v", n)
	}
	feed(s, fixture.Press(s, "esc"))
	if len(s.view) != 6 || s.selected().id != "ds-2" {
		t.Errorf("esc clears the filter, keeping the row: %d rows, on %q", len(s.view), s.selected().id)
	}
}

func TestReadsAgainAfterAWrite(t *testing.T) {
	s, path := newScreen(t, logText)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString(`{"time":"2026-11-29T11:00:00Z","profile":"default","operation":"datasources.update","id":"ds-new","result":"ok"}` + "\n")
	_ = f.Close()
	_, cmd := s.Update(common.TickMsg{})
	if cmd != nil {
		t.Fatal("no write ended: the tick reads nothing")
	}
	s.Update(common.RequestEndedMsg{ID: 7})
	_, cmd = s.Update(common.TickMsg{})
	feed(s, cmd)
	if s.selected() == nil || s.rows[s.view[0]].id != "ds-new" {
		t.Fatalf("the new write is on top:\n%s", fixture.View(s))
	}
}

// Who made each write: a column at 80 columns and wider, the detail line, and the filter
// (issue 19, item 8).
func TestActorShownAndFiltered(t *testing.T) {
	s, _ := newScreen(t, logText)
	for _, w := range []int{120, 80} {
		s.SetSize(w, 20)
		v := fixture.View(s)
		for _, want := range []string{"BY", "alice", "keeper", "local", "by alice  org o1  id wh-5"} {
			if !strings.Contains(v, want) {
				t.Errorf("%d columns: view lacks %q:\n%s", w, want, v)
			}
		}
		for _, l := range strings.Split(s.View(), "\n") {
			if lw := ansi.StringWidth(l); lw > w {
				t.Errorf("a line is %d wide at %d: %q", lw, w, ansi.Strip(l))
			}
		}
	}
	feed(s, fixture.Press(s, "/"))
	for _, k := range fixture.Type("keeper") {
		s.Update(k)
	}
	feed(s, fixture.Press(s, "enter"))
	if len(s.view) != 1 || s.selected().id != "ds-4" {
		t.Fatalf("/keeper: %d rows", len(s.view))
	}
	feed(s, fixture.Press(s, "esc", "/"))
	for _, k := range fixture.Type("local") {
		s.Update(k)
	}
	feed(s, fixture.Press(s, "enter"))
	if len(s.view) != 3 {
		t.Fatalf("/local: %d rows, want the three writes with no actor", len(s.view))
	}
}

// The hints name the keys as bound: a rebound dismiss or copy key is the one the screen says.
func TestHintsFollowTheKeyMap(t *testing.T) {
	s, _ := newScreen(t, logText)
	all := len(s.view)
	if err := s.c.Keys.Rebind([]common.Rebinding{{Action: "dismiss", Keys: []string{"ctrl+g"}, Where: "test"}, {Action: "copy", Keys: []string{"ctrl+y"}, Where: "test"}}); err != nil {
		t.Fatal(err)
	}
	fixture.Press(s, "/")
	for _, k := range fixture.Type("no-such-entry") {
		s.Update(k)
	}
	fixture.Press(s, "enter")
	if v := fixture.View(s); !strings.Contains(v, "Press ctrl+g to clear the filter") {
		t.Errorf("the empty filter's hint names another key:\n%s", v)
	}
	hints := map[string]string{}
	for _, b := range s.KeyMap() {
		hints[b.Help().Desc] = b.Help().Key
	}
	if hints["clear filter"] != "ctrl+g" || hints["copy trackingId"] != "ctrl+y" {
		t.Errorf("footer hints %v: want clear filter on ctrl+g, copy trackingId on ctrl+y", hints)
	}
	fixture.Press(s, "ctrl+g")
	if len(s.view) != all {
		t.Errorf("ctrl+g, the dismiss key, clears the filter: %d rows, want %d", len(s.view), all)
	}
}

// A write this console did not see end (serve's keeper, another console or replica) shows
// within a minute: a tick a minute after the last read reads the log again; one sooner
// does not.
func TestReadsAgainAMinuteOn(t *testing.T) {
	s, path := newScreen(t, logText)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString(`{"time":"2026-11-29T11:00:00Z","profile":"default","operation":"datasources.extend","id":"ds-kept","result":"ok","actor":"keeper"}` + "\n")
	_ = f.Close()
	if _, cmd := s.Update(common.TickMsg{Time: fixture.Clock().Add(30 * time.Second)}); cmd != nil {
		t.Fatal("a tick 30 s after the read reads the log again")
	}
	_, cmd := s.Update(common.TickMsg{Time: fixture.Clock().Add(time.Minute)})
	feed(s, cmd)
	if s.selected() == nil || s.rows[s.view[0]].id != "ds-kept" {
		t.Fatalf("the keeper's write is not on top a minute on:\n%s", fixture.View(s))
	}
}
