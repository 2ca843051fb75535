package datasources

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/fleet"
	"github.com/byova/byova/session"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
	fixture "github.com/byova/byova/ui/uitest"
)

// newScreen builds the screen with no session (commands that reach Webex fail at once), the
// fixture clock and no colour.
func newScreen(t testing.TB, w, h int) *Screen {
	t.Helper()
	c := common.New(context.Background(), nil, styles.New(true), nil, fixture.Clock)
	s := New(c)
	s.SetSize(w, h)
	return s
}

// loaded feeds the screen a successful answer to its latest load.
func loaded(s *Screen, items []api.DataSource) {
	s.load()
	s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{org: fixture.Org, items: refs(items), schemas: fixture.Schemas()}, nil))
}

func TestLoadSortsBySoonestExpiry(t *testing.T) {
	s := newScreen(t, 100, 20)
	if cmd := s.Init(); cmd == nil {
		t.Fatal("Init returned no load command")
	}
	if busy, what := s.c.Busy(); !busy || what != "loading data sources" {
		t.Fatalf("busy = %v %q, want a load in flight", busy, what)
	}
	loaded(s, fixture.DataSources())
	var got []string
	for p := range s.tbl.View {
		got = append(got, s.tbl.At(p).audience)
	}
	want := []string{"ClaimsAssistant", "MedDocVirtualAgent", "RetailVA", "BankingVA", "BYOVAGateway", "SurveyBot"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("order = %v, want %v (expired first, unknown expiry last)", got, want)
	}
	// The org the load resolved goes to the root as a message, applied only in the org
	// generation the load was made in.
	s.load()
	_, cmd := s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{org: fixture.Org, items: refs(fixture.DataSources()), schemas: fixture.Schemas()}, nil))
	res, ok := fixture.Find[common.OrgResolvedMsg](fixture.Run(cmd))
	if !ok || res.Org != fixture.Org {
		t.Fatalf("the load resolved no org: %+v", res)
	}
	s.c.SwitchOrg("")
	s.c.ApplyOrg(res)
	if s.c.Org != "" {
		t.Fatalf("org = %q: an answer from before a switch must not set it", s.c.Org)
	}
	v := fixture.View(s)
	for _, w := range []string{"✗ expired", "! 25m", "✗ disabled", "✓ active", "? unknown", "VoiceVirtualAgent", "6 · sort expiry"} {
		if !strings.Contains(v, w) {
			t.Errorf("list does not show %q:\n%s", w, v)
		}
	}
}

func TestStaleLoadIsDropped(t *testing.T) {
	s := newScreen(t, 100, 20)
	s.load()
	first := s.c.Newest(Owner, common.KindLoad)
	s.load()
	second := s.c.Newest(Owner, common.KindLoad)
	s.Update(fixture.Reply(s.c, second, loadedMsg{items: refs(fixture.DataSources()[:2]), schemas: fixture.Schemas()}, nil))
	s.Update(fixture.Reply(s.c, first, loadedMsg{items: refs(fixture.DataSources()), schemas: fixture.Schemas()}, nil))
	if n := len(s.tbl.Rows); n != 2 {
		t.Fatalf("rows = %d, want the 2 of the newest load (the older answer must be dropped)", n)
	}
}

func TestCanceledLoadIsSilent(t *testing.T) {
	s := newScreen(t, 100, 20)
	s.load()
	_, cmd := s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{}, context.Canceled))
	if cmd != nil || s.LoadErr != nil {
		t.Fatalf("a cancelled load must show nothing, got cmd=%v err=%v", cmd != nil, s.LoadErr)
	}
}

