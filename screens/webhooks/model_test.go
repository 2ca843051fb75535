package webhooks

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
	"github.com/byova/byova/ui/common"

	fixture "github.com/byova/byova/ui/uitest"
)

func TestLoadShowsEveryWebhook(t *testing.T) {
	s := newScreen(t, 120, 20)
	if cmd := s.Init(); cmd == nil {
		t.Fatal("Init returned no load command")
	}
	if busy, what := s.c.Busy(); !busy || what != "loading webhooks" {
		t.Fatalf("busy = %v %q, want the load in flight", busy, what)
	}
	if !strings.Contains(fixture.View(s), "Loading webhooks") {
		t.Fatalf("loading state:\n%s", fixture.View(s))
	}
	loaded(s, webhooks())
	v := fixture.View(s)
	for _, w := range []string{"Webhooks 4", "✗ 1 inactive", "✓ active", "✗ inactive", "serviceApp", "deauthorized",
		"BYOVA Service App authorized", "60d ago", "200d ago", "TARGET URL", "1/4"} {
		if !strings.Contains(v, w) {
			t.Errorf("list lacks %q:\n%s", w, v)
		}
	}
	// A URL too long for its column is cut in the middle: host and last segment stay.
	if !strings.Contains(v, "bot.example.com/") || !strings.Contains(v, "…") || !strings.Contains(v, "handler") {
		t.Errorf("long target URL not cut in the middle:\n%s", v)
	}
}

func TestStaleLoadIsDropped(t *testing.T) {
	s := newScreen(t, 100, 20)
	s.load()
	first := s.c.Newest(Owner, common.KindLoad)
	s.load()
	s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{items: webhooks()[:1]}, nil))
	s.Update(fixture.Reply(s.c, first, loadedMsg{items: webhooks()}, nil))
	if s.Len() != 1 {
		t.Fatalf("rows = %d, want the 1 of the newest load", s.Len())
	}
	s.load()
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
		{"not signed in", &api.SignInError{Reason: "no Integration or personal access token"},
			[]string{"Not signed in.", "byova auth login", "WEBEX_ACCESS_TOKEN", "press r"}},
		{"unauthorized", &api.Error{Status: 401, Message: "The request requires a valid access token.", TrackingID: "ROUTER_401"},
			[]string{"Webex rejected the token.", "byova auth login", "trackingId ROUTER_401"}},
		{"forbidden", &api.Error{Status: http.StatusForbidden, Message: "The access token lacks the required scope", TrackingID: "ROUTER_403"},
			[]string{"Insufficient scope.", "application:webhooks_read", "application:webhooks_write", "trackingId ROUTER_403"}},
		{"unreachable", &api.NetError{Op: "GET /v1/webhooks", Host: "webexapis.com", Err: errors.New("connection refused")},
			[]string{"Webex is unreachable.", "connection refused", "r to retry"}},
		{"server", &api.Error{Status: 503, Message: "Service unavailable", TrackingID: "ROUTER_503"},
			[]string{"Could not load the webhooks.", "Service unavailable", "r to retry", "trackingId ROUTER_503"}},
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
			old := s.c.Newest(Owner, common.KindLoad)
			if cmd := fixture.Press(s, "r"); cmd == nil || s.c.Newest(Owner, common.KindLoad) == old {
				t.Error("r must reload")
			}
			// n and E say why they cannot work yet instead of opening a form.
			s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{}, tt.err))
			n, _ := fixture.Find[common.NoticeMsg](fixture.Run(fixture.Press(s, "n")))
			if s.mode != modeList || !strings.Contains(n.Text, "cannot create") {
				t.Errorf("n on a failed load: mode %v notice %q", s.mode, n.Text)
			}
		})
	}
}

func TestReloadFailureKeepsRows(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, webhooks())
	fixture.Press(s, "r")
	_, cmd := s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{}, &api.Error{Status: 502, Message: "Bad gateway", TrackingID: "T1"}))
	em, ok := fixture.Find[common.ErrorMsg](fixture.Run(cmd))
	if !ok || api.TrackingIDOf(em.Err) != "T1" || s.Len() != 4 {
		t.Fatalf("a failed reload keeps the rows and shows the banner: %#v rows %d", em, s.Len())
	}
}

func TestEmptyState(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, nil)
	v := fixture.View(s)
	for _, w := range []string{"No webhooks yet.", "Press E to ensure the serviceApp", "or n to", "Press r to reload"} {
		if !strings.Contains(v, w) {
			t.Errorf("empty state lacks %q:\n%s", w, v)
		}
	}
	s.c.Session = readOnlySession()
	if v := fixture.View(s); strings.Contains(v, "Press E") || !strings.Contains(v, "read-only") {
		t.Errorf("read-only empty state must not offer writes:\n%s", v)
	}
}

