package schemas

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"

	"github.com/byova/byova/api"
	"github.com/byova/byova/schemacache"
	"github.com/byova/byova/ui/common"
	fixture "github.com/byova/byova/ui/uitest"
)

func TestListShowsEveryColumn(t *testing.T) {
	for _, w := range []int{80, 120} {
		s := newScreen(t, w, 20)
		if cmd := s.Init(); cmd == nil {
			t.Fatal("Init returned no load command")
		}
		if busy, what := s.c.Busy(); !busy || what != "loading schemas" {
			t.Fatalf("busy %v %q", busy, what)
		}
		if !strings.Contains(fixture.View(s), "Loading schemas") {
			t.Fatalf("loading state:\n%s", fixture.View(s))
		}
		loaded(s, schemaList(), true)
		v := fixture.View(s)
		for _, want := range []string{"Schemas 4", "cached 12m ago", "r reloads", "SERVICE TYPE", "PROTOCOL", "APP TYPE", "ID", "CREATED",
			"VoiceVirtualAgentWebSocket", "WebSocket", "integration", "2024-06-11", "1/4"} {
			if !strings.Contains(v, want) {
				t.Errorf("%d wide: list lacks %q:\n%s", w, want, v)
			}
		}
		if w == 120 && (!strings.Contains(v, fixture.SchemaVVA) || !strings.Contains(v, "DESCRIPTION") || !strings.Contains(v, "BYOVA media forking")) {
			t.Errorf("120 wide shows full ids and descriptions:\n%s", v)
		}
		if w == 80 && !strings.Contains(v, "5397013b…") {
			t.Errorf("80 wide shows short ids:\n%s", v)
		}
	}
}

func TestSourceIsShown(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, schemaList(), false)
	if !strings.Contains(fixture.View(s), "from Webex just now") {
		t.Fatalf("a fresh list says so:\n%s", fixture.View(s))
	}
	s.load(true)
	_, cmd := s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{res: schemacache.Result{Items: schemaList(), FetchedAt: fixture.Now.Add(-3 * time.Hour), FromCache: true, Stale: true}}, &api.Error{Status: 503, Message: "try later", TrackingID: "ROUTER_503"}))
	if v := fixture.View(s); !strings.Contains(v, "! cached 3h ago, Webex failed") {
		t.Fatalf("a stale list says so:\n%s", v)
	}
	if em, ok := fixture.Find[common.ErrorMsg](fixture.Run(cmd)); !ok || api.TrackingIDOf(em.Err) != "ROUTER_503" || !strings.Contains(em.Op, "showing the list cached 3h ago") {
		t.Fatalf("the banner says the list is old: %#v", em)
	}
}

func TestStaleLoadIsDropped(t *testing.T) {
	s := newScreen(t, 100, 20)
	s.load(false)
	first := s.c.Newest(Owner, common.KindLoad)
	s.load(true)
	s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{res: schemacache.Result{Items: schemaList()[:1], FetchedAt: fixture.Now}}, nil))
	s.Update(fixture.Reply(s.c, first, loadedMsg{res: schemacache.Result{Items: schemaList(), FetchedAt: fixture.Now}}, nil))
	if s.Len() != 1 {
		t.Fatalf("rows = %d, want the newest load's 1", s.Len())
	}
	s.load(true)
	if _, cmd := s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{}, context.Canceled)); cmd != nil {
		t.Fatal("a cancelled load shows nothing")
	}
}

func TestFailureStates(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"not signed in", &api.SignInError{Reason: "no Service App token for org X"}, []string{"Not signed in.", "byova auth login", "WEBEX_ACCESS_TOKEN"}},
		{"unauthorized", &api.Error{Status: 401, Message: "Invalid token", TrackingID: "T401"}, []string{"Webex rejected the token.", "trackingId T401"}},
		{"forbidden", &api.Error{Status: http.StatusForbidden, Message: "Forbidden", TrackingID: "T403"}, []string{"Webex refused to list the schemas.", "switch org with o", "T403"}},
		{"unreachable", &api.NetError{Op: "GET", Host: "webexapis.com", Err: errors.New("no route to host")}, []string{"Webex is unreachable.", "no route to host", "r to retry"}},
		{"server", &api.Error{Status: 500, Message: "Internal", TrackingID: "T500"}, []string{"Could not load the schemas.", "Internal", "r to retry"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScreen(t, 100, 20)
			s.load(false)
			s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{}, tt.err))
			v := fixture.View(s)
			for _, w := range tt.want {
				if !strings.Contains(v, w) {
					t.Errorf("view lacks %q:\n%s", w, v)
				}
			}
			if ks := s.KeyMap(); len(ks) != 1 || ks[0].Help().Key != "r" {
				t.Errorf("a failed load offers r only")
			}
			old := s.c.Newest(Owner, common.KindLoad)
			fixture.Press(s, "r")
			if busy, what := s.c.Busy(); s.c.Newest(Owner, common.KindLoad) == old || !busy || what != "reloading schemas from Webex" {
				t.Errorf("r reloads from Webex: %q", what)
			}
		})
	}
}

