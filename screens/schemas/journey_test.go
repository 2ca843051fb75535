package schemas

import (
	"os"
	"strings"
	"testing"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/tui/common"
)

func newSchemas(c *common.Common) common.Screen { return New(c) }

func TestJourneyLoadFilterDetail(t *testing.T) {
	isolate(t)
	fake, s := fakeSession(t)
	j := startJourney(t, s, newSchemas, 100, 30)
	j.waitText("Schemas 5", "from Webex", "VoiceVirtualAgentWebSocket", "contactCenterInsights", "agentAssist")
	j.idle()
	j.press("/")
	j.typeText("websocket")
	j.waitText("1 of 5")
	j.press("enter", "enter")
	j.waitText("Schema VoiceVirtualAgentWebSocket (a38a10b7…)", webexfake.SchemaVoiceVirtualAgentWebSocket, "WebSocket",
		"/schemas/voice-virtual-agent/v1/websocket.json", "BYOVA media streaming over WebSocket", "2025-02-19 09:14:27Z")
	j.press("esc", "esc")
	j.waitText("Schemas 5", "3/5") // the cursor stays on the schema it was on
	if n := schemaGETs(fake); n != 1 {
		t.Fatalf("%d schema GETs, want 1", n)
	}
	j.quit()
}

func TestJourneyCacheHitAndReload(t *testing.T) {
	isolate(t)
	fake, s := fakeSession(t)
	j := startJourney(t, s, newSchemas, 100, 30)
	j.waitText("Schemas 5", "from Webex")
	j.idle()
	j.quit()
	if _, err := os.Stat(CacheFile()); err != nil {
		t.Fatalf("the list is cached: %v", err)
	}
	if n := schemaGETs(fake); n != 1 {
		t.Fatalf("%d GETs after the first run", n)
	}

	// A second run within the expiry reads the cache: no GET.
	j = startJourney(t, s, newSchemas, 100, 30)
	j.waitText("Schemas 5", "cached just now", "r reloads")
	j.idle()
	if n := schemaGETs(fake); n != 1 {
		t.Fatalf("the cache must answer within the expiry: %d GETs", n)
	}
	// r asks Webex whatever the cache holds.
	j.press("r")
	j.waitText("Schemas 5", "from Webex")
	j.idle()
	if n := schemaGETs(fake); n != 2 {
		t.Fatalf("r bypasses the cache: %d GETs, want 2", n)
	}
	j.quit()
}

func TestJourneyCorruptCacheIsReplaced(t *testing.T) {
	isolate(t)
	fake, s := fakeSession(t)
	if err := os.MkdirAll(cacheDirOf(), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(CacheFile(), []byte("\x00garbage{"), 0o600); err != nil {
		t.Fatal(err)
	}
	j := startJourney(t, s, newSchemas, 100, 30)
	j.waitText("Schemas 5", "from Webex")
	j.idle()
	b, err := os.ReadFile(CacheFile())
	if err != nil || !strings.Contains(string(b), `"version": 1`) || schemaGETs(fake) != 1 {
		t.Fatalf("the corrupt cache is replaced: %v\n%s", err, b)
	}
	j.quit()
}

func TestJourneyUnreachable(t *testing.T) {
	isolate(t)
	fake, s := fakeSession(t)
	_ = fake.Close()
	j := startJourney(t, s, newSchemas, 100, 30)
	j.waitText("Webex is unreachable.", "r to retry")
	j.quit()
}