func TestFailureStates(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"not signed in", &api.SignInError{Reason: "no Service App token for org X"}, []string{"Not signed in.", "byova auth login", "press r"}},
		{"unreachable", &api.NetError{Op: "GET /v1/dataSources", Host: "webexapis.com", Err: errors.New("connection refused")}, []string{"Webex is unreachable.", "connection refused", "r to retry"}},
		{"forbidden", &api.Error{Status: http.StatusForbidden, Message: "Missing scope", TrackingID: "ROUTER_403"}, []string{"Insufficient scope.", "spark-admin:datasource_read", "trackingId ROUTER_403"}},
		{"server", &api.Error{Status: 500, Message: "Internal error", TrackingID: "ROUTER_500"}, []string{"Could not load the data sources.", "Internal error", "trackingId ROUTER_500", "r to retry"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScreen(t, 100, 20)
			s.load()
			s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{}, tt.err))
			v := fixture.View(s)
			for _, w := range tt.want {
				if !strings.Contains(v, w) {
					t.Errorf("view lacks %q:\n%s", w, v)
				}
			}
			if cmd := fixture.Press(s, "r"); cmd == nil {
				t.Error("r did not reload")
			}
		})
	}
}

func TestEmptyState(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, nil)
	v := fixture.View(s)
	if !strings.Contains(v, "No data sources yet.") || !strings.Contains(v, "Press n to register one") {
		t.Fatalf("empty state:\n%s", v)
	}
}

func TestReloadFailureKeepsRows(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, fixture.DataSources())
	fixture.Press(s, "r")
	_, cmd := s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{}, &api.Error{Status: 502, Message: "Bad gateway", TrackingID: "T1"}))
	em, ok := fixture.Find[common.ErrorMsg](fixture.Run(cmd))
	if !ok || api.TrackingIDOf(em.Err) != "T1" {
		t.Fatalf("want an error banner with the trackingId, got %#v", em)
	}
	if len(s.tbl.Rows) != 6 {
		t.Fatal("a failed reload must keep the rows shown")
	}
}

func TestMovement(t *testing.T) {
	s := newScreen(t, 100, 6) // room for 4 rows
	loaded(s, fixture.DataSources())
	steps := []struct {
		key          string
		cursor, from int
	}{
		{"j", 1, 0}, {"down", 2, 0}, {"k", 1, 0}, {"up", 0, 0}, {"up", 0, 0},
		{"G", 5, 2}, {"g", 0, 0}, {"pgdown", 4, 1}, {"pgdown", 5, 2}, {"pgup", 1, 1},
	}
	for _, st := range steps {
		fixture.Press(s, st.key)
		if s.List.Cursor != st.cursor || s.List.Offset != st.from {
			t.Fatalf("after %s: cursor %d offset %d, want %d %d", st.key, s.List.Cursor, s.List.Offset, st.cursor, st.from)
		}
	}
	if !strings.Contains(fixture.View(s), "2/6") {
		t.Errorf("position not shown:\n%s", fixture.View(s))
	}
}

func TestFilter(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, fixture.DataSources())
	fixture.Press(s, "/")
	if !s.Capturing() {
		t.Fatal("/ must capture keys while typing the filter")
	}
	fixture.TypeText(s, "callaudio")
	if n := s.tbl.Len(); n != 3 {
		t.Fatalf("filter callaudio: %d rows, want 3", n)
	}
	fixture.TypeText(s, "x")
	if !strings.Contains(fixture.View(s), `No data source matches "callaudiox"`) {
		t.Fatalf("no-match state missing:\n%s", fixture.View(s))
	}
	fixture.Press(s, "backspace", "enter")
	if s.Capturing() || s.tbl.Query() != "callaudio" {
		t.Fatalf("enter must keep the filter and give keys back: capturing=%v query=%q", s.Capturing(), s.tbl.Query())
	}
	if !strings.Contains(fixture.View(s), `filter "callaudio" 3 of 6`) {
		t.Fatalf("title does not show the filter:\n%s", fixture.View(s))
	}
	fixture.Press(s, "esc")
	if s.tbl.Query() != "" || s.tbl.Len() != 6 {
		t.Fatal("esc must clear the filter")
	}
	// Filter on the schema's serviceType and on status words.
	fixture.Press(s, "/")
	fixture.TypeText(s, "disabled")
	fixture.Press(s, "enter")
	if s.tbl.Len() != 1 || s.Selected().ID != fixture.Specs[3].ID {
		t.Fatalf("filter disabled: %d rows", s.tbl.Len())
	}
	fixture.Press(s, "/", "esc")
	if s.tbl.Query() != "" || s.Capturing() {
		t.Fatal("esc in the filter input clears it")
	}
}

