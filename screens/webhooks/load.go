package webhooks

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/ui/common"
)

// loadTimeout bounds one load of the list; the api client retries inside it.
const loadTimeout = 60 * time.Second

// loadedMsg is the answer to a load: every webhook of every page.
type loadedMsg struct {
	items []api.Webhook
	held  bool // a caller token is held (stored or in the environment): a sign-in error is Webex refusing it
}

// fetchedMsg is the answer to GET /webhooks/{id} for the detail view.
type fetchedMsg struct {
	whID string
	wh   *api.Webhook
}

func (s *Screen) load() tea.Cmd {
	if s.loadCancel != nil {
		s.loadCancel()
	}
	req := s.c.Request(Owner, common.KindLoad, "loading webhooks", loadTimeout)
	s.loadCancel = req.Cancel
	return func() tea.Msg {
		defer req.Cancel()
		msg := loadedMsg{}
		_, err := req.WithCaller(func(ctx context.Context, cl *api.Client) (err error) {
			msg.items, err = cl.ListWebhooks(ctx)
			return err
		})
		if errors.Is(err, api.ErrNotSignedIn) && req.Session != nil {
			src, serr := req.Session.CallerSource()
			msg.held = serr == nil && src != nil
		}
		return common.ReplyTo(req, msg, err)
	}
}

func (s *Screen) fetchCmd(whID string) tea.Cmd {
	req := s.c.Request(Owner, common.KindDetail, "loading webhook details", loadTimeout)
	msg := fetchedMsg{whID: whID}
	return func() tea.Msg {
		defer req.Cancel()
		_, err := req.WithCaller(func(ctx context.Context, cl *api.Client) (err error) {
			msg.wh, err = cl.GetWebhook(ctx, whID)
			return err
		})
		return common.ReplyTo(req, msg, err)
	}
}

func (s *Screen) onFetched(r common.Reply[fetchedMsg]) tea.Cmd {
	if !s.c.Current(r) {
		return nil // the person opened another one since, or switched org
	}
	msg := r.Payload
	if r.Err != nil {
		switch {
		case errors.Is(r.Err, context.Canceled):
			return nil
		case errors.Is(r.Err, api.ErrNotFound):
			s.remove(msg.whID)
			return common.Notice("webhook " + msg.whID + " no longer exists")
		}
		return common.Error("loading the details of webhook "+msg.whID, r.Err)
	}
	if msg.wh != nil {
		s.upsert(msg.wh)
	}
	return nil
}

func (s *Screen) onLoaded(r common.Reply[loadedMsg]) tea.Cmd {
	if !s.c.Current(r) {
		s.c.Logger.Debug("dropped a stale webhook list", "id", r.ID, "latest", s.c.Newest(Owner, common.KindLoad))
		return nil
	}
	s.loadCancel = nil
	msg := r.Payload
	if !errors.Is(r.Err, context.Canceled) {
		if errors.Is(r.Err, api.ErrNotSignedIn) && !msg.held {
			return s.showLoaded(r, msg) // no caller token: nothing was used
		}
		used := common.TokenUsed(common.TokenUsedMsg{Caller: true, What: "webhook list", Err: r.Err, At: s.c.Now()})
		return tea.Batch(used, s.showLoaded(r, msg))
	}
	return nil
}

// showLoaded puts a load's answer on screen.
func (s *Screen) showLoaded(r common.Reply[loadedMsg], msg loadedMsg) tea.Cmd {
	if r.Err != nil {
		if s.loaded {
			op := "reloading webhooks"
			if errors.Is(r.Err, api.ErrForbidden) {
				op += " (the token needs " + scopeRead + ")"
			}
			return common.Error(op, r.Err)
		}
		s.loadErr, s.tokenHeld = r.Err, msg.held
		return nil
	}
	keep := s.tbl.IDAt(s.list.Cursor)
	s.items = msg.items
	s.loaded, s.loadErr = true, nil
	s.tbl.set(s.items)
	s.list.Keep(&s.tbl, keep)
	if s.detail != nil {
		if p := s.tbl.IndexOf(s.detail.wh.ID); p >= 0 {
			s.detail.setWebhook(s.tbl.At(p).wh)
		}
	}
	return nil
}