func TestMovement(t *testing.T) {
	s := newScreen(t, 100, 4) // room for 2 rows
	loaded(s, webhooks())
	steps := []struct {
		key            string
		cursor, offset int
	}{
		{"j", 1, 0}, {"down", 2, 1}, {"k", 1, 1}, {"up", 0, 0}, {"up", 0, 0},
		{"G", 3, 2}, {"g", 0, 0}, {"pgdown", 2, 1}, {"pgdown", 3, 2}, {"pgup", 1, 1}, {"end", 3, 2}, {"home", 0, 0},
	}
	for _, st := range steps {
		fixture.Press(s, st.key)
		if s.List.Cursor != st.cursor || s.List.Offset != st.offset {
			t.Fatalf("after %s: cursor %d offset %d, want %d %d", st.key, s.List.Cursor, s.List.Offset, st.cursor, st.offset)
		}
	}
}

func TestFilter(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, webhooks())
	fixture.Press(s, "/")
	if !s.Capturing() {
		t.Fatal("/ must capture keys while typing the filter")
	}
	fixture.TypeText(s, "serviceapp")
	if n := s.tbl.Len(); n != 2 {
		t.Fatalf("filter serviceapp: %d rows, want 2", n)
	}
	fixture.Press(s, "down")
	if s.Selected().ID != idDeauthorized {
		t.Fatal("arrows move through the matches while filtering")
	}
	fixture.TypeText(s, "x")
	if !strings.Contains(fixture.View(s), `No webhook matches "serviceappx"`) {
		t.Fatalf("no-match state:\n%s", fixture.View(s))
	}
	fixture.Press(s, "backspace", "enter")
	if s.Capturing() || !strings.Contains(fixture.View(s), `filter "serviceapp" 2 of 4`) {
		t.Fatalf("enter keeps the filter:\n%s", fixture.View(s))
	}
	if !slices.ContainsFunc(s.KeyMap(), func(b key.Binding) bool { return b.Help().Desc == "clear filter" }) {
		t.Error("the footer offers esc to clear the filter")
	}
	fixture.Press(s, "esc")
	if s.tbl.Query() != "" || s.Len() != 4 || s.tbl.Len() != 4 {
		t.Fatal("esc clears the filter")
	}
	for q, want := range map[string]string{"inactive": idMessages, "roomid=": idMessages, "datasources": idDataSources, "ZGF0YXNvdXJjZXM": idDataSources} {
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
	s := newScreen(t, 100, 30)
	loaded(s, webhooks())
	cmd := fixture.Press(s, "enter")
	if s.mode != modeDetail || cmd == nil {
		t.Fatalf("enter: mode %v, cmd %v (want the detail and a GET)", s.mode, cmd != nil)
	}
	if busy, what := s.c.Busy(); !busy || what != "loading webhook details" {
		t.Fatalf("the detail fetches the webhook: %q", what)
	}
	if s.Capturing() {
		t.Fatal("the detail view leaves the global keys on")
	}
	v := fixture.View(s)
	for _, w := range []string{"Webhook BYOVA Service App authorized", "id", idAuthorized, "serviceApp", "authorized",
		"https://hooks.example.com/byova/webex-events", config.Mask(fixtureSecret), "masked", "ownedBy", "creator", "2098-11-02 12:00:00Z", "60d ago", "appId"} {
		if !strings.Contains(v, w) {
			t.Errorf("detail lacks %q:\n%s", w, v)
		}
	}
	if strings.Contains(v, fixtureSecret) {
		t.Fatal("the secret must be masked")
	}
	// Webex's answer replaces what the list knew.
	got := webhooks()[0]
	got.Name = "Renamed in Webex"
	s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindDetail), fetchedMsg{whID: got.ID, wh: &got}, nil))
	if !strings.Contains(fixture.View(s), "Renamed in Webex") {
		t.Errorf("detail not refreshed from GET:\n%s", fixture.View(s))
	}
	// An older fetch is dropped.
	old := s.c.Newest(Owner, common.KindDetail)
	fixture.Press(s, "esc", "j", "enter")
	stale := webhooks()[0]
	stale.Name = "STALE"
	s.Update(fixture.Reply(s.c, old, fetchedMsg{whID: stale.ID, wh: &stale}, nil))
	if strings.Contains(fixture.View(s), "STALE") {
		t.Fatal("an old detail answer must be dropped")
	}
	// A webhook deleted meanwhile leaves.
	_, cmd = s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindDetail), fetchedMsg{whID: idDeauthorized}, &api.Error{Status: 404}))
	if s.mode != modeList || s.Len() != 3 {
		t.Fatalf("a 404 removes the webhook: mode %v rows %d", s.mode, s.Len())
	}
	if n, _ := fixture.Find[common.NoticeMsg](fixture.Run(cmd)); !strings.Contains(n.Text, "no longer exists") {
		t.Fatalf("notice %q", n.Text)
	}
}

