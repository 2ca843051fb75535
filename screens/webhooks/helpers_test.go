package webhooks

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
	fixture "github.com/byova/byova/ui/uitest"
)

// The fixture webhooks: one of each state the list must show, around the fixture clock.
const (
	idAuthorized   = "Y2lzY29zcGFyazovL3VzL1dFQkhPT0svYXV0aG9yaXplZA"
	idDeauthorized = "Y2lzY29zcGFyazovL3VzL1dFQkhPT0svZGVhdXRob3JpemVk"
	idDataSources  = "Y2lzY29zcGFyazovL3VzL1dFQkhPT0svZGF0YXNvdXJjZXM"
	idMessages     = "Y2lzY29zcGFyazovL3VzL1dFQkhPT0svbWVzc2FnZXM"
	fixtureSecret  = "f1x7ur3-s3cr3t-0f-th3-s3rv1c3app-h00ks"
	eventsURL      = "https://hooks.example.com/byova/webex-events"
)

func webhooks() []api.Webhook {
	at := func(d time.Duration) string { return fixture.Now.Add(-d).Format(time.RFC3339) }
	return []api.Webhook{
		{ID: idAuthorized, Name: "BYOVA Service App authorized", TargetURL: eventsURL, Resource: "serviceApp", Event: "authorized",
			Secret: fixtureSecret, Status: "active", Created: at(60 * 24 * time.Hour), OwnedBy: "creator", OrgID: "Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9kZXY", CreatedBy: "Y2lzY29zcGFyazovL3VzL1BFT1BMRS9kZXY", AppID: "Y2lzY29zcGFyazovL3VzL0FQUExJQ0FUSU9OL3BvcnRhbA"},
		{ID: idDeauthorized, Name: "BYOVA Service App deauthorized", TargetURL: eventsURL, Resource: "serviceApp", Event: "deauthorized",
			Secret: fixtureSecret, Status: "active", Created: at(60 * 24 * time.Hour), OwnedBy: "creator"},
		{ID: idDataSources, Name: "Data source changes", TargetURL: "https://hooks.example.com/byova/datasources", Resource: "dataSources", Event: "updated",
			Status: "active", Created: at(45 * 24 * time.Hour), OwnedBy: "creator"},
		{ID: idMessages, Name: "Old message bot", TargetURL: "https://bot.example.com/webex/messages/with/a/rather/long/path/to/the/handler", Resource: "messages", Event: "created",
			Filter: "roomId=Y2lzY29zcGFyazovL3VzL1JPT00vMTIz", Status: "inactive", Created: at(200 * 24 * time.Hour), OwnedBy: "creator"},
	}
}

// newScreen builds the screen with no session (requests fail at once), the fixture clock, no
// colour and a counting secret generator.
func newScreen(t testing.TB, w, h int) *Screen {
	t.Helper()
	c := common.New(context.Background(), nil, styles.New(true), nil, fixture.Clock)
	s := New(c)
	n := 0
	s.NewSecret = func() string {
		n++
		return "generated-secret-" + strings.Repeat("x", 14) + string(rune('0'+n))
	}
	s.SetSize(w, h)
	return s
}

// loaded feeds the screen a successful answer to its latest load.
func loaded(s *Screen, items []api.Webhook) {
	s.load()
	s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{items: items}, nil))
}

func mustList(t testing.TB, cl *api.Client) []api.Webhook {
	t.Helper()
	items, err := cl.ListWebhooks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return items
}