// The filter matches what the rows show: "✗ expired" in the expiry column, "unknown", and the
// compact status words (issue 19, item 10).
func TestFilterMatchesWhatIsShown(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, fixture.DataSources())
	want := map[string]int{}
	for _, r := range s.tbl.Rows {
		state, _ := classify(r.expiry, lifetimeOf(r.ds), s.warnWindow(), s.c.Now())
		switch state {
		case expiryExpired:
			want["expired"]++
		case expiryUnknown:
			want["unknown"]++
		}
		if r.status == "disabled" {
			want["off"]++
		}
	}
	if want["expired"] == 0 || want["unknown"] == 0 {
		t.Fatalf("the fixture has expired and unknown rows: %v", want)
	}
	for q, n := range want {
		fixture.Press(s, "/")
		fixture.TypeText(s, q)
		fixture.Press(s, "enter")
		if s.tbl.Len() != n {
			t.Errorf("/%s: %d rows, want %d", q, s.tbl.Len(), n)
		}
		if q != "off" && !strings.Contains(fixture.View(s), q) {
			t.Errorf("/%s: the rows found do not show the word:\n%s", q, fixture.View(s))
		}
		fixture.Press(s, "esc")
	}
}

func TestSortCycles(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, fixture.DataSources())
	fixture.Press(s, "j") // keep the cursor on a data source across sorts
	id := s.Selected().ID
	cmd := fixture.Press(s, "s")
	if s.tbl.sortBy != sortAudience {
		t.Fatalf("sort = %v", s.tbl.sortBy)
	}
	if n, ok := fixture.Find[common.NoticeMsg](fixture.Run(cmd)); !ok || !strings.Contains(n.Text, "audience") {
		t.Fatalf("no notice of the sort: %#v", n)
	}
	if s.Selected().ID != id {
		t.Fatal("the cursor must stay on the same data source")
	}
	if got := s.tbl.At(0).audience; got != "BankingVA" {
		t.Fatalf("first by audience = %s", got)
	}
	if !strings.Contains(fixture.View(s), "sort audience") {
		t.Fatalf("sort not shown:\n%s", fixture.View(s))
	}
	fixture.Press(s, "s", "s")
	if s.tbl.sortBy != sortStatus || !strings.Contains(fixture.View(s), "✗ disabled") || s.tbl.At(0).active {
		t.Fatalf("status sort puts disabled first")
	}
	for range int(numSortKeys) - 3 {
		fixture.Press(s, "s")
	}
	if s.tbl.sortBy != sortExpiry {
		t.Fatalf("s must cycle back to expiry, got %v", s.tbl.sortBy)
	}
}

func TestDetail(t *testing.T) {
	s := newScreen(t, 100, 30)
	loaded(s, fixture.DataSources())
	cmd := fixture.Press(s, "enter")
	if s.mode != modeDetail || cmd == nil {
		t.Fatalf("enter: mode %v, cmd %v (want the detail and a GET)", s.mode, cmd != nil)
	}
	if s.Capturing() {
		t.Fatal("the detail view leaves global keys on")
	}
	v := fixture.View(s)
	for _, w := range []string{"Data source 2b3c4d5e", "JWS header", "RS256", "JWS claims", "com.cisco", "9f8e…2b1a", "legacy.example.net/very/long"} {
		if !strings.Contains(v, w) && w != "com.cisco" {
			t.Errorf("detail lacks %q", w)
		}
	}
	if strings.Contains(v, "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a") {
		t.Error("the nonce must be masked")
	}
	fixture.Press(s, "G")
	if !strings.Contains(fixture.View(s), "createdAt") {
		t.Errorf("G must scroll to the end:\n%s", fixture.View(s))
	}
	// The GET answer replaces what the list knew.
	updated := fixture.Specs[2]
	updated.ErrorMessage = "now known"
	ds := fixture.DataSource(updated)
	s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindDetail), fetchedMsg{dsID: ds.ID, ds: &ds}, nil))
	fixture.Press(s, "g")
	if !strings.Contains(fixture.View(s), "now known") {
		t.Errorf("detail not refreshed from GET:\n%s", fixture.View(s))
	}
	fixture.Press(s, "esc")
	if s.mode != modeList || s.detail != nil {
		t.Fatal("esc must go back to the list")
	}
}