func TestDetailKeys(t *testing.T) {
	s := newScreen(t, 100, 8) // the detail scrolls
	loaded(s, webhooks())
	fixture.Press(s, "G", "enter")
	fixture.Press(s, "G")
	if !strings.Contains(fixture.View(s), "appId") {
		t.Errorf("G scrolls to the end:\n%s", fixture.View(s))
	}
	fixture.Press(s, "g", "pgdown", "pgup", "j", "k")
	if !strings.Contains(fixture.View(s), "Subscription") {
		t.Errorf("g scrolls back:\n%s", fixture.View(s))
	}
	if !strings.Contains(fixture.View(s), "Press e to re-activate") {
		t.Errorf("an inactive webhook says how to fix it:\n%s", fixture.View(s))
	}
	if cmd := fixture.Press(s, "r"); cmd == nil {
		t.Error("r reloads from the detail")
	}
	fixture.Press(s, "e")
	if s.mode != modeForm || s.form.editing.ID != idMessages {
		t.Fatalf("e in the detail edits that webhook: mode %v", s.mode)
	}
	fixture.Press(s, "esc")
	if s.mode != modeDetail {
		t.Fatal("cancelling the form goes back to the detail")
	}
	fixture.Press(s, "d")
	if s.mode != modeConfirm || !strings.Contains(fixture.View(s), "Old message bot") {
		t.Fatalf("d in the detail deletes that webhook:\n%s", fixture.View(s))
	}
	fixture.Press(s, "n", "esc")
	if s.mode != modeList {
		t.Fatal("esc leaves the detail")
	}
}

func TestCopyID(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, webhooks())
	fixture.Press(s, "j")
	for _, keys := range [][]string{{"y"}, {"enter", "y"}} {
		msgs := fixture.Run(fixture.Press(s, keys...))
		var clip bool
		for _, m := range msgs {
			if strings.Contains(fmt.Sprintf("%T", m), "setClipboardMsg") && fmt.Sprint(m) == idDeauthorized {
				clip = true
			}
		}
		n, ok := fixture.Find[common.NoticeMsg](msgs)
		if !clip || !ok || !strings.HasPrefix(n.Text, idDeauthorized+" · webhook ID sent to the clipboard (OSC 52") {
			t.Fatalf("%v must set the clipboard (OSC 52) and say so: %#v", keys, msgs)
		}
	}
}

// fillCreate fills the create form: target URL, then moves the resource picker down
// resourceSteps times and the event picker right eventSteps times, then a filter.
func fillCreate(s *Screen, name, target string, resourceSteps, eventSteps int, filter string) {
	fixture.TypeText(s, name)
	fixture.Press(s, "enter")
	fixture.TypeText(s, target)
	fixture.Press(s, "enter")
	for range resourceSteps {
		fixture.Press(s, "down")
	}
	fixture.Press(s, "enter")
	for range eventSteps {
		fixture.Press(s, "right")
	}
	fixture.Press(s, "enter")
	fixture.TypeText(s, filter)
	fixture.Press(s, "enter")
}

