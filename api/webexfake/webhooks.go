package webexfake

import (
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

type webhook struct {
	seq                              uint64
	id                               string // Hydra WEBHOOK id
	name, targetURL, resource, event string
	filter, secret, status, ownedBy  string
	orgID, createdBy, appID          string // plain ids; shown as Hydra ids
	created                          time.Time
}

type webhookView struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	TargetURL string `json:"targetUrl"`
	Resource  string `json:"resource"`
	Event     string `json:"event"`
	Filter    string `json:"filter,omitempty"`
	Secret    string `json:"secret,omitempty"`
	Status    string `json:"status"`
	Created   string `json:"created"`
	OrgID     string `json:"orgId"`
	CreatedBy string `json:"createdBy"`
	AppID     string `json:"appId"`
	OwnedBy   string `json:"ownedBy"`
}

func (h *webhook) view() webhookView {
	return webhookView{
		ID: h.id, Name: h.name, TargetURL: h.targetURL, Resource: h.resource, Event: h.event,
		Filter: h.filter, Secret: h.secret, Status: h.status, Created: isoTime(h.created),
		OrgID: HydraID("ORGANIZATION", h.orgID), CreatedBy: HydraID("PEOPLE", h.createdBy),
		AppID: HydraID("APPLICATION", h.appID), OwnedBy: h.ownedBy,
	}
}

var webhookResources = []string{
	"attachmentActions", "dataSources", "meetings", "meetingParticipants", "meetingTranscripts",
	"memberships", "messages", "recordings", "rooms", "serviceApp", "telephony_calls",
	"telephony_conference", "telephony_mwi", "convergedRecordings", "uc_counters", "adminBatchJobs",
}

var webhookEvents = []string{
	"created", "updated", "deleted", "started", "ended", "joined", "left", "migrated",
	"authorized", "deauthorized", "statusChanged", "all",
}

// webhookCaller authenticates a webhooks call: people's tokens (PAT, Integration) only.
func (s *Server) webhookCaller(r *http.Request, write bool) (grant, *apiError) {
	g, e := s.authenticate(r)
	if e != nil {
		return g, e
	}
	if g.kind == kindServiceApp {
		return g, newError(http.StatusForbidden, msgForbidden,
			"Service App tokens cannot manage webhooks; use a personal access token or an Integration token.")
	}
	if write {
		return g, requireScope(g, ScopeSparkAll, ScopeWebhooksWrite)
	}
	return g, requireScope(g, ScopeSparkAll, ScopeWebhooksRead)
}

// validTargetURL accepts https, and plain http only for loopback receivers in local tests.
func validTargetURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false
	}
	switch u.Scheme {
	case "https":
		return true
	case "http":
		if u.Hostname() == "localhost" {
			return true
		}
		ip := net.ParseIP(u.Hostname())
		return ip != nil && ip.IsLoopback()
	}
	return false
}

func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request, _ []byte) {
	g, e := s.webhookCaller(r, false)
	if e != nil {
		writeError(w, e)
		return
	}
	p, e := parsePage(r, "wh", s.webhookPageSize())
	if e != nil {
		writeError(w, e)
		return
	}
	ownedBy := r.URL.Query().Get("ownedBy")
	if ownedBy != "" && ownedBy != "org" {
		writeError(w, newError(http.StatusBadRequest, "Invalid value for ownedBy: only org is supported."))
		return
	}
	s.mu.Lock()
	page, more := pageOf(s.whOrder, func(h *webhook) uint64 { return h.seq }, func(h *webhook) bool {
		return h.orgID == g.orgID && (ownedBy == "" || h.ownedBy == ownedBy)
	}, p)
	items := make([]webhookView, len(page))
	var last uint64
	for i, h := range page {
		items[i] = h.view()
		last = h.seq
	}
	s.mu.Unlock()
	setLink(w, r, "wh", p, last, more)
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request, body []byte) {
	g, e := s.webhookCaller(r, true)
	if e != nil {
		writeError(w, e)
		return
	}
	obj, e := readJSONObject(r, body)
	if e != nil {
		writeError(w, e)
		return
	}
	var problems []string
	required := func(name string) string {
		v, present, problem := obj.str(name)
		switch {
		case problem != "":
			problems = append(problems, problem)
		case !present || strings.TrimSpace(v) == "":
			problems = append(problems, name+" is required.")
		}
		return v
	}
	optional := func(name string) string {
		v, _, problem := obj.str(name)
		if problem != "" {
			problems = append(problems, problem)
		}
		return v
	}
	h := &webhook{
		name: required("name"), targetURL: required("targetUrl"),
		resource: required("resource"), event: required("event"),
		filter: optional("filter"), secret: optional("secret"), ownedBy: optional("ownedBy"),
	}
	if h.targetURL != "" && !validTargetURL(h.targetURL) {
		problems = append(problems, "targetUrl must be an https URL (http is allowed only for localhost).")
	}
	if h.resource != "" && !slices.Contains(webhookResources, h.resource) {
		problems = append(problems, "Unknown resource: "+h.resource+".")
	}
	if h.event != "" && !slices.Contains(webhookEvents, h.event) {
		problems = append(problems, "Unknown event: "+h.event+".")
	}
	switch h.ownedBy {
	case "":
		h.ownedBy = "creator"
	case "creator", "org":
	default:
		problems = append(problems, "ownedBy must be creator or org.")
	}
	if problems != nil {
		writeError(w, validationError(problems))
		return
	}
	s.mu.Lock()
	h.seq = s.nextSeq()
	h.id = HydraID("WEBHOOK", s.rt.uuid())
	h.status = "active"
	h.orgID, h.createdBy, h.appID = g.orgID, g.personID, g.clientID
	h.created = s.now()
	s.whByID[h.id] = h
	s.whOrder = append(s.whOrder, h)
	v := h.view()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, v)
}