func TestStaleFetchIsDropped(t *testing.T) {
	s := newScreen(t, 100, 30)
	loaded(s, fixture.DataSources())
	fixture.Press(s, "enter")
	old := s.c.Newest(Owner, common.KindDetail)
	fixture.Press(s, "esc", "j", "enter")
	other := fixture.DataSource(fixture.Specs[2])
	other.Audience = "STALE"
	s.Update(fixture.Reply(s.c, old, fetchedMsg{dsID: other.ID, ds: &other}, nil))
	if strings.Contains(fixture.View(s), "STALE") {
		t.Fatal("an old detail answer must be dropped")
	}
}

func TestCopyID(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, fixture.DataSources())
	msgs := fixture.Run(fixture.Press(s, "y"))
	id := s.Selected().ID
	var clip bool
	for _, m := range msgs {
		if strings.Contains(fmt.Sprintf("%T", m), "setClipboardMsg") && fmt.Sprint(m) == id {
			clip = true
		}
	}
	n, ok := fixture.Find[common.NoticeMsg](msgs)
	if !clip || !ok || !strings.HasPrefix(n.Text, id+" · ID sent to the clipboard (OSC 52") {
		t.Fatalf("y must set the clipboard (OSC 52) and say so: %#v", msgs)
	}
}

func TestNewFormOpensAndCancels(t *testing.T) {
	s := newScreen(t, 100, 30)
	loaded(s, fixture.DataSources())
	cmd := fixture.Press(s, "n")
	if s.mode != modeForm || !s.Capturing() || cmd == nil {
		t.Fatalf("n: mode %v capturing %v", s.mode, s.Capturing())
	}
	v := fixture.View(s)
	for _, w := range []string{"Register a data source", "Schema", "VoiceVirtualAgent · gRPC", "URL", "Audience", "Subject", "Lifetime", "1440", "ctrl+r"} {
		if !strings.Contains(v, w) {
			t.Errorf("form lacks %q:\n%s", w, v)
		}
	}
	nonce := s.form.v.nonce
	fixture.Press(s, "ctrl+r")
	if s.form.v.nonce == nonce {
		t.Fatal("ctrl+r must draw a new nonce")
	}
	if strings.Contains(fixture.View(s), s.form.v.nonce) {
		t.Fatal("the nonce must show masked")
	}
	n, _ := fixture.Find[common.NoticeMsg](fixture.Run(fixture.Press(s, "esc")))
	if s.mode != modeList || s.form != nil || !strings.Contains(n.Text, "nothing was sent") {
		t.Fatalf("esc must close the form without sending: %v %q", s.mode, n.Text)
	}
}

// fill types into the open form field by field and submits it.
func fill(s *Screen, values ...string) {
	fixture.Press(s, "tab") // leave the schema picker
	for _, v := range values {
		for range 60 {
			fixture.Press(s, "backspace")
		}
		fixture.TypeText(s, v)
		fixture.Press(s, "enter")
	}
}