func TestCreateValidatesThenConfirms(t *testing.T) {
	s := newScreen(t, 100, 24)
	loaded(s, webhooks())
	cmd := fixture.Press(s, "n")
	if s.mode != modeForm || !s.Capturing() || cmd == nil {
		t.Fatalf("n: mode %v capturing %v", s.mode, s.Capturing())
	}
	v := fixture.View(s)
	for _, w := range []string{"Create a webhook", "Name", "Target URL", "Resource", "> serviceApp", "dataSources", "Event", "authorized", "Filter", "Secret", "generate one"} {
		if !strings.Contains(v, w) {
			t.Errorf("form lacks %q:\n%s", w, v)
		}
	}
	// The serviceApp events come first, and the event picker follows the resource.
	fixture.Press(s, "enter")
	fixture.TypeText(s, "http://plain.example.com/hook")
	fixture.Press(s, "enter")
	if !strings.Contains(fixture.View(s), "use https://") {
		t.Fatalf("an http URL is refused inline:\n%s", fixture.View(s))
	}
	fixture.Press(s, "ctrl+u") // clear the field
	fixture.TypeText(s, "https://receiver.example.com/webex")
	fixture.Press(s, "enter", "down", "enter") // dataSources
	if s.form.v.resource != "dataSources" || !slices.Contains(eventsFor("dataSources"), s.form.v.event) {
		t.Fatalf("resource %q event %q: the event picker must follow the resource", s.form.v.resource, s.form.v.event)
	}
	fixture.Press(s, "right", "enter")
	fixture.TypeText(s, "not a filter")
	fixture.Press(s, "enter")
	if !strings.Contains(fixture.View(s), "a filter is key=value") {
		t.Fatalf("a bad filter is refused inline:\n%s", fixture.View(s))
	}
	fixture.Press(s, "ctrl+u") // clear the field
	fixture.TypeText(s, "id=abc")
	fixture.Press(s, "enter")
	if s.mode != modeForm {
		t.Fatal("the secret choice is still to make")
	}
	fixture.Press(s, "enter") // generate
	if s.mode != modeConfirm {
		t.Fatalf("a valid form asks to confirm, mode %v:\n%s", s.mode, fixture.View(s))
	}
	v = fixture.View(s)
	for _, w := range []string{"Create this webhook?", "byova dataSources updated", "https://receiver.example.com/webex", "dataSources", "updated", "id=abc",
		"generated by byova, shown once after creating"} {
		if !strings.Contains(v, w) {
			t.Errorf("confirmation lacks %q:\n%s", w, v)
		}
	}
	// n goes back to the form with the values kept.
	fixture.Press(s, "n")
	if s.mode != modeForm || s.form.v.target != "https://receiver.example.com/webex" || s.form.v.filter != "id=abc" {
		t.Fatal("n must return to the form as typed")
	}
	fixture.Press(s, "enter", "enter", "enter", "enter", "enter", "enter")
	if s.mode != modeConfirm {
		t.Fatalf("mode %v:\n%s", s.mode, fixture.View(s))
	}
	if cmd := fixture.Press(s, "y"); cmd == nil || s.mode != modeList {
		t.Fatal("y sends and closes the dialog")
	}
	if busy, what := s.c.Busy(); !busy || what != "creating webhook" {
		t.Fatalf("the write must be in flight: %v %q", busy, what)
	}
	// Webex refuses: the form comes back as typed, with the banner.
	_, cmd = s.Update(fixture.Reply(s.c, s.lastWrite, writtenMsg{op: opCreate}, &api.Error{Status: 400, Message: "targetUrl is not reachable", TrackingID: "ROUTER_400"}))
	if s.mode != modeForm || s.form.v.target != "https://receiver.example.com/webex" {
		t.Fatalf("after a 400 the form returns: mode %v", s.mode)
	}
	if em, ok := fixture.Find[common.ErrorMsg](fixture.Run(cmd)); !ok || api.TrackingIDOf(em.Err) != "ROUTER_400" {
		t.Fatal("the 400 reaches the banner")
	}
	fixture.Press(s, "esc")
	if s.mode != modeConfirm || !strings.Contains(fixture.View(s), "Discard what you typed?") {
		t.Fatalf("esc asks before discarding what was typed:\n%s", fixture.View(s))
	}
	n, _ := fixture.Find[common.NoticeMsg](fixture.Run(fixture.Press(s, "y")))
	if s.mode != modeList || !strings.Contains(n.Text, "nothing was sent") {
		t.Fatalf("y discards the form: %q", n.Text)
	}
}

func TestCreateTypedSecretAndNone(t *testing.T) {
	s := newScreen(t, 100, 24)
	loaded(s, webhooks())
	fixture.Press(s, "n")
	fillCreate(s, "Mine", "https://r.example.com/x", 0, 1, "")
	fixture.Press(s, "right", "enter") // type my own
	if !strings.Contains(fixture.View(s), "It is not shown") {
		t.Fatalf("type my own asks for the secret:\n%s", fixture.View(s))
	}
	fixture.Press(s, "enter")
	if !strings.Contains(fixture.View(s), "the secret is required") {
		t.Fatalf("an empty secret is refused:\n%s", fixture.View(s))
	}
	fixture.TypeText(s, "my-own-secret-value")
	fixture.Press(s, "enter")
	v := fixture.View(s)
	if s.mode != modeConfirm || strings.Contains(v, "my-own-secret-value") || !strings.Contains(v, config.Mask("my-own-secret-value")) {
		t.Fatalf("the confirmation shows the typed secret masked:\n%s", v)
	}
	if !strings.Contains(v, "serviceApp") || !strings.Contains(v, "deauthorized") {
		t.Fatalf("resource/event:\n%s", v)
	}
	fixture.Press(s, "esc", "esc", "y", "n")
	fillCreate(s, "", "https://r.example.com/x", 0, 0, "")
	fixture.Press(s, "left", "enter") // none (wraps around)
	if s.mode != modeConfirm || !strings.Contains(fixture.View(s), "none: deliveries are not signed") {
		t.Fatalf("none:\n%s", fixture.View(s))
	}
}