// findWebhook returns the caller's webhook; s.mu must be held.
func (s *Server) findWebhook(g grant, id string) *webhook {
	h := s.whByID[id]
	if h == nil || h.orgID != g.orgID {
		return nil
	}
	return h
}

func (s *Server) getWebhook(w http.ResponseWriter, r *http.Request, id string) {
	g, e := s.webhookCaller(r, false)
	if e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.findWebhook(g, id)
	if h == nil {
		writeError(w, errNotFound())
		return
	}
	writeJSON(w, http.StatusOK, h.view())
}

func (s *Server) updateWebhook(w http.ResponseWriter, r *http.Request, id string, body []byte) {
	g, e := s.webhookCaller(r, true)
	if e != nil {
		writeError(w, e)
		return
	}
	obj, e := readJSONObject(r, body)
	if e != nil {
		writeError(w, e)
		return
	}
	var problems []string
	name, present, problem := obj.str("name")
	if problem != "" || !present || strings.TrimSpace(name) == "" {
		problems = append(problems, "name is required.")
	}
	target, present, problem := obj.str("targetUrl")
	switch {
	case problem != "" || !present || target == "":
		problems = append(problems, "targetUrl is required.")
	case !validTargetURL(target):
		problems = append(problems, "targetUrl must be an https URL (http is allowed only for localhost).")
	}
	secret, hasSecret, problem := obj.str("secret")
	if problem != "" {
		problems = append(problems, problem)
	}
	status, hasStatus, problem := obj.str("status")
	if problem != "" {
		problems = append(problems, problem)
	} else if hasStatus && status != "active" && status != "inactive" {
		problems = append(problems, "status must be active or inactive.")
	}
	ownedBy, hasOwnedBy, problem := obj.str("ownedBy")
	if problem != "" {
		problems = append(problems, problem)
	} else if hasOwnedBy && ownedBy != "creator" && ownedBy != "org" {
		problems = append(problems, "ownedBy must be creator or org.")
	}
	if problems != nil {
		writeError(w, validationError(problems))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.findWebhook(g, id)
	if h == nil {
		writeError(w, errNotFound())
		return
	}
	h.name, h.targetURL = name, target
	if hasSecret {
		h.secret = secret
	}
	// The docs: status takes active, to re-activate a webhook Webex disabled; an update cannot
	// deactivate one. inactive is answered, and changes nothing (docs/webex-fake.md, 19).
	if hasStatus && status == "active" {
		h.status = status
	}
	if hasOwnedBy { // Webex's update schema lists ownedBy (spec §8.1)
		h.ownedBy = ownedBy
	}
	writeJSON(w, http.StatusOK, h.view())
}

func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request, id string) {
	g, e := s.webhookCaller(r, true)
	if e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.findWebhook(g, id)
	if h == nil {
		writeError(w, errNotFound())
		return
	}
	delete(s.whByID, id)
	s.whOrder = slices.DeleteFunc(s.whOrder, func(x *webhook) bool { return x == h })
	w.WriteHeader(http.StatusNoContent)
}