func TestRegisterValidatesThenConfirms(t *testing.T) {
	s := newScreen(t, 100, 30)
	loaded(s, fixture.DataSources())
	fixture.Press(s, "n", "tab")
	fixture.TypeText(s, "gw.example.com")
	fixture.Press(s, "enter")
	if !strings.Contains(fixture.View(s), "not a URL") {
		t.Fatalf("a URL without a scheme must be refused inline:\n%s", fixture.View(s))
	}
	fixture.Press(s, "esc", "y", "n")
	fill(s, "https://gw.example.com/new", "NewAudience", "newSubject", "2000")
	if !strings.Contains(fixture.View(s), "1 to 1440") {
		t.Fatalf("lifetime 2000 must be refused:\n%s", fixture.View(s))
	}
	if s.mode != modeForm {
		t.Fatal("an invalid form must not reach the confirmation")
	}
	for range 4 {
		fixture.Press(s, "backspace")
	}
	fixture.TypeText(s, "90")
	fixture.Press(s, "enter")
	if s.mode != modeConfirm {
		t.Fatalf("a valid form asks to confirm, mode %v:\n%s", s.mode, fixture.View(s))
	}
	v := fixture.View(s)
	for _, w := range []string{"Register this data source?", "https://gw.example.com/new", "NewAudience", "newSubject", "90 min", "VoiceVirtualAgent"} {
		if !strings.Contains(v, w) {
			t.Errorf("confirmation lacks %q:\n%s", w, v)
		}
	}
	// n goes back to the form with the values kept.
	fixture.Press(s, "n")
	if s.mode != modeForm || s.form.v.audience != "NewAudience" {
		t.Fatalf("n must return to the form as typed")
	}
	fixture.Press(s, "enter", "enter", "enter", "enter", "enter") // through every field again

	if s.mode != modeConfirm {
		t.Fatalf("mode %v settling %v queue %d:\n%s", s.mode, s.form.host.Settling(), s.form.host.Queued(), fixture.View(s))
	}
	cmd := fixture.Press(s, "y")
	if cmd == nil || s.mode != modeList {
		t.Fatal("y must send and close the dialog")
	}
	if busy, what := s.c.Busy(); !busy || what != "registering data source" {
		t.Fatalf("the write must be in flight: %v %q", busy, what)
	}
	// Webex refuses: the form comes back as typed, with the banner.
	_, cmd = s.Update(fixture.Reply(s.c, s.lastWrite, writtenMsg{op: fleet.OpDataSourceCreate}, &api.Error{Status: 400, Message: "url is not in the valid domains", TrackingID: "ROUTER_400"}))
	if s.mode != modeForm || s.form.v.url != "https://gw.example.com/new" {
		t.Fatalf("after a 400 the form must return: mode %v", s.mode)
	}
	if em, ok := fixture.Find[common.ErrorMsg](fixture.Run(cmd)); !ok || api.TrackingIDOf(em.Err) != "ROUTER_400" {
		t.Fatal("the 400 must reach the banner")
	}
}

func TestWriteSuccessUpdatesList(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, fixture.DataSources())
	created := fixture.DataSource(fixture.Spec{ID: "9e8d7c6b-5a49-4382-a716-151413121110", Schema: fixture.SchemaWeb,
		URL: "https://new.example.com/x", Audience: "Fresh", Subject: "s", Status: "active", Expires: 30 * time.Hour, Lifetime: 1440})
	id := s.c.BeginFor(Owner, common.KindWrite, "registering data source").ID
	_, cmd := s.Update(fixture.Reply(s.c, id, writtenMsg{op: fleet.OpDataSourceCreate, ds: &created}, nil))
	if len(s.tbl.Rows) != 7 || s.Selected().ID != created.ID {
		t.Fatal("a created data source joins the list under the cursor")
	}
	if n, _ := fixture.Find[common.NoticeMsg](fixture.Run(cmd)); !strings.Contains(n.Text, "registered") {
		t.Fatalf("notice %q", n.Text)
	}
	_, cmd = s.Update(fixture.Reply(s.c, s.c.BeginFor(Owner, common.KindWrite, "x").ID, deletedMsg{dsID: created.ID}, nil))
	if len(s.tbl.Rows) != 6 || s.tbl.IndexOf(created.ID) >= 0 {
		t.Fatal("a deleted data source leaves the list")
	}
	if n, _ := fixture.Find[common.NoticeMsg](fixture.Run(cmd)); !strings.Contains(n.Text, "deleted") {
		t.Fatalf("notice %q", n.Text)
	}
}

