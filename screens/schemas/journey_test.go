package schemas

import (
	"os"
	"strings"
	"testing"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/ui/common"
	fixture "github.com/byova/byova/ui/uitest"
)

func newSchemas(c *common.Common) common.Screen { return New(c) }

func TestJourneyLoadFilterDetail(t *testing.T) {
	fixture.Isolate(t)
	fake, s := fixture.FakeSession(t, webexfake.Options{Seed: 1})
	j := fixture.StartJourney(t, s, newSchemas, 100, 30)
	j.WaitText("Schemas 5", "from Webex", "VoiceVirtualAgentWebSocket", "contactCenterInsights", "agentAssist")
	j.Idle()
	j.Press("/")
	j.TypeText("websocket")
	j.WaitText("1 of 5")
	j.Press("enter", "enter")
	j.WaitText("Schema VoiceVirtualAgentWebSocket (a38a10b7…)", webexfake.SchemaVoiceVirtualAgentWebSocket, "WebSocket",
		"/schemas/voice-virtual-agent/v1/websocket.json", "BYOVA media streaming over WebSocket", "2025-02-19 09:14:27Z")
	j.Press("esc", "esc")
	j.WaitText("Schemas 5", "3/5") // the cursor stays on the schema it was on
	if n := fixture.Requests(fake, "GET", "/v1/dataSources/schemas"); n != 1 {
		t.Fatalf("%d schema GETs, want 1", n)
	}
	j.Quit()
}

func TestJourneyCacheHitAndReload(t *testing.T) {
	fixture.Isolate(t)
	fake, s := fixture.FakeSession(t, webexfake.Options{Seed: 1})
	j := fixture.StartJourney(t, s, newSchemas, 100, 30)
	j.WaitText("Schemas 5", "from Webex")
	j.Idle()
	j.Quit()
	if _, err := os.Stat(cacheFile()); err != nil {
		t.Fatalf("the list is cached: %v", err)
	}
	if n := fixture.Requests(fake, "GET", "/v1/dataSources/schemas"); n != 1 {
		t.Fatalf("%d GETs after the first run", n)
	}

	// A second run within the expiry reads the cache: no GET.
	j = fixture.StartJourney(t, s, newSchemas, 100, 30)
	j.WaitText("Schemas 5", "cached just now", "r reloads")
	j.Idle()
	if n := fixture.Requests(fake, "GET", "/v1/dataSources/schemas"); n != 1 {
		t.Fatalf("the cache must answer within the expiry: %d GETs", n)
	}
	// r asks Webex whatever the cache holds.
	j.Press("r")
	j.WaitText("Schemas 5", "from Webex")
	j.Idle()
	if n := fixture.Requests(fake, "GET", "/v1/dataSources/schemas"); n != 2 {
		t.Fatalf("r bypasses the cache: %d GETs, want 2", n)
	}
	j.Quit()
}

func TestJourneyCorruptCacheIsReplaced(t *testing.T) {
	fixture.Isolate(t)
	fake, s := fixture.FakeSession(t, webexfake.Options{Seed: 1})
	if err := os.MkdirAll(cacheDirOf(), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cacheFile(), []byte("\x00garbage{"), 0o600); err != nil {
		t.Fatal(err)
	}
	j := fixture.StartJourney(t, s, newSchemas, 100, 30)
	j.WaitText("Schemas 5", "from Webex")
	j.Idle()
	b, err := os.ReadFile(cacheFile())
	if err != nil || !strings.Contains(string(b), `"version": 1`) || fixture.Requests(fake, "GET", "/v1/dataSources/schemas") != 1 {
		t.Fatalf("the corrupt cache is replaced: %v\n%s", err, b)
	}
	j.Quit()
}

func TestJourneyUnreachable(t *testing.T) {
	fixture.Isolate(t)
	fake, s := fixture.FakeSession(t, webexfake.Options{Seed: 1})
	_ = fake.Close()
	j := fixture.StartJourney(t, s, newSchemas, 100, 30)
	j.WaitText("Webex is unreachable.", "r to retry")
	j.Quit()
}
