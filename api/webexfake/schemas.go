package webexfake

import (
	"net/http"
	"strings"
)

type schema struct {
	ID          string `json:"id"`
	AppType     string `json:"appType"`
	CreatedAt   string `json:"createdAt"`
	Protocol    string `json:"protocol"`
	ServiceType string `json:"serviceType"`
	URL         string `json:"url"`
	Description string `json:"description,omitempty"` // not in Webex's schema object; the Manager reads it
}

// Well-known schema ids (spec §7.2).
const (
	SchemaVoiceVirtualAgent          = "5397013b-7920-4ffc-807c-e8a3e0a18f43"
	SchemaWebService                 = "78efc775-dccb-45ca-9acf-989a4a59f788"
	SchemaVoiceVirtualAgentWebSocket = "a38a10b7-43e4-4676-a076-a7d6dce9387d"
)

// demoMark starts the description of every schema, or part of one, that no source documents.
const demoMark = "(demo data) "

// seededSchemas are the same for every seed: schemas are global in Webex, not per org.
// SchemaWebService is the docs' own example, field for field (spec §7.1). The other two
// well-known ids are real (spec §7.2), but their other fields are not published, so they are
// marked as demo data, like the two invented schemas after them.
func seededSchemas() []schema {
	return []schema{
		{SchemaVoiceVirtualAgent, "serviceApp", "2024-06-11T17:02:41.118Z", "gRPC", "VoiceVirtualAgent",
			"/schemas/voice-virtual-agent/v1/voicevirtualagent.proto", "BYOVA media forking " + demoNote},
		{SchemaWebService, "serviceApp", "2024-09-05T01:35:04.772Z", "gRPC", "webService",
			"/path/to/definition/file3", ""},
		{SchemaVoiceVirtualAgentWebSocket, "serviceApp", "2025-02-19T09:14:27.530Z", "WebSocket", "VoiceVirtualAgentWebSocket",
			"/schemas/voice-virtual-agent/v1/websocket.json", "BYOVA media streaming over WebSocket " + demoNote},
		{"c1f9e5d2-8a47-4b3e-9d16-5e2a7b0c4f81", "serviceApp", "2025-05-02T12:48:09.004Z", "HTTPS", "contactCenterInsights",
			"/schemas/contact-center-insights/v1/openapi.yaml", demoMark + "Contact center AI insights callbacks"},
		{"6e2d4a90-17bc-4f5e-a3d8-0b9c8e1f2a37", "integration", "2025-08-21T06:30:55.261Z", "HTTPS", "agentAssist",
			"/schemas/agent-assist/v1/openapi.yaml", demoMark + "Agent assist suggestions"},
	}
}

// demoNote follows the description of a real schema id whose other fields are made up.
const demoNote = "(id as published; other fields demo data)"

// listSchemas serves any valid token: schemas need no specific scope.
func (s *Server) listSchemas(w http.ResponseWriter, r *http.Request, _ []byte) {
	if _, e := s.authenticate(r); e != nil {
		writeError(w, e)
		return
	}
	p, e := s.parseUnpagedList(r, "sc")
	if e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	idx := make([]int, len(s.schemas)) // a schema's sequence is its position + 1
	for i := range idx {
		idx[i] = i
	}
	page, more := pageOf(idx, func(i int) uint64 { return uint64(i + 1) }, func(int) bool { return true }, p)
	items := make([]schema, len(page))
	var last uint64
	for i, n := range page {
		items[i], last = s.schemas[n], uint64(n+1)
	}
	s.mu.Unlock()
	setLink(w, r, "sc", p, last, more)
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (s *Server) getSchema(w http.ResponseWriter, r *http.Request, id string) {
	if _, e := s.authenticate(r); e != nil {
		writeError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sc := range s.schemas {
		if strings.EqualFold(sc.ID, id) {
			writeJSON(w, http.StatusOK, sc)
			return
		}
	}
	writeError(w, errNotFound())
}

// schemaExists reports whether id names a schema; s.mu must be held.
func (s *Server) schemaExists(id string) bool {
	for _, sc := range s.schemas {
		if strings.EqualFold(sc.ID, id) {
			return true
		}
	}
	return false
}