func TestCreatedSecretIsShownOnce(t *testing.T) {
	s := newScreen(t, 100, 24)
	loaded(s, webhooks())
	secret := s.NewSecret()
	created := api.Webhook{ID: "Y2lzY29zcGFyazovL3VzL1dFQkhPT0svbmV3", Name: "New one", TargetURL: "https://n.example.com/x",
		Resource: "messages", Event: "created", Secret: secret, Status: "active"}
	id := s.c.BeginFor(Owner, common.KindWrite, "creating webhook").ID
	_, cmd := s.Update(fixture.Reply(s.c, id, writtenMsg{op: opCreate, wh: &created, reveal: secret}, nil))
	if n, _ := fixture.Find[common.NoticeMsg](fixture.Run(cmd)); !strings.Contains(n.Text, "created webhook New one") {
		t.Fatalf("notice %q", n.Text)
	}
	if s.mode != modeResult || !s.Capturing() {
		t.Fatal("the secret shows in a dialog that takes keys")
	}
	v := fixture.View(s)
	for _, w := range []string{secret, "only time byova shows this secret in full", "masked", "Copy it now (y"} {
		if !strings.Contains(v, w) {
			t.Errorf("reveal lacks %q:\n%s", w, v)
		}
	}
	msgs := fixture.Run(fixture.Press(s, "y"))
	var clip bool
	for _, m := range msgs {
		clip = clip || fmt.Sprint(m) == secret
	}
	if n, _ := fixture.Find[common.NoticeMsg](msgs); !clip || strings.Contains(n.Text, secret) {
		t.Fatalf("y copies the secret (OSC 52) without printing it: %q", n.Text)
	}
	fixture.Press(s, "enter")
	if s.mode != modeList || s.result != nil {
		t.Fatal("enter closes the reveal")
	}
	if s.Len() != 5 || s.Selected().ID != created.ID {
		t.Fatal("the new webhook joins the list under the cursor")
	}
	fixture.Press(s, "enter")
	if v := fixture.View(s); strings.Contains(v, secret) || !strings.Contains(v, config.Mask(secret)) {
		t.Fatalf("after the reveal the secret is masked:\n%s", v)
	}
}

func TestEditForm(t *testing.T) {
	s := newScreen(t, 100, 24)
	loaded(s, webhooks())
	fixture.Press(s, "e")
	if s.form == nil || s.form.kind != formEdit || s.form.v.name != "BYOVA Service App authorized" || s.form.v.target != eventsURL {
		t.Fatal("e opens the form prefilled")
	}
	if strings.Contains(fixture.View(s), "Re-activate") {
		t.Fatal("an active webhook is not offered re-activation")
	}
	fixture.Press(s, "ctrl+u") // clear the field
	fixture.Press(s, "enter")
	if !strings.Contains(fixture.View(s), "the name is required") {
		t.Fatalf("an empty name is refused:\n%s", fixture.View(s))
	}
	fixture.TypeText(s, "Renamed")
	fixture.Press(s, "enter", "enter", "right", "enter") // keep the URL, generate a secret
	if s.mode != modeConfirm {
		t.Fatalf("mode %v:\n%s", s.mode, fixture.View(s))
	}
	v := fixture.View(s)
	for _, w := range []string{"Save the changes to BYOVA Service App authorized?", "BYOVA Service App authorized → Renamed",
		"new: generated by byova, shown once after saving"} {
		if !strings.Contains(v, w) {
			t.Errorf("confirmation lacks %q:\n%s", w, v)
		}
	}
	if strings.Contains(v, "targetUrl") {
		t.Errorf("an unchanged target is not listed as a change:\n%s", v)
	}
	if cmd := fixture.Press(s, "enter"); cmd == nil {
		t.Fatal("enter saves")
	}
	if busy, what := s.c.Busy(); !busy || what != "updating webhook" {
		t.Fatalf("update in flight: %q", what)
	}

	// An inactive webhook offers re-activation, on by default.
	fixture.Press(s, "G", "e")
	if !strings.Contains(fixture.View(s), "Re-activate") || !s.form.v.reactivate {
		t.Fatalf("inactive: re-activate offered and on:\n%s", fixture.View(s))
	}
	fixture.Press(s, "enter", "enter", "enter", "enter")
	if s.mode != modeConfirm || !strings.Contains(fixture.View(s), "✗ inactive → ✓ active") || !strings.Contains(fixture.View(s), "delivering to this URL again") {
		t.Fatalf("the confirmation shows the re-activation:\n%s", fixture.View(s))
	}
	fixture.Press(s, "n")
	fixture.Press(s, "enter", "enter", "enter", "left", "enter") // No, leave it off
	if s.mode != modeConfirm || !strings.Contains(fixture.View(s), "changes") || strings.Contains(fixture.View(s), "→ ✓ active") {
		t.Fatalf("leaving it off changes nothing:\n%s", fixture.View(s))
	}
}

