package receiver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
)

// MaxBody is the largest delivery accepted; serviceApp events are a few hundred bytes.
const MaxBody = 1 << 20

// Outcome is one line of the event log printed on stdout: nothing secret.
type Outcome struct {
	Time       time.Time `json:"time"`
	Event      string    `json:"event,omitempty"`
	Org        string    `json:"org,omitempty"`
	Result     string    `json:"result"` // stored, already stored, deleted, nothing to delete, rejected, failed
	Status     int       `json:"status"`
	Reason     string    `json:"reason,omitempty"`
	TrackingID string    `json:"trackingId,omitempty"`
}

// Handler receives deliveries on Path.
type Handler struct {
	Session *session.Session
	Secret  string    // when set, X-Spark-Signature must match
	Path    string    // default "/"
	Out     io.Writer // one JSON line per delivery
	Now     func() time.Time
	Timeout time.Duration // for the token fetch, default 20 s

	mu    sync.Mutex // one delivery at a time: the idempotence checks read, then write
	outMu sync.Mutex // whole lines on Out, also for rejections answered without mu
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := h.Path
	if path == "" {
		path = "/"
	}
	if r.URL.Path != path {
		h.finish(w, Outcome{Result: "rejected", Status: http.StatusNotFound, Reason: "no receiver at " + r.URL.Path})
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.finish(w, Outcome{Result: "rejected", Status: http.StatusMethodNotAllowed, Reason: "only POST is accepted"})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			h.finish(w, Outcome{Result: "rejected", Status: http.StatusRequestEntityTooLarge, Reason: "body over 1 MiB"})
		} else {
			h.finish(w, Outcome{Result: "rejected", Status: http.StatusBadRequest, Reason: "could not read the body"})
		}
		return
	}
	if h.Secret != "" {
		sig := r.Header.Get(api.SignatureHeader)
		switch {
		case sig == "":
			h.finish(w, Outcome{Result: "rejected", Status: http.StatusUnauthorized, Reason: "no X-Spark-Signature"})
			return
		case !api.VerifySignature(body, h.Secret, sig):
			h.finish(w, Outcome{Result: "rejected", Status: http.StatusUnauthorized, Reason: "X-Spark-Signature does not match"})
			return
		}
	}
	ev, err := api.ParseServiceAppEvent(body)
	if err != nil {
		h.finish(w, Outcome{Result: "rejected", Status: http.StatusBadRequest, Reason: err.Error()})
		return
	}
	if ours := h.Session.Settings.ServiceAppClientID; ours != "" && ev.AppID != "" && !sameApp(ev.AppID, ours) {
		h.finish(w, Outcome{Event: ev.Event, Org: ev.Org, Result: "rejected", Status: http.StatusBadRequest, Reason: "the event is for another Service App"})
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	ctx, cancel := context.WithTimeout(r.Context(), h.timeout())
	defer cancel()
	if ev.Event == api.EventAuthorized {
		h.finish(w, h.authorized(ctx, ev))
	} else {
		h.finish(w, h.deauthorized(ev))
	}
}

func (h *Handler) timeout() time.Duration {
	if h.Timeout > 0 {
		return h.Timeout
	}
	return 20 * time.Second
}

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
func (h *Handler) authorized(ctx context.Context, ev *api.ServiceAppEvent) Outcome {
	out := Outcome{Event: ev.Event, Org: ev.Org}
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
	sa := s.ServiceApp()
	if sa.ClientID == "" || sa.ClientSecret == "" {
		return fail(out, http.StatusServiceUnavailable, errors.New("no Service App credentials: set WEBEX_SA_CLIENT_ID and WEBEX_SA_CLIENT_SECRET, or sign in with `byova auth login --method service-app`"))
	}
	caller, err := s.Caller()
	if err != nil {
		return fail(out, http.StatusServiceUnavailable, err)
	}
	tok, err := caller.ServiceAppToken(ctx, sa, ev.Org)
	if err != nil {
		status := http.StatusBadGateway
		if errors.Is(err, api.ErrNotSignedIn) {
			status = http.StatusServiceUnavailable
		}
		return fail(out, status, err)
	}
	if err := s.SaveToken(config.KindServiceApp, ev.Org, sa.ClientID, sa.ClientSecret, tok); err != nil {
		return fail(out, http.StatusInternalServerError, err)
	}
	out.Result, out.Status = "stored", http.StatusOK
	return out
}

// authorizedAfter reports whether the authorization (ISO 8601) is newer than the stored token.
func authorizedAfter(authorizedAt string, obtained time.Time) bool {
	t, err := api.ParseTime(authorizedAt)
	return err == nil && t.After(obtained)
}

func (h *Handler) deauthorized(ev *api.ServiceAppEvent) Outcome {
	out := Outcome{Event: ev.Event, Org: ev.Org}
	s := h.Session
	removed := false
	err := s.Store.Update(func(t *config.Tokens) error {
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

var errNothing = errors.New("nothing to change")

func fail(out Outcome, status int, err error) Outcome {
	out.Result, out.Status, out.Reason, out.TrackingID = "failed", status, err.Error(), api.TrackingIDOf(err)
	return out
}

// finish answers the sender and prints the event line.
func (h *Handler) finish(w http.ResponseWriter, o Outcome) {
	o.Time = h.now().UTC()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(o.Status)
	reply := map[string]string{"result": o.Result}
	if o.Reason != "" {
		reply["reason"] = o.Reason
	}
	json.NewEncoder(w).Encode(reply)
	if h.Out != nil {
		line, _ := json.Marshal(o)
		h.outMu.Lock()
		fmt.Fprintf(h.Out, "%s\n", line)
		h.outMu.Unlock()
	}
}

// NewServer is an HTTP server for h on addr with timeouts that a slow or hostile client
// cannot hold open.
func NewServer(addr string, h *Handler) *http.Server {
	return &http.Server{
		Addr: addr, Handler: h,
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 60 * time.Second, MaxHeaderBytes: 64 << 10,
	}
}

// IsLoopback reports whether a listen address's host is this machine only.
func IsLoopback(host string) bool {
	host = strings.Trim(host, "[]")
	return host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1"
}
