package receiver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
)

// sameApp compares a Webex application ID (or client ID) with our client ID.
func sameApp(eventApp, clientID string) bool {
	id := eventApp
	if _, inner, err := api.DecodeID(eventApp); err == nil {
		id = inner
	}
	return id == clientID
}

// authorized stores the org's Service App tokens, unless a token obtained after this
// authorization is already stored (the same delivery twice changes nothing more).
func (h *Handler) authorized(ctx context.Context, ev *api.ServiceAppEvent, out Outcome) Outcome {
	s := h.Session
	toks, err := s.Store.Load()
	if err != nil {
		return fail(out, http.StatusInternalServerError, err)
	}
	if ps := toks.Profiles[s.Profile()]; ps != nil {
		if t := ps.Orgs[ev.Org]; t != nil && t.RefreshToken != "" && !authorizedAfter(ev.AuthorizedAt, t.ObtainedAt) {
			out.Result, out.Status = "already stored", http.StatusOK
			return out
		}
	}
	tok, sa, status, err := h.askForToken(ctx, ev.Org)
	if err != nil {
		return fail(out, status, err)
	}
	if err := s.SaveToken(config.KindServiceApp, ev.Org, sa.ClientID, sa.ClientSecret, tok); err != nil {
		return fail(out, http.StatusInternalServerError, err)
	}
	out.Result, out.Status = "stored", http.StatusOK
	return out
}

// askForToken asks Webex for the org's Service App token with the caller token; status is
// what the sender is answered when that fails.
func (h *Handler) askForToken(ctx context.Context, org string) (api.Token, api.ServiceApp, int, error) {
	s := h.Session
	sa := s.ServiceApp()
	if sa.ClientID == "" || sa.ClientSecret == "" {
		return api.Token{}, sa, http.StatusServiceUnavailable, errors.New("no Service App credentials: set WEBEX_SA_CLIENT_ID and WEBEX_SA_CLIENT_SECRET, or sign in with `byova auth login --method service-app`")
	}
	caller, err := s.Caller()
	if err != nil {
		return api.Token{}, sa, http.StatusServiceUnavailable, err
	}
	tok, err := caller.ServiceAppToken(ctx, sa, org)
	if err != nil {
		status := http.StatusBadGateway
		if errors.Is(err, api.ErrNotSignedIn) {
			status = http.StatusServiceUnavailable
		}
		return api.Token{}, sa, status, err
	}
	return tok, sa, http.StatusOK, nil
}

// authorizedAfter reports whether the authorization (ISO 8601) is newer than the stored token.
func authorizedAfter(authorizedAt string, obtained time.Time) bool {
	t, err := api.ParseTime(authorizedAt)
	return err == nil && t.After(obtained)
}

// deauthorized deletes the org's tokens once Webex confirms the Service App is no longer
// authorized there. A signed delivery can be replayed: an old "deauthorized" sent again after
// a newer "authorized" must not delete the fresh tokens, and the body alone cannot tell (the
// signature covers no time). So Webex is asked for a token for the org: 403 is the documented
// "not authorized in that org" and confirms; a token means it is still authorized and the
// tokens stay; anything else cannot decide and keeps them too, failing so Webex may retry.
func (h *Handler) deauthorized(ctx context.Context, ev *api.ServiceAppEvent, out Outcome) Outcome {
	s := h.Session
	toks, err := s.Store.Load()
	if err != nil {
		return fail(out, http.StatusInternalServerError, err)
	}
	if ps := toks.Profiles[s.Profile()]; ps == nil || ps.Orgs[ev.Org] == nil {
		out.Result, out.Status = "nothing to delete", http.StatusOK
		return out
	}
	_, _, status, err := h.askForToken(ctx, ev.Org)
	switch {
	case err == nil:
		out.Result, out.Status = "ignored", http.StatusOK
		out.Reason = "still authorized: Webex still grants this org's Service App token, so this deauthorization is stale or replayed; tokens kept"
		return out
	case webexStatus(err) != http.StatusForbidden:
		return fail(out, status, fmt.Errorf("could not confirm with Webex that the org deauthorized the Service App, tokens kept (if it did, run `byova auth logout --org %s`): %w", ev.Org, err))
	}
	removed := false
	err = s.Store.Update(func(t *config.Tokens) error {
		ps := t.Profiles[s.Profile()]
		if ps == nil || ps.Orgs[ev.Org] == nil {
			return errNothing
		}
		delete(ps.Orgs, ev.Org)
		removed = true
		return nil
	})
	switch {
	case errors.Is(err, errNothing):
		out.Result, out.Status = "nothing to delete", http.StatusOK
	case err != nil:
		return fail(out, http.StatusInternalServerError, err)
	case removed:
		out.Result, out.Status = "deleted", http.StatusOK
	}
	return out
}