func TestDeleteNeedsY(t *testing.T) {
	s := newScreen(t, 100, 30)
	loaded(s, webhooks())
	fixture.Press(s, "d")
	v := fixture.View(s)
	for _, w := range []string{"Delete the webhook BYOVA Service App authorized?", idAuthorized, "serviceApp authorized", "authorizes the Service App", "This cannot"} {
		if !strings.Contains(v, w) {
			t.Errorf("delete confirmation lacks %q:\n%s", w, v)
		}
	}
	if cmd := fixture.Press(s, "enter"); cmd != nil || s.mode != modeConfirm {
		t.Fatal("enter must not delete")
	}
	fixture.Press(s, "esc")
	if s.mode != modeList {
		t.Fatal("esc cancels")
	}
	fixture.Press(s, "d", "q")
	if s.mode != modeList {
		t.Fatal("q cancels too (the dialog takes keys: it does not quit)")
	}
	fixture.Press(s, "d")
	if cmd := fixture.Press(s, "y"); cmd == nil {
		t.Fatal("y deletes")
	}
	if busy, what := s.c.Busy(); !busy || what != "deleting webhook" {
		t.Fatalf("delete in flight: %q", what)
	}
	_, cmd := s.Update(fixture.Reply(s.c, s.lastWrite, deletedMsg{whID: idAuthorized, name: "BYOVA Service App authorized"}, nil))
	if s.Len() != 3 || s.tbl.IndexOf(idAuthorized) >= 0 {
		t.Fatal("the deleted webhook leaves the list")
	}
	if n, _ := fixture.Find[common.NoticeMsg](fixture.Run(cmd)); !strings.Contains(n.Text, "deleted webhook BYOVA Service App authorized") {
		t.Fatalf("notice %q", n.Text)
	}
	_, cmd = s.Update(fixture.Reply(s.c, s.c.BeginFor(Owner, common.KindWrite, "x").ID, deletedMsg{whID: idDataSources, name: "Data source changes"}, &api.Error{Status: 404}))
	if n, _ := fixture.Find[common.NoticeMsg](fixture.Run(cmd)); s.Len() != 2 || !strings.Contains(n.Text, "already gone") {
		t.Fatalf("a 404 on delete: rows %d notice %q", s.Len(), n.Text)
	}
}

func TestEnsurePlanAndReport(t *testing.T) {
	s := newScreen(t, 100, 30)
	items := webhooks()
	items[1].Status = "inactive" // deauthorized needs re-activating
	loaded(s, items)
	fixture.Press(s, "G", "E")
	if s.form == nil || s.form.kind != formEnsure || s.form.v.target != eventsURL {
		t.Fatal("E prefills the target of the serviceApp webhooks")
	}
	fixture.Press(s, "enter", "enter")
	if s.mode != modeConfirm {
		t.Fatalf("mode %v:\n%s", s.mode, fixture.View(s))
	}
	v := fixture.View(s)
	for _, w := range []string{"Ensure the serviceApp webhooks for this target?", "authorized", "exists and is active: left as it is",
		"deauthorized", "exists, inactive: will be re-activated", eventsURL, "webhook's (", "reused"} {
		if !strings.Contains(v, w) {
			t.Errorf("ensure confirmation lacks %q:\n%s", w, v)
		}
	}
	if cmd := fixture.Press(s, "y"); cmd == nil {
		t.Fatal("y ensures")
	}
	if busy, what := s.c.Busy(); !busy || what != "ensuring serviceApp webhooks" {
		t.Fatalf("ensure in flight: %q", what)
	}
	secret := "generated-secret-for-the-report"
	re := items[1]
	re.Status = "active"
	_, cmd := s.Update(fixture.Reply(s.c, s.lastWrite, ensuredMsg{target: eventsURL, reveal: secret, res: &api.EnsureResult{Existing: items[:1], Reactivated: []api.Webhook{re}}}, nil))
	if s.mode != modeResult {
		t.Fatal("ensure reports what it did")
	}
	v = fixture.View(s)
	for _, w := range []string{"The serviceApp webhooks are in place", "authorized    existed · BYOVA Service App authorized",
		"deauthorized  re-activated · BYOVA Service App deauthorized", "1 existed, 1 re-activated, 0 created.", secret, "only time"} {
		if !strings.Contains(v, w) {
			t.Errorf("report lacks %q:\n%s", w, v)
		}
	}
	if n, _ := fixture.Find[common.NoticeMsg](fixture.Run(cmd)); !strings.Contains(n.Text, "1 existed, 1 re-activated, 0 created") {
		t.Fatalf("notice %q", n.Text)
	}
	fixture.Press(s, "esc")
	if r := s.tbl.At(s.tbl.IndexOf(idDeauthorized)); r == nil || r.status != "active" {
		t.Fatal("the re-activated webhook shows active")
	}

	// Run again: nothing to do, and an unused generated secret is never shown.
	fixture.Press(s, "E", "enter", "enter")
	if !strings.Contains(fixture.View(s), "not used: nothing to write") {
		t.Fatalf("second ensure:\n%s", fixture.View(s))
	}
	fixture.Press(s, "y")
	s.Update(fixture.Reply(s.c, s.lastWrite, ensuredMsg{target: eventsURL, res: &api.EnsureResult{Existing: items[:2]}}, nil))
	if v := fixture.View(s); !strings.Contains(v, "Nothing to do") || strings.Contains(v, "only time") {
		t.Fatalf("nothing to do:\n%s", v)
	}
}

