package datasources

import (
	"context"
	"errors"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/schemacache"
)

// Timeouts for one user action. The api client retries inside them.
const (
	loadTimeout  = 60 * time.Second
	writeTimeout = 30 * time.Second
)

// Audit operation names for the writes this screen sends.
const (
	opCreate = "datasources.create"
	opUpdate = "datasources.update"
	opExtend = "datasources.extend"
	opDelete = "datasources.delete"
)

// loadedMsg is the answer to a load: every data source of every page and the schema list.
type loadedMsg struct {
	org       string
	items     []api.DataSource
	schemas   []api.Schema
	schemaErr error // the list still shows without schema names
	took      time.Duration
}

// writtenMsg is the answer to a create, update or extend.
type writtenMsg struct {
	op   string
	dsID string
	ds   *api.DataSource // the object Webex returned
}

// deletedMsg is the answer to a delete.
type deletedMsg struct {
	dsID string
}

// load fetches data sources and, at the same time, the schema list through the schema
// cache (so reloads and the form's picker don't ask Webex again within its expiry).
// Schemas are only for display: if they fail the data sources still show, with schema ids.
func (s *Screen) load() tea.Cmd {
	if s.loadCancel != nil {
		s.loadCancel() // the older load's answer would be dropped anyway: stop it
	}
	req := s.c.Request("loading data sources", loadTimeout)
	s.loadID = req.ID
	s.loadCancel = req.Cancel
	ctx, now, base := req.Ctx, req.Now, req.BaseURL()
	return func() (out tea.Msg) {
		defer req.Cancel()
		start := time.Now()
		msg := loadedMsg{}
		defer func() {
			if r := recover(); r != nil {
				msg.items = nil
				out = req.Reply(msg, errors.New("byova could not handle Webex's list of data sources (please report it): unexpected data"))
			}
		}()
		cl, org, err := req.OrgClient()
		msg.org = org
		if err != nil {
			return req.Reply(msg, err)
		}
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg.schemas, msg.schemaErr = req.Schemas.Load(ctx, cl, base, schemacache.DefaultMaxAge, now)
		}()
		msg.items, err = cl.ListDataSources(ctx)
		wg.Wait()
		if err == nil && msg.schemaErr == nil && unknownSchema(msg.items, msg.schemas) {
			// A data source on a schema the cached list lacks: Webex added one since.
			msg.schemas, msg.schemaErr = req.Schemas.Reload(ctx, cl, base, now)
		}
		msg.took = time.Since(start)
		return req.Reply(msg, err)
	}
}

// unknownSchema reports a data source whose schema is not in list.
func unknownSchema(items []api.DataSource, list []api.Schema) bool {
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

// write sends one create/update/extend and audits it. fn gets the org client.
func (s *Screen) write(op, what, dsID string, fn func(ctx context.Context, cl *api.Client) (*api.DataSource, error)) tea.Cmd {
	req := s.c.Request(what, writeTimeout)
	s.lastWrite = req.ID
	msg := writtenMsg{op: op, dsID: dsID}
	return func() tea.Msg {
		defer req.Cancel()
		sent := false // audited only once there was a client to send with
		org, tid, err := req.WithOrg(func(ctx context.Context, cl *api.Client) (err error) {
			sent = true
			msg.ds, err = fn(ctx, cl)
			return err
		})
		if sent {
			auditID := dsID
			if msg.ds != nil && msg.ds.ID != "" {
				auditID = msg.ds.ID
			}
			req.AuditTracked(org, op, auditID, tid, err)
		}
		return req.Reply(msg, err)
	}
}

func (s *Screen) createCmd(in api.DataSourceCreate) tea.Cmd {
	return s.write(opCreate, "registering data source", "", func(ctx context.Context, cl *api.Client) (*api.DataSource, error) {
		return cl.CreateDataSource(ctx, in)
	})
}

func (s *Screen) updateCmd(id string, in api.DataSourceUpdate) tea.Cmd {
	return s.write(opUpdate, "updating data source", id, func(ctx context.Context, cl *api.Client) (*api.DataSource, error) {
		return cl.UpdateDataSource(ctx, id, in)
	})
}

// extendCmd is the CLI's extend (api.ExtendDataSource: re-read, as the list may be stale, keep
// the configuration) with the nonce the confirmation showed.
func (s *Screen) extendCmd(id, nonce string, lifetime int) tea.Cmd {
	return s.write(opExtend, "extending token", id, extendFn(id, nonce, lifetime))
}

// extendFn is one extend, shared by x on one row and the bulk run: the CLI's
// api.ExtendDataSource with the nonce the confirmation showed.
func extendFn(id, nonce string, lifetime int) func(ctx context.Context, cl *api.Client) (*api.DataSource, error) {
	return func(ctx context.Context, cl *api.Client) (*api.DataSource, error) {
		_, after, err := cl.ExtendDataSource(ctx, id, lifetime, api.WithNonce(nonce))
		return after, err
	}
}

func (s *Screen) deleteCmd(id string) tea.Cmd {
	req := s.c.Request("deleting data source", writeTimeout)
	msg := deletedMsg{dsID: id}
	return func() tea.Msg {
		defer req.Cancel()
		sent := false
		org, tid, err := req.WithOrg(func(ctx context.Context, cl *api.Client) error {
			sent = true
			return cl.DeleteDataSource(ctx, id)
		})
		if sent {
			req.AuditTracked(org, opDelete, id, tid, err)
		}
		return req.Reply(msg, err)
	}
}

// canceled reports an error that only says the request was stopped on purpose.
func canceled(err error) bool { return errors.Is(err, context.Canceled) }