func TestExtendConfirmation(t *testing.T) {
	s := newScreen(t, 100, 30)
	loaded(s, fixture.DataSources()) // cursor on the expired one
	fixture.Press(s, "x")
	if s.mode != modeConfirm || !s.Capturing() {
		t.Fatal("x must ask first")
	}
	v := fixture.View(s)
	for _, w := range []string{"Extend the token of ClaimsAssistant / mediaForking?", "expires now", "✗ expired", "after extending",
		"2099-01-02 12:00:00Z", "(in 24h00m)", "new nonce", "1440 min"} {
		if !strings.Contains(v, w) {
			t.Errorf("confirmation lacks %q:\n%s", w, v)
		}
	}
	fixture.Press(s, "n")
	if s.mode != modeList || s.confirm != nil {
		t.Fatal("n must cancel")
	}
	fixture.Press(s, "x")
	if cmd := fixture.Press(s, "enter"); cmd == nil {
		t.Fatal("enter confirms an extend")
	}
	if busy, what := s.c.Busy(); !busy || what != "extending token" {
		t.Fatalf("extend not in flight: %q", what)
	}
}

func TestDeleteNeedsY(t *testing.T) {
	s := newScreen(t, 100, 30)
	loaded(s, fixture.DataSources())
	fixture.Press(s, "d")
	if !strings.Contains(fixture.View(s), "cannot be undone") {
		t.Fatalf("delete must warn:\n%s", fixture.View(s))
	}
	if cmd := fixture.Press(s, "enter"); cmd != nil || s.mode != modeConfirm {
		t.Fatal("enter must not delete")
	}
	fixture.Press(s, "esc")
	if s.mode != modeList {
		t.Fatal("esc cancels")
	}
	fixture.Press(s, "d")
	if cmd := fixture.Press(s, "y"); cmd == nil {
		t.Fatal("y deletes")
	}
}

func TestEditDisableNeedsReason(t *testing.T) {
	s := newScreen(t, 100, 30)
	loaded(s, fixture.DataSources())
	fixture.Press(s, "G", "k") // BYOVAGateway, active
	fixture.Press(s, "e")
	if s.form == nil || s.form.editing == nil || s.form.v.audience != s.Selected().Audience {
		t.Fatal("e must open the form prefilled")
	}
	fixture.Press(s, "tab", "enter", "enter", "enter", "enter") // schema, url, audience, subject, lifetime
	fixture.Press(s, "right", "enter")                          // status → disabled
	if !strings.Contains(fixture.View(s), "Why is it disabled?") {
		t.Fatalf("disabling must ask why:\n%s", fixture.View(s))
	}
	fixture.Press(s, "enter")
	if s.mode != modeForm || !strings.Contains(fixture.View(s), "the reason is required") {
		t.Fatalf("an empty reason must be refused:\n%s", fixture.View(s))
	}
	fixture.TypeText(s, "maintenance")
	fixture.Press(s, "enter")
	if s.mode != modeConfirm {
		t.Fatalf("mode %v:\n%s", s.mode, fixture.View(s))
	}
	v := fixture.View(s)
	if !strings.Contains(v, "active → disabled") || !strings.Contains(v, "— → maintenance") {
		t.Fatalf("the confirmation shows the changes:\n%s", v)
	}
}

func TestReadOnlyRefusesWrites(t *testing.T) {
	s := newScreen(t, 100, 20)
	s.c.Session = &session.Session{Settings: config.Settings{Profile: "prod", ReadOnly: true}}
	loaded(s, fixture.DataSources())
	for _, k := range []string{"n", "e", "x", "d"} {
		cmd := fixture.Press(s, k)
		n, _ := fixture.Find[common.NoticeMsg](fixture.Run(cmd))
		if s.mode != modeList || !strings.Contains(n.Text, "read-only") {
			t.Errorf("%s in a read-only profile: mode %v, notice %q", k, s.mode, n.Text)
		}
	}
}