func TestEnsureFailures(t *testing.T) {
	s := newScreen(t, 100, 30)
	loaded(s, nil)
	fixture.Press(s, "E")
	if s.form.v.target != "" {
		t.Fatal("no serviceApp webhook: the target starts empty")
	}
	fixture.TypeText(s, "https://new.example.com/events")
	fixture.Press(s, "enter", "right", "right", "enter") // none
	v := fixture.View(s)
	if !strings.Contains(v, "missing: will be created") || !strings.Contains(v, "none: deliveries are not signed") {
		t.Fatalf("plan for an empty list:\n%s", v)
	}
	fixture.Press(s, "y")
	// Webex refuses before anything was written: the form comes back with the banner.
	_, cmd := s.Update(fixture.Reply(s.c, s.lastWrite, ensuredMsg{target: "https://new.example.com/events", res: &api.EnsureResult{}}, &api.Error{Status: 403, Message: "lacks the required scope", TrackingID: "T403"}))
	if s.mode != modeForm || s.form.v.target != "https://new.example.com/events" {
		t.Fatalf("a refused ensure gives the form back: mode %v", s.mode)
	}
	if em, ok := fixture.Find[common.ErrorMsg](fixture.Run(cmd)); !ok || api.TrackingIDOf(em.Err) != "T403" {
		t.Fatal("the refusal reaches the banner")
	}
	// Part way: one created, then a failure.
	fixture.Press(s, "enter", "enter", "y")
	made := api.Webhook{ID: "Y2lzY29zcGFyazovL3VzL1dFQkhPT0svbWFkZQ", Name: "byova Service App authorized", Resource: "serviceApp", Event: "authorized",
		TargetURL: "https://new.example.com/events", Status: "active"}
	s.Update(fixture.Reply(s.c, s.lastWrite, ensuredMsg{target: made.TargetURL, res: &api.EnsureResult{Created: []api.Webhook{made}}}, fmt.Errorf("creating the deauthorized webhook: %w", &api.Error{Status: 500, Message: "boom", TrackingID: "T500"})))
	if v := fixture.View(s); s.mode != modeResult || !strings.Contains(v, "stopped part way") || !strings.Contains(v, "Press E to try again") ||
		!strings.Contains(v, "deauthorized  ✗ not done") || s.Len() != 1 {
		t.Fatalf("partial ensure:\n%s", v)
	}
}

func readOnlySession() *session.Session {
	return &session.Session{Settings: config.Settings{Profile: "prod", ReadOnly: true}}
}

func TestReadOnlyHidesAndRefusesWrites(t *testing.T) {
	s := newScreen(t, 100, 20)
	s.c.Session = readOnlySession()
	loaded(s, webhooks())
	has := func(k string) bool {
		return slices.ContainsFunc(s.KeyMap(), func(b key.Binding) bool { return b.Help().Key == k })
	}
	for _, k := range []string{"n", "e", "d", "E"} {
		if has(k) {
			t.Errorf("read-only footer offers %s", k)
		}
		cmd := fixture.Press(s, k)
		n, _ := fixture.Find[common.NoticeMsg](fixture.Run(cmd))
		if s.mode != modeList || !strings.Contains(n.Text, "read-only") {
			t.Errorf("%s in a read-only profile: mode %v, notice %q", k, s.mode, n.Text)
		}
	}
	fixture.Press(s, "enter")
	if has("e") || has("d") {
		t.Error("read-only detail offers writes")
	}
	if strings.Contains(fixture.View(s), "Press e") {
		t.Error("read-only detail offers e")
	}
	fixture.Press(s, "e")
	if s.mode != modeDetail {
		t.Error("e refused in the detail")
	}
	if !has("y") || !has("r") {
		t.Error("reading keys stay")
	}
}

func TestKeyMapFollowsMode(t *testing.T) {
	s := newScreen(t, 100, 24)
	loaded(s, webhooks())
	keys := func() string {
		var out []string
		for _, b := range s.KeyMap() {
			out = append(out, b.Help().Key)
		}
		return strings.Join(out, " ")
	}
	if k := keys(); !strings.Contains(k, "n") || !strings.Contains(k, "E") || !strings.Contains(k, "enter") {
		t.Errorf("list keys %q", k)
	}
	fixture.Press(s, "n")
	if k := keys(); !strings.HasPrefix(k, "esc") {
		t.Errorf("form keys %q", k)
	}
	fixture.Press(s, "esc", "d")
	if k := keys(); k != "y n/esc" {
		t.Errorf("delete keys %q", k)
	}
	fixture.Press(s, "esc", "/")
	if k := keys(); k != "enter esc" {
		t.Errorf("filter keys %q", k)
	}
}

