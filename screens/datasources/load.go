package datasources

import (
	"context"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/schemacache"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/listscreen"
)

// loadTimeout bounds one load of the list; the api client retries inside it.
const loadTimeout = 60 * time.Second

// loadedMsg is the answer to a load: every data source of every page and the schema list.
type loadedMsg struct {
	org       string
	items     []*api.DataSource // into the api client's chunks: never copied whole
	schemas   []api.Schema
	schemaErr error // the list still shows without schema names
	took      time.Duration
	built     *builtRows // the rows, made while the list was read (nil: showLoaded makes them)
}

// load fetches data sources and, at the same time, the schema list through the schema
// cache (so reloads and the form's picker don't ask Webex again within its expiry).
// Schemas are only for display: if they fail the data sources still show, with schema ids.
func (s *Screen) load() tea.Cmd {
	req := s.Load(s.c, Owner, "loading data sources", loadTimeout)
	now, base := req.Now, req.BaseURL()
	return func() tea.Msg {
		defer req.Cancel()
		start := time.Now()
		msg := loadedMsg{}
		// Safely, in the command and in the schema fetch beside it: a panic on a goroutine of
		// its own would not reach the command's recover and would end the whole UI.
		org, _, err := req.WithOrg(func(ctx context.Context, cl *api.Client) error {
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				msg.schemaErr = common.Safely(func() (err error) {
					msg.schemas, err = req.Schemas.Load(ctx, cl, base, schemacache.DefaultMaxAge, now)
					return err
				})
			}()
			items, err := cl.ListDataSourceRefs(ctx, nil)
			wg.Wait()
			msg.items = items
			if err == nil && msg.schemaErr == nil && unknownSchema(msg.items, msg.schemas) {
				// A data source on a schema the cached list lacks: Webex added one since.
				msg.schemas, msg.schemaErr = req.Schemas.Reload(ctx, cl, base, now)
			}
			if err == nil && msg.schemaErr == nil {
				// The rows are made here, off the UI's goroutine, on both cores.
				msg.built = buildRows(items, schemaMap(msg.schemas))
			}
			return err
		})
		msg.org = org
		msg.took = time.Since(start)
		return common.ReplyTo(req, msg, err)
	}
}

// schemaMap is the schema list by id.
func schemaMap(list []api.Schema) map[string]api.Schema {
	m := make(map[string]api.Schema, len(list))
	for _, sc := range list {
		m[sc.ID] = sc
	}
	return m
}

// unknownSchema reports a data source whose schema is not in list.
func unknownSchema(items []*api.DataSource, list []api.Schema) bool {
	known := make(map[string]bool, len(list))
	for _, sc := range list {
		known[sc.ID] = true
	}
	for _, ds := range items {
		if ds.SchemaID != "" && !known[ds.SchemaID] {
			return true
		}
	}
	return false
}

func (s *Screen) onLoaded(r common.Reply[loadedMsg]) tea.Cmd {
	if !s.Wanted(s.c, r) {
		return nil
	}
	msg := r.Payload
	// The header shows the org the load resolved: the root applies it (unless a switch came
	// since).
	cmd := tea.Batch(common.OrgResolved(msg.org, r.Gen), s.showLoaded(r.Err, msg), s.scheduleRefresh())
	if msg.org != "" && !listscreen.Canceled(r.Err) {
		cmd = tea.Batch(cmd, common.TokenUsed(common.TokenUsedMsg{Org: msg.org, What: "data source list", Err: r.Err, At: s.c.Now()}))
	}
	return cmd
}

func (s *Screen) showLoaded(err error, msg loadedMsg) tea.Cmd {
	if err != nil {
		if listscreen.Canceled(err) {
			return nil
		}
		return s.Failed(err)
	}
	if msg.schemaErr != nil {
		// With an error, schemas.Load may still hand back an expired cached list: better than none.
		s.c.Logger.Debug("schemas unavailable", "err", msg.schemaErr, "stale", len(msg.schemas))
	}
	if msg.schemaErr == nil || len(msg.schemas) > 0 {
		s.schemaList = msg.schemas
		if msg.built != nil {
			s.schemas = msg.built.schemas
		} else {
			s.schemas = schemaMap(msg.schemas)
		}
	}
	s.c.Logger.Debug("data sources loaded", "n", len(msg.items), "ms", msg.took.Milliseconds())
	s.Show(&s.tbl, func() {
		s.items = msg.items
		if b := msg.built; b != nil { // built from these items, with the schemas (load)
			s.tbl.install(b)
		} else {
			s.tbl.set(s.items, s.schemas)
		}
		s.relayout()
	})
	s.pruneMarks()
	s.refreshedAt = s.c.Now()
	bellCmd := s.checkCrossings(s.refreshedAt)
	if s.detail != nil {
		if p := s.tbl.IndexOf(s.detail.ds.ID); p >= 0 {
			s.detail.setDataSource(s.tbl.At(p).ds)
		}
	}
	return bellCmd
}