func TestTickMovesCountdown(t *testing.T) {
	s := newScreen(t, 100, 20)
	now := fixture.Now
	s.c.Clock = func() time.Time { return now }
	loaded(s, fixture.DataSources())
	if !strings.Contains(fixture.View(s), "! 25m ") {
		t.Fatal("countdown missing")
	}
	now = now.Add(61 * time.Second)
	s.Update(common.TickMsg{Time: now})
	if !strings.Contains(fixture.View(s), "! 23m ") {
		t.Fatalf("countdown did not move:\n%s", fixture.View(s))
	}
	// Under ten minutes the seconds show.
	now = now.Add(15 * time.Minute)
	s.Update(common.TickMsg{Time: now})
	if !strings.Contains(fixture.View(s), "! 8m59s") {
		t.Fatalf("no seconds under ten minutes:\n%s", fixture.View(s))
	}
}

func TestNothingOverflows(t *testing.T) {
	for _, size := range [][2]int{{80, 21}, {100, 27}, {120, 37}} {
		s := newScreen(t, size[0], size[1])
		loaded(s, append(fixture.DataSources(), fixture.Many(40)...))
		check := func(what string) {
			for i, l := range strings.Split(s.View(), "\n") {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Errorf("%dx%d %s: line %d is %d wide: %q", size[0], size[1], what, i, w, ansi.Strip(l))
				}
			}
			if n := strings.Count(s.View(), "\n") + 1; n > size[1] {
				t.Errorf("%dx%d %s: %d lines", size[0], size[1], what, n)
			}
		}
		check("list")
		fixture.Press(s, "enter")
		check("detail")
		fixture.Press(s, "esc", "n")
		check("form")
		fixture.Press(s, "esc", "x")
		check("extend")
		fixture.Press(s, "esc", "d")
		check("delete")
	}
}

func TestOrgSwitchDropsOldAnswers(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, fixture.DataSources())
	fixture.Press(s, "x")
	fixture.Press(s, "y") // an extend in flight for the old org
	write := s.lastWrite
	oldLoad := s.c.Newest(Owner, common.KindLoad)
	msgs := fixture.Run(s.c.SwitchOrg("11111111-2222-4333-8444-555555555555"))
	for _, m := range msgs {
		s.Update(m)
	}
	if s.Loaded || len(s.tbl.Rows) != 0 || s.c.Newest(Owner, common.KindLoad) == oldLoad {
		t.Fatal("an org switch clears the list and reloads")
	}
	ds := fixture.DataSource(fixture.Specs[2])
	s.Update(fixture.Reply(s.c, write, writtenMsg{op: fleet.OpDataSourceExtend, dsID: ds.ID, ds: &ds}, nil))
	if len(s.tbl.Rows) != 0 {
		t.Fatal("an answer for the previous org must not join the new org's list")
	}
	s.Update(fixture.Reply(s.c, oldLoad, loadedMsg{items: refs(fixture.DataSources())}, nil))
	if len(s.tbl.Rows) != 0 {
		t.Fatal("the previous org's list must be dropped")
	}
}

func TestEditPrefillsSchema(t *testing.T) {
	s := newScreen(t, 120, 30)
	loaded(s, fixture.DataSources())
	fixture.Press(s, "j") // MedDocVirtualAgent, on the webService schema
	fixture.Press(s, "e")
	if !strings.Contains(fixture.View(s), "> webService") {
		t.Fatalf("the schema picker starts on the data source's schema:\n%s", fixture.View(s))
	}
}

func TestValidURL(t *testing.T) {
	for u, ok := range map[string]bool{
		"https://gw.example.com/grpc": true, "wss://ws.example.com/stream": true, " https://x.example.com ": true,
		"http://gw.example.com": true, "gw.example.com/grpc": false, "": false, "https://": false, "ftp://x": true, // as the CLI: warned, sent
	} {
		if err := validURL(u); (err == nil) != ok {
			t.Errorf("validURL(%q) = %v, want ok=%v", u, err, ok)
		}
	}
}

