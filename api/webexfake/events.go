package webexfake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Delivery is one webhook event the fake sent (or chose not to send).
type Delivery struct {
	WebhookID, TargetURL string
	Resource, Event      string
	Body                 []byte // the exact JSON posted
	Signature            string // X-Spark-Signature sent; "" when the webhook has no secret
	Status               int    // the receiver's HTTP status; 0 if it was not reached
	Err                  string // why it failed, if it did
	Skipped              bool   // target on a reserved domain (example.com, .invalid): not sent
	Time                 time.Time
}

// Deliveries returns every webhook event the fake produced, oldest first.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivery(nil), s.deliveries...)
}

type eventEnvelope struct {
	ID        string           `json:"id"`
	Name      string           `json:"name"`
	TargetURL string           `json:"targetUrl"`
	Resource  string           `json:"resource"`
	Event     string           `json:"event"`
	Filter    string           `json:"filter,omitempty"`
	OrgID     string           `json:"orgId"`
	CreatedBy string           `json:"createdBy"`
	AppID     string           `json:"appId"`
	OwnedBy   string           `json:"ownedBy"`
	Status    string           `json:"status"`
	Created   string           `json:"created"`
	ActorID   string           `json:"actorId"`
	Data      serviceAppChange `json:"data"`
}

// serviceAppChange is the event's data. The customer org is data.authorizerOrgId; the
// envelope's orgId is the webhook owner's (the developer's) org, as on every webhook object
// (spec §8.4). No source shows a data.orgId, so the fake sends none.
type serviceAppChange struct {
	ID                string `json:"id"`              // the Service App (Hydra APPLICATION id)
	AuthorizerOrgID   string `json:"authorizerOrgId"` // the customer org, Hydra
	AuthorizationDate string `json:"authorizationDate"`
}

// envelope is the delivery of a serviceApp event about o through h; s.mu must be held.
func (s *Server) envelope(h *webhook, o *org) eventEnvelope {
	return eventEnvelope{
		ID: h.id, Name: h.name, TargetURL: h.targetURL, Resource: h.resource, Event: h.event,
		Filter: h.filter, OrgID: HydraID("ORGANIZATION", h.orgID), CreatedBy: HydraID("PEOPLE", h.createdBy),
		AppID: HydraID("APPLICATION", h.appID), OwnedBy: h.ownedBy, Status: h.status,
		Created: isoTime(h.created), ActorID: HydraID("PEOPLE", o.adminID),
		Data: serviceAppChange{
			ID: s.saAppID, AuthorizerOrgID: HydraID("ORGANIZATION", o.id), AuthorizationDate: isoTime(o.authorizedAt),
		},
	}
}

type pendingEvent struct {
	hook webhook
	body []byte
}

// serviceAppEvents builds one event per active webhook subscribed to serviceApp/event whose
// filter lets this Service App through; s.mu must be held.
func (s *Server) serviceAppEvents(o *org, event string) []pendingEvent {
	var out []pendingEvent
	for _, h := range s.whOrder {
		if h.status != "active" || h.resource != "serviceApp" || h.event != event || !s.filterMatches(h.filter) {
			continue
		}
		env := s.envelope(h, o)
		body, err := json.Marshal(env)
		if err != nil {
			continue // plain strings only; cannot fail
		}
		out = append(out, pendingEvent{hook: *h, body: body})
	}
	return out
}

// filterMatches applies a serviceApp webhook filter ("id=…", "friendlyName=…", joined by &).
func (s *Server) filterMatches(filter string) bool {
	if filter == "" {
		return true
	}
	q, err := url.ParseQuery(filter)
	if err != nil {
		return false
	}
	if id := q.Get("id"); id != "" {
		_, clientID, ok := parseHydra(id)
		if !ok || clientID != s.sa.id {
			return false
		}
	}
	if name := q.Get("friendlyName"); name != "" && name != s.sa.name {
		return false
	}
	return true
}

// isReservedHost reports names that can never resolve (RFC 2606/6761): the seeded webhooks
// point there, so AuthorizeOrg does not wait on DNS for them.
func isReservedHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, d := range []string{"example.com", "example.net", "example.org", "example", "invalid"} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

var deliveryClient = &http.Client{
	Timeout: 10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse // Webex does not follow redirects from receivers
	},
}

// deliver POSTs each event to its webhook's target (outside s.mu) and logs it.
func (s *Server) deliver(events []pendingEvent) error {
	_, err := s.deliverAll(events)
	return err
}

// deliverAll is deliver that also returns what was sent, in order.
func (s *Server) deliverAll(events []pendingEvent) ([]Delivery, error) {
	var sent []Delivery
	var errs []error
	for _, ev := range events {
		d := Delivery{
			WebhookID: ev.hook.id, TargetURL: ev.hook.targetURL, Resource: ev.hook.resource,
			Event: ev.hook.event, Body: ev.body, Time: s.now(),
		}
		if ev.hook.secret != "" {
			d.Signature = sign(ev.body, ev.hook.secret)
		}
		if u, err := url.Parse(ev.hook.targetURL); err == nil && isReservedHost(u.Hostname()) {
			d.Skipped = true
		} else {
			var err error
			d.Status, err = post(d)
			if err != nil {
				d.Err = err.Error()
				errs = append(errs, fmt.Errorf("webhook %s (%s): %w", ev.hook.name, ev.hook.targetURL, err))
			}
		}
		s.mu.Lock()
		s.deliveries = append(s.deliveries, d)
		s.mu.Unlock()
		sent = append(sent, d)
	}
	return sent, errors.Join(errs...)
}

// post sends one event and returns the receiver's status.
func post(d Delivery) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.TargetURL, bytes.NewReader(d.Body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Webex-Webhooks/1.0 (byova fake)")
	if d.Signature != "" {
		req.Header.Set("X-Spark-Signature", d.Signature)
	}
	resp, err := deliveryClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("receiver answered HTTP %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}
