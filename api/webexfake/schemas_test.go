package webexfake

import (
	"net/http"
	"strings"
	"testing"
)

func TestSchemas(t *testing.T) {
	s := start(t, Options{})
	c := s.Creds()
	for name, token := range map[string]string{"service app": c.ServiceAppAccessToken, "PAT": c.PersonalAccessToken, "integration": c.IntegrationAccessToken} {
		t.Run("list with "+name, func(t *testing.T) {
			r := call(t, http.MethodGet, s.URL()+"/dataSources/schemas", token, "", nil)
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			items := r.items(t)
			if len(items) < 4 {
				t.Fatalf("%d schemas", len(items))
			}
			byID := map[string]map[string]any{}
			for _, it := range items {
				for _, f := range []string{"id", "appType", "createdAt", "protocol", "serviceType", "url", "description"} {
					if f == "description" && it["id"] == SchemaWebService {
						continue // the docs' example schema has none
					}
					if it[f] == nil || it[f] == "" {
						t.Errorf("schema lacks %s: %v", f, it)
					}
				}
				byID[it["id"].(string)] = it
			}
			for id, want := range map[string][2]string{
				SchemaVoiceVirtualAgent:          {"VoiceVirtualAgent", "gRPC"},
				SchemaWebService:                 {"webService", "gRPC"},
				SchemaVoiceVirtualAgentWebSocket: {"VoiceVirtualAgentWebSocket", "WebSocket"},
			} {
				if byID[id]["serviceType"] != want[0] || byID[id]["protocol"] != want[1] {
					t.Errorf("schema %s = %v", id, byID[id])
				}
			}
			if d, _ := byID[SchemaVoiceVirtualAgent]["description"].(string); !strings.HasPrefix(d, "BYOVA media forking") || !strings.Contains(d, "demo data") {
				t.Errorf("VVA description %v", byID[SchemaVoiceVirtualAgent]["description"])
			}
		})
	}
	tests := []struct {
		name, method, path, token string
		status                    int
	}{
		{"get", "GET", "/dataSources/schemas/" + SchemaVoiceVirtualAgent, c.PersonalAccessToken, 200},
		{"get, trailing slash", "GET", "/dataSources/schemas/" + SchemaWebService + "/", c.ServiceAppAccessToken, 200},
		{"lowercase collection", "GET", "/datasources/schemas/", c.ServiceAppAccessToken, 200},
		{"unknown", "GET", "/dataSources/schemas/11111111-1111-4111-8111-111111111111", c.PersonalAccessToken, 404},
		{"no token", "GET", "/dataSources/schemas", "", 401},
		{"POST", "POST", "/dataSources/schemas", c.PersonalAccessToken, 405},
		{"max is ignored: the list is not paged", "GET", "/dataSources/schemas?max=0", c.PersonalAccessToken, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, tt.method, s.URL()+tt.path, tt.token, "", nil)
			if tt.status != 200 {
				checkWebexError(t, r, tt.status, "")
				return
			}
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			if _, isList := r.json(t)["items"]; !isList {
				if r.json(t)["id"] == nil {
					t.Fatalf("bare schema lacks id: %s", r.body)
				}
			}
		})
	}
}

// The docs' example schema is served exactly as published; every other schema says it is demo data.
func TestSchemasDocumentedOrMarked(t *testing.T) {
	for _, sc := range seededSchemas() {
		if sc.ID == SchemaWebService {
			want := schema{SchemaWebService, "serviceApp", "2024-09-05T01:35:04.772Z", "gRPC", "webService", "/path/to/definition/file3", ""}
			if sc != want {
				t.Errorf("documented schema %+v, want %+v", sc, want)
			}
			continue
		}
		if !strings.Contains(sc.Description, "demo data") {
			t.Errorf("schema %s is not marked as demo data: %q", sc.ID, sc.Description)
		}
	}
}