func TestReloadFailureKeepsRows(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, schemaList(), false)
	fixture.Press(s, "r")
	_, cmd := s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{}, &api.Error{Status: 502, Message: "Bad gateway", TrackingID: "T1"}))
	if em, ok := fixture.Find[common.ErrorMsg](fixture.Run(cmd)); !ok || api.TrackingIDOf(em.Err) != "T1" || s.Len() != 4 {
		t.Fatalf("a failed reload keeps the rows and shows the banner: %#v", em)
	}
}

func TestEmptyAndNoMatch(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, []api.Schema{}, false)
	if !strings.Contains(fixture.View(s), "Webex lists no schemas.") {
		t.Fatalf("empty:\n%s", fixture.View(s))
	}
	loaded(s, schemaList(), false)
	fixture.Press(s, "/")
	fixture.TypeText(s, "nothing-like-this")
	if !strings.Contains(fixture.View(s), `No schema matches "nothing-like-this"`) {
		t.Fatalf("no match:\n%s", fixture.View(s))
	}
}

func TestMovement(t *testing.T) {
	s := newScreen(t, 100, 4) // room for 2 rows
	loaded(s, schemaList(), false)
	steps := []struct {
		key            string
		cursor, offset int
	}{
		{"j", 1, 0}, {"down", 2, 1}, {"k", 1, 1}, {"up", 0, 0}, {"up", 0, 0},
		{"G", 3, 2}, {"g", 0, 0}, {"pgdown", 2, 1}, {"pgup", 0, 0}, {"end", 3, 2}, {"home", 0, 0},
	}
	for _, st := range steps {
		fixture.Press(s, st.key)
		if s.List.Cursor != st.cursor || s.List.Offset != st.offset {
			t.Fatalf("after %s: cursor %d offset %d, want %d %d", st.key, s.List.Cursor, s.List.Offset, st.cursor, st.offset)
		}
	}
	s.Update(fixture.Wheel(false))
	if s.List.Cursor != 3 {
		t.Fatalf("wheel: cursor %d", s.List.Cursor)
	}
}

func TestFilter(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, schemaList(), false)
	fixture.Press(s, "/")
	if !s.Capturing() {
		t.Fatal("/ captures keys")
	}
	fixture.TypeText(s, "grpc")
	if n := s.tbl.Len(); n != 2 {
		t.Fatalf("filter grpc: %d rows, want 2", n)
	}
	fixture.Press(s, "down", "enter")
	if s.Capturing() || s.Selected().ID != fixture.SchemaWeb || !strings.Contains(fixture.View(s), `filter "grpc" 2 of 4`) {
		t.Fatalf("enter keeps the filter:\n%s", fixture.View(s))
	}
	if !slices.ContainsFunc(s.KeyMap(), func(b key.Binding) bool { return b.Help().Desc == "clear filter" }) {
		t.Error("the footer offers esc to clear the filter")
	}
	fixture.Press(s, "esc")
	if s.tbl.Query() != "" || s.tbl.Len() != 4 || s.Selected().ID != fixture.SchemaWeb {
		t.Fatal("esc clears the filter and keeps the cursor on the schema")
	}
	for q, want := range map[string]string{"a38a10b7": fixture.SchemaWS, "integration": "6e2d4a90-17bc-4f5e-a3d8-0b9c8e1f2a37", "forking": fixture.SchemaVVA} {
		fixture.Press(s, "/")
		fixture.TypeText(s, q)
		fixture.Press(s, "enter")
		if s.tbl.Len() != 1 || s.Selected().ID != want {
			t.Errorf("filter %q: %d rows", q, s.tbl.Len())
		}
		fixture.Press(s, "/", "esc")
	}
}