func TestOrgSwitchDropsOldAnswers(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, webhooks())
	fixture.Press(s, "d", "y") // a delete in flight for the old org or profile
	write := s.lastWrite
	oldLoad := s.c.Newest(Owner, common.KindLoad)
	for _, m := range fixture.Run(s.c.SwitchOrg("11111111-2222-4333-8444-555555555555")) {
		s.Update(m)
	}
	if s.Loaded || s.Len() != 0 || s.c.Newest(Owner, common.KindLoad) == oldLoad {
		t.Fatal("a switch clears the list and reloads")
	}
	_, cmd := s.Update(fixture.Reply(s.c, write, deletedMsg{whID: idAuthorized, name: "x"}, nil))
	if n, _ := fixture.Find[common.NoticeMsg](fixture.Run(cmd)); !strings.Contains(n.Text, "previous") {
		t.Fatalf("the old write is reported as the previous org's: %q", n.Text)
	}
	s.Update(fixture.Reply(s.c, oldLoad, loadedMsg{items: webhooks()}, nil))
	if s.Len() != 0 {
		t.Fatal("the previous org's list must be dropped")
	}
	created := webhooks()[0]
	old := fixture.Reply(s.c, s.c.BeginFor(Owner, common.KindWrite, "x").ID, writtenMsg{op: opCreate, wh: &created, reveal: "s"}, nil)
	old.Gen-- // sent before the switch
	s.Update(old)
	if s.Len() != 0 || s.mode != modeList {
		t.Fatal("an old create neither joins the list nor reveals its secret")
	}
}

func TestMouseWheel(t *testing.T) {
	s := newScreen(t, 100, 20)
	loaded(s, webhooks())
	s.Update(fixture.Wheel(false))
	if s.List.Cursor != 3 {
		t.Fatalf("wheel down: cursor %d", s.List.Cursor)
	}
	s.Update(fixture.Wheel(true))
	if s.List.Cursor != 0 {
		t.Fatalf("wheel up: cursor %d", s.List.Cursor)
	}
}

func TestNothingOverflows(t *testing.T) {
	many := webhooks()
	for i := range 30 {
		many = append(many, api.Webhook{ID: fmt.Sprintf("Y2lzY29zcGFyazovL3VzL1dFQkhPT0svZ2VuZXJhdGVk%02d", i),
			Name: fmt.Sprintf("Generated webhook with a long name %04d", i), TargetURL: fmt.Sprintf("https://hooks.example.com/generated/%04d/with/extra/path", i),
			Resource: "meetingParticipants", Event: "joined", Status: "active", Created: "2098-12-01T00:00:00Z"})
	}
	for _, size := range [][2]int{{80, 21}, {100, 27}, {120, 37}} {
		w, h := size[0], size[1]
		s := newScreen(t, w, h)
		loaded(s, many)
		check := func(what string) {
			t.Helper()
			for i, l := range strings.Split(s.View(), "\n") {
				if lw := ansi.StringWidth(l); lw > w {
					t.Errorf("%dx%d %s: line %d is %d wide: %q", w, h, what, i, lw, ansi.Strip(l))
				}
			}
			if n := strings.Count(s.View(), "\n") + 1; n > h {
				t.Errorf("%dx%d %s: %d lines", w, h, what, n)
			}
		}
		check("list")
		fixture.Press(s, "G")
		check("list end")
		fixture.Press(s, "g", "enter")
		check("detail")
		fixture.Press(s, "esc", "n")
		check("create")
		fixture.Press(s, "tab", "tab", "tab", "tab", "tab", "right", "enter")
		check("create secret")
		fixture.Press(s, "esc", "G", "k", "e")
		check("edit")
		fixture.Press(s, "esc", "E")
		check("ensure")
		fixture.Press(s, "enter", "enter")
		check("ensure confirm")
		fixture.Press(s, "esc", "esc", "d")
		check("delete")
		fixture.Press(s, "esc")
		s.Update(fixture.Reply(s.c, s.c.BeginFor(Owner, common.KindWrite, "x").ID, writtenMsg{op: opCreate, wh: &many[5], reveal: strings.Repeat("s", 32)}, nil))
		check("reveal")
	}
}

func TestFitName(t *testing.T) {
	for _, tt := range []struct {
		name string
		w    int
		want string
	}{
		{"Short", 8, "Short   "},
		{"BYOVA Service App authorized", 12, "BYOVA Servi…"},
		{"Generated webhook 0130", 16, "Generated … 0130"},
		{"Generated webhook 0130", 8, "Generat…"},
		{"Release v2 rollout plan", 12, "Release v2 …"},
	} {
		if got := fitName(tt.name, tt.w); got != tt.want {
			t.Errorf("fitName(%q, %d) = %q, want %q", tt.name, tt.w, got, tt.want)
		}
	}
}