// The form's schema picker and reloads read the schema list from the schemas screen's cache:
// within its expiry Webex is asked once, while the data sources themselves are reloaded.
func TestSchemasComeFromCache(t *testing.T) {
	fixture.Isolate(t)
	fake, sess := fixture.FakeSession(t, webexfake.Options{Seed: 1})
	c := common.New(context.Background(), sess, styles.New(true), nil, fixture.Clock)
	s := New(c)
	s.SetSize(120, 30)
	load := func(cmd tea.Cmd) {
		t.Helper()
		r, ok := fixture.FindReply[loadedMsg](fixture.Run(cmd))
		msg := r.Payload
		if !ok {
			t.Fatal("no answer to the load")
		}
		if r.Err != nil || msg.schemaErr != nil {
			t.Fatalf("load failed: %v / %v", r.Err, msg.schemaErr)
		}
		s.Update(r)
	}
	load(s.Init())
	load(fixture.Press(s, "r"))
	fixture.Press(s, "n")
	if s.mode != modeForm || len(s.schemaList) == 0 {
		t.Fatalf("the register form offers the schema list:\n%s", fixture.View(s))
	}
	if n := fixture.Requests(fake, "GET", "/v1/dataSources"); n != 2 {
		t.Errorf("r reloads the data sources: %d lists, want 2", n)
	}
	if n := fixture.Requests(fake, "GET", "/v1/dataSources/schemas"); n != 1 {
		t.Errorf("%d GET /v1/dataSources/schemas within the cache's expiry, want 1", n)
	}
}

// TestDetailChecksTheSignature: opening a detail checks its token against the key set in the
// background — ✓ with the kid for a genuine token, ✗ with the reason for a forged one — and
// the key set is fetched once for the run.
func TestDetailChecksTheSignature(t *testing.T) {
	fixture.Isolate(t)
	fake, sess := fixture.FakeSession(t, webexfake.Options{Seed: 1})
	c := common.New(context.Background(), sess, styles.New(true), nil, nil) // the real clock: the fake's tokens are current
	s := New(c)
	s.SetSize(120, 60)
	settle := func(cmd tea.Cmd) { fixture.Answer(s, cmd) }
	settle(s.Init())
	if len(s.items) == 0 {
		t.Fatalf("nothing loaded:\n%s", fixture.View(s))
	}
	settle(fixture.Press(s, "G")) // the latest expiry: a current token
	id := s.Selected().ID
	settle(fixture.Press(s, "enter"))
	if v := fixture.View(s); !strings.Contains(v, "✓ verified (kid ") {
		t.Fatalf("a genuine token is not shown verified:\n%s", v)
	}
	if err := fake.ForgeSignature(id); err != nil {
		t.Fatal(err)
	}
	settle(fixture.Press(s, "esc"))
	settle(fixture.Press(s, "enter"))
	if v := fixture.View(s); !strings.Contains(v, "✗ signature does not verify") {
		t.Fatalf("a forged token is not shown failing:\n%s", v)
	}
	if n := fixture.Requests(fake, "GET", api.JWKSPath); n != 1 {
		t.Errorf("%d key set fetches, want 1 for the run", n)
	}
}

// The CLI warns about a URL that is not https:// or wss:// and lets Webex answer; the form
// does the same: a warning line, not a refusal, and the confirmation says it again.
func TestPlainHTTPURLWarns(t *testing.T) {
	s := newScreen(t, 100, 30)
	loaded(s, fixture.DataSources())
	fixture.Press(s, "n")
	fill(s, "http://gw.example.com/plain")
	if s.form.host.Form.GetFocusedField().GetKey() != "audience" {
		t.Fatalf("an http URL must not be refused:\n%s", fixture.View(s))
	}
	if !strings.Contains(fixture.View(s), "not https:// or wss://") {
		t.Fatalf("the form must warn about http:\n%s", fixture.View(s))
	}
	for _, v := range []string{"A", "b"} {
		fixture.TypeText(s, v)
		fixture.Press(s, "enter")
	}
	fixture.Press(s, "enter") // the lifetime as it is
	if s.mode != modeConfirm || !strings.Contains(fixture.View(s), "not https:// or wss://") {
		t.Fatalf("the confirmation must repeat the warning, mode %v:\n%s", s.mode, fixture.View(s))
	}
}

// refs points at each of items, as the api client's list does.
func refs(items []api.DataSource) []*api.DataSource {
	out := make([]*api.DataSource, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	return out
}
