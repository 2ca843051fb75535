package hostile

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Fault is how the server answers every request once set.
type Fault int

const (
	NoFault   Fault = iota
	JSONError       // 400 with message, errors[].description and trackingId carrying Payload
	HTMLError       // 403 with an HTML page carrying Payload, as a proxy or WAF in the way sends (not 5xx: no retries)
)

// Server is the hostile Webex: data sources, schemas, webhooks and people whose every string
// field carries Payload; writes answer with a hostile error.
type Server struct {
	*httptest.Server
	mu    sync.Mutex
	fault Fault
}

// NewServer starts the server on 127.0.0.1; Close stops it.
func NewServer() *Server {
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Fail makes every later answer f.
func (s *Server) Fail(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// ErrorJSON is the Webex error body the server sends for JSONError.
func ErrorJSON() []byte {
	b, _ := json.Marshal(map[string]any{
		"message":    Field("message"),
		"errors":     []map[string]string{{"description": Field("description")}},
		"trackingId": Field("ROUTER_"),
	})
	return b
}

// ErrorHTML is the body sent for HTMLError.
func ErrorHTML() string {
	return "<html><head><title>" + Field("502") + "</title></head><body>" + Field("Bad gateway") + "</body></html>"
}

// DataSource is the hostile data source with id (CRDataSource has only a CR in its url).
func DataSource(id string) map[string]any {
	exp := time.Date(2099, 1, 1, 13, 0, 0, 0, time.UTC)
	ds := map[string]any{
		"id": id, "schemaId": SchemaID, "url": Field("https://x.example/"), "audience": Field("aud"),
		"subject": Field("sub"), "nonce": Field("nonce"), "tokenLifetimeMinutes": 60,
		"status": Field("disabled"), "errorMessage": Field("err"), "orgId": Field("org"),
		"applicationId": Field("app"), "createdBy": Field("by"), "createdAt": Field("2024"),
		"updatedBy": Field("by"), "updatedAt": Field("2024"), "jwsToken": JWS(exp.Unix()),
		"tokenExpiryTime": exp.Format(time.RFC3339),
	}
	if id == CRDataSource {
		ds["url"], ds["audience"], ds["subject"], ds["status"] = CRURL, "CR", "url", "active"
	}
	return ds
}

// Schema is the hostile schema.
func Schema() map[string]any {
	return map[string]any{
		"id": SchemaID, "appType": Field("app"), "createdAt": Field("2024"), "protocol": Field("gRPC"),
		"serviceType": Field("VoiceVirtualAgent"), "url": Field("https://schema.example/"),
		"description": Field("line one") + "\nline two\r\n" + Field("three"),
	}
}

// Webhook is the hostile webhook.
func Webhook() map[string]any {
	return map[string]any{
		"id": WebhookID, "name": Field("name"), "targetUrl": Field("https://target.example/"),
		"resource": Field("serviceApp"), "event": Field("authorized"), "filter": Field("f=1"),
		"secret": Field("secret"), "status": Field("inactive"), "created": Field("2024"),
		"orgId": Field("org"), "createdBy": Field("by"), "appId": Field("app"), "ownedBy": Field("org"),
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	fault := s.fault
	s.mu.Unlock()
	path := strings.TrimSuffix(r.URL.Path, "/")
	w.Header().Set("Trackingid", "HDR_\u202egnp\u009b2J") // controls would make the header malformed
	token := r.Method == http.MethodPost && (path == "/v1/access_token" ||
		strings.HasPrefix(path, "/v1/applications/") && strings.HasSuffix(path, "/token"))
	if fault == NoFault && r.Method != http.MethodGet && !token {
		fault = JSONError
	}
	switch fault {
	case JSONError:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(ErrorJSON())
		return
	case HTMLError:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(ErrorHTML()))
		return
	}
	var v any
	switch {
	case token:
		v = map[string]any{"access_token": "hostile-access-token", "token_type": "Bearer", "expires_in": 3600,
			"refresh_token": "hostile-refresh-token", "refresh_token_expires_in": 7776000}
	case path == "/v1/dataSources/schemas":
		v = map[string]any{"items": []any{Schema()}}
	case strings.HasPrefix(path, "/v1/dataSources/schemas/"):
		v = Schema()
	case path == "/v1/dataSources":
		v = map[string]any{"items": []any{DataSource(DataSourceID), DataSource(CRDataSource)}}
	case strings.HasPrefix(path, "/v1/dataSources/"):
		v = DataSource(strings.TrimPrefix(path, "/v1/dataSources/"))
	case path == "/v1/webhooks":
		v = map[string]any{"items": []any{Webhook()}}
	case strings.HasPrefix(path, "/v1/webhooks/"):
		v = Webhook()
	case path == "/v1/people/me":
		v = map[string]any{"id": Field("person"), "displayName": Field("Mallory"), "emails": []string{Field("m@example")}, "orgId": Field("org")}
	default:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(ErrorJSON())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