func TestDetail(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, schemaList(), true)
	fixture.Press(s, "j", "enter")
	if s.mode != modeDetail || s.Capturing() {
		t.Fatal("enter opens the detail; global keys stay on")
	}
	v := fixture.View(s)
	for _, w := range []string{"Schema webService (78efc775…)", "id", fixture.SchemaWeb, "serviceType", "webService", "protocol", "gRPC",
		"appType", "serviceApp", "url", "/schemas/webservice/v1/definition", "description", "Generic web service data exchange",
		"createdAt", "2024-09-05 01:35:04Z", "ago", "cached 12m ago"} {
		if !strings.Contains(v, w) {
			t.Errorf("detail lacks %q:\n%s", w, v)
		}
	}
	msgs := fixture.Run(fixture.Press(s, "y"))
	var clip bool
	for _, m := range msgs {
		clip = clip || (strings.Contains(fmt.Sprintf("%T", m), "setClipboardMsg") && fmt.Sprint(m) == fixture.SchemaWeb)
	}
	if n, _ := fixture.Find[common.NoticeMsg](msgs); !clip || !strings.HasPrefix(n.Text, fixture.SchemaWeb+" · schema ID sent to the clipboard (OSC 52") {
		t.Fatalf("y in the detail copies the ID: %#v", msgs)
	}
	fixture.Press(s, "G", "g", "pgdown", "pgup", "j", "k")
	if fixture.Press(s, "r"); s.mode != modeDetail {
		t.Fatal("r reloads and stays")
	}
	fixture.Press(s, "esc")
	if s.mode != modeList || s.detail != nil {
		t.Fatal("esc goes back")
	}
}

func TestCopyFromList(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, schemaList(), false)
	msgs := fixture.Run(fixture.Press(s, "G", "y"))
	if n, _ := fixture.Find[common.NoticeMsg](msgs); !strings.Contains(n.Text, "6e2d4a90-17bc-4f5e-a3d8-0b9c8e1f2a37") {
		t.Fatalf("y copies the selected ID: %q", n.Text)
	}
}

func TestOrgSwitchReloadsAndDropsOld(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, schemaList(), false)
	fixture.Press(s, "enter")
	old := s.c.Newest(Owner, common.KindLoad)
	for _, m := range fixture.Run(s.c.SwitchOrg("11111111-2222-4333-8444-555555555555")) {
		s.Update(m)
	}
	if s.Loaded || s.Len() != 0 || s.c.Newest(Owner, common.KindLoad) == old || s.mode != modeList {
		t.Fatal("a switch clears the screen and reloads")
	}
	s.Update(fixture.Reply(s.c, old, loadedMsg{res: schemacache.Result{Items: schemaList(), FetchedAt: fixture.Now}}, nil))
	if s.Len() != 0 {
		t.Fatal("the answer for the old org is dropped")
	}
}

func TestNothingOverflows(t *testing.T) {
	long := append(schemaList(), api.Schema{ID: "0f0e0d0c-0b0a-4908-8706-050403020100", ServiceType: "anExtremelyLongServiceTypeNameThatGoesOnAndOn",
		Protocol: "gRPC+WebSocket", AppType: "serviceAppAndIntegration", CreatedAt: "not a date", Description: strings.Repeat("long description ", 10)})
	for _, size := range [][2]int{{80, 21}, {100, 27}, {120, 37}} {
		s := newScreen(t, size[0], size[1])
		loaded(s, long, true)
		fixture.CheckFits(t, s, size[0], size[1])
		fixture.Press(s, "G", "enter")
		fixture.CheckFits(t, s, size[0], size[1])
	}
}

// The write keys of other screens say why they do nothing here (issue 19, item 17).
func TestWriteKeysSayReadOnly(t *testing.T) {
	s := newScreen(t, 80, 20)
	loaded(s, schemaList(), true)
	for _, k := range []string{"n", "e", "d", "x", "X", "s", "space"} {
		n, ok := fixture.Find[common.NoticeMsg](fixture.Run(fixture.Press(s, k)))
		if !ok || !strings.Contains(n.Text, "schemas are read-only") {
			t.Errorf("%s on the schemas screen: notice %q", k, n.Text)
		}
	}
}
