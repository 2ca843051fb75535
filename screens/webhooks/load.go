package webhooks

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/listscreen"
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
	req := s.Load(s.c, Owner, "loading webhooks", loadTimeout)
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
		case listscreen.Canceled(r.Err):
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
	if !s.Wanted(s.c, r) {
		return nil
	}
	msg := r.Payload
	if !listscreen.Canceled(r.Err) {
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
		if s.Loaded && errors.Is(r.Err, api.ErrForbidden) {
			return common.Error("reloading webhooks (the token needs "+scopeRead+")", r.Err)
		}
		if !s.Loaded {
			s.tokenHeld = msg.held // what the failure shown in place of the list says
		}
		return s.Failed(r.Err)
	}
	s.Show(&s.tbl, func() {
		s.items = msg.items
		s.tbl.set(s.items)
	})
	if s.detail != nil {
		if p := s.tbl.IndexOf(s.detail.wh.ID); p >= 0 {
			s.detail.setWebhook(s.tbl.At(p).wh)
		}
	}
	return nil
}
