package schemas

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/schemacache"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
	fixture "github.com/byova/byova/ui/uitest"
)

// schemaList is the fixture list with dates and descriptions, as Webex sends them.
func schemaList() []api.Schema {
	out := fixture.Schemas()
	dates := []string{"2024-06-11T17:02:41.118Z", "2024-09-05T01:35:04.772Z", "2025-02-19T09:14:27.530Z"}
	desc := []string{"BYOVA media forking", "Generic web service data exchange", "BYOVA media streaming over WebSocket"}
	for i := range out {
		out[i].CreatedAt, out[i].Description = dates[i], desc[i]
		out[i].URL = "/schemas/" + strings.ToLower(out[i].ServiceType) + "/v1/definition"
	}
	return append(out, api.Schema{ID: "6e2d4a90-17bc-4f5e-a3d8-0b9c8e1f2a37", AppType: "integration", Protocol: "HTTPS",
		ServiceType: "agentAssist", CreatedAt: "2025-08-21T06:30:55.261Z", Description: "Agent assist suggestions"})
}

// newScreen builds the screen with no session, the fixture clock and no colour.
func newScreen(t testing.TB, w, h int) *Screen {
	t.Helper()
	c := common.New(context.Background(), nil, styles.New(true), nil, fixture.Clock)
	s := New(c)
	s.SetSize(w, h)
	return s
}

// loaded feeds the screen a successful answer to its latest load.
func loaded(s *Screen, items []api.Schema, fromCache bool) {
	s.load(false)
	at := fixture.Now
	if fromCache {
		at = fixture.Now.Add(-12 * time.Minute)
	}
	s.Update(fixture.Reply(s.c, s.c.Newest(Owner, common.KindLoad), loadedMsg{res: schemacache.Result{Items: items, FetchedAt: at, FromCache: fromCache}}, nil))
}

// cacheFile is where the UI caches schemas (after fixture.Isolate: the test's own folder).
func cacheFile() string { return schemacache.Default().File }

func cacheDirOf() string { return filepath.Dir(cacheFile()) }
