package webexfake

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

var validCreate = map[string]any{
	"schemaId": SchemaWebService, "url": "https://www.byods.example.com/service1",
	"audience": "MedDocVirtualAgent", "subject": "callAudioData", "nonce": "jeieu38udue83u398",
	"tokenLifetimeMinutes": 60,
}

func with(base map[string]any, kv ...any) map[string]any {
	m := map[string]any{}
	for k, v := range base {
		m[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(m, kv[i].(string))
			continue
		}
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

var unionFields = []string{"id", "schemaId", "url", "audience", "subject", "nonce", "tokenLifetimeMinutes",
	"status", "errorMessage", "orgId", "applicationId", "jwsToken", "createdBy", "createdAt", "updatedBy",
	"updatedAt", "tokenExpiryTime"}

func TestListDataSources(t *testing.T) {
	s := start(t, Options{Now: func() time.Time { return fixedNow }})
	c := s.Creds()
	for _, path := range []string{"/dataSources", "/dataSources/", "/datasources", "/datasources/"} {
		t.Run(path, func(t *testing.T) {
			r := call(t, http.MethodGet, s.URL()+path, c.ServiceAppAccessToken, "", nil)
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			items := r.items(t)
			if len(items) != 8 {
				t.Fatalf("%d items", len(items))
			}
			for _, it := range items {
				for _, f := range []string{"id", "status", "schemaId", "orgId", "applicationId", "jwsToken", "createdBy", "createdAt", "url", "updatedAt"} {
					if _, ok := it[f]; !ok {
						t.Errorf("list item lacks %s: %v", f, it)
					}
				}
				for _, f := range []string{"audience", "subject", "nonce", "tokenLifetimeMinutes"} {
					if _, ok := it[f]; ok {
						t.Errorf("list item has %s; clients must read it from the JWS", f)
					}
				}
				if it["orgId"] != c.OrgID || it["applicationId"] != c.ServiceAppClientID {
					t.Errorf("orgId/applicationId %v %v", it["orgId"], it["applicationId"])
				}
			}
			if r.header.Get("Link") != "" {
				t.Errorf("unexpected Link %q", r.header.Get("Link"))
			}
		})
	}
}

func TestGetDataSource(t *testing.T) {
	s := start(t, Options{})
	c := s.Creds()
	items := call(t, http.MethodGet, s.URL()+"/dataSources", c.ServiceAppAccessToken, "", nil).items(t)
	id := items[0]["id"].(string)
	r := call(t, http.MethodGet, s.URL()+"/dataSources/"+id, c.ServiceAppAccessToken, "", nil)
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	got := r.json(t)
	for _, f := range unionFields {
		if _, ok := got[f]; !ok {
			t.Errorf("get lacks %s", f)
		}
	}
	if got["jwsToken"] != items[0]["jwsToken"] {
		t.Error("get and list disagree on the token")
	}
	stored, ok := s.DataSource(id)
	if !ok || stored["nonce"] != got["nonce"] || stored["jwsToken"] != got["jwsToken"] {
		t.Errorf("DataSource(%s) = %v, %v", id, stored, ok)
	}

	other := refreshGrant(t, s, c.OtherOrgServiceAppRefreshToken, c.ServiceAppClientID, c.ServiceAppClientSecret).json(t)["access_token"].(string)
	tests := []struct {
		name, method, path, token string
		status                    int
	}{
		{"unknown id", "GET", "/dataSources/00000000-0000-4000-8000-000000000000", c.ServiceAppAccessToken, 404},
		{"other org's source", "GET", "/dataSources/" + id, other, 404},
		{"PAT lacks datasource scope", "GET", "/dataSources/" + id, c.PersonalAccessToken, 403},
		{"no token", "GET", "/dataSources/" + id, "", 401},
		{"PATCH", "PATCH", "/dataSources/" + id, c.ServiceAppAccessToken, 405},
		{"POST on item", "POST", "/dataSources/" + id, c.ServiceAppAccessToken, 405},
		{"too deep", "GET", "/dataSources/" + id + "/x", c.ServiceAppAccessToken, 404},
		{"unknown resource", "GET", "/rooms", c.ServiceAppAccessToken, 404},
		{"outside /v1", "GET", "/../v2/dataSources", c.ServiceAppAccessToken, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkWebexError(t, call(t, tt.method, s.URL()+tt.path, tt.token, "", nil), tt.status, "")
		})
	}
	if _, ok := s.DataSource("nope"); ok {
		t.Error("DataSource(nope) found something")
	}
}

func TestCreateDataSource(t *testing.T) {
	s := start(t, Options{Now: func() time.Time { return fixedNow }})
	c := s.Creds()
	tests := []struct {
		name   string
		ctype  string
		body   any
		status int
		want   string
	}{
		{"valid", "", validCreate, 200, ""},
		{"schemaId as one-element array", "", with(validCreate, "schemaId", []string{SchemaVoiceVirtualAgent}), 200, ""},
		{"wss url", "", with(validCreate, "url", "wss://ws.example.com/byova"), 200, ""},
		{"missing schemaId", "", with(validCreate, "schemaId", nil), 400, "schemaId is required."},
		{"missing url", "", with(validCreate, "url", nil), 400, "url is required."},
		{"missing audience", "", with(validCreate, "audience", nil), 400, "audience is required."},
		{"missing subject", "", with(validCreate, "subject", nil), 400, "subject is required."},
		{"missing nonce", "", with(validCreate, "nonce", nil), 400, "nonce is required."},
		{"missing lifetime", "", with(validCreate, "tokenLifetimeMinutes", nil), 400, "tokenLifetimeMinutes is required."},
		{"empty audience", "", with(validCreate, "audience", " "), 400, "audience must not be empty."},
		{"unknown schema", "", with(validCreate, "schemaId", "11111111-1111-4111-8111-111111111111"), 400, "is not a known schema"},
		{"lifetime 0", "", with(validCreate, "tokenLifetimeMinutes", 0), 400, "between 1 and 1440"},
		{"lifetime 1441", "", with(validCreate, "tokenLifetimeMinutes", 1441), 400, "between 1 and 1440"},
		{"lifetime as string", "", with(validCreate, "tokenLifetimeMinutes", "60"), 400, "tokenLifetimeMinutes must be a number."},
		{"lifetime fractional", "", with(validCreate, "tokenLifetimeMinutes", 1.5), 400, "whole number"},
		{"http url (the docs say URL, no scheme)", "", with(validCreate, "url", "http://www.byods.example.com/x"), 200, ""},
		{"no host", "", with(validCreate, "url", "https:///x"), 400, "url must be an absolute URL"},
		{"relative url", "", with(validCreate, "url", "/service1"), 400, "url must be"},
		{"nonce as number", "", with(validCreate, "nonce", 5), 400, "nonce must be a string."},
		{"empty object", "", map[string]any{}, 400, "schemaId is required."},
		{"not an object", "application/json", "[1,2]", 400, "not a valid JSON object"},
		{"form body", "application/x-www-form-urlencoded", "url=x", 415, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, http.MethodPost, s.URL()+"/dataSources", c.ServiceAppAccessToken, tt.ctype, tt.body)
			if tt.status != 200 {
				checkWebexError(t, r, tt.status, tt.want)
				return
			}
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			got := r.json(t)
			for _, f := range unionFields {
				if _, ok := got[f]; !ok {
					t.Errorf("create response lacks %s", f)
				}
			}
			if got["status"] != "active" || got["orgId"] != c.OrgID || got["applicationId"] != c.ServiceAppClientID ||
				got["createdAt"] != isoTime(fixedNow) || got["tokenExpiryTime"] != isoTime(fixedNow.Add(time.Hour)) {
				t.Errorf("create response %s", r.body)
			}
			if _, ok := s.DataSource(got["id"].(string)); !ok {
				t.Error("not stored")
			}
		})
	}
	t.Run("several problems at once", func(t *testing.T) {
		r := call(t, http.MethodPost, s.URL()+"/dataSources", c.ServiceAppAccessToken, "", map[string]any{"url": "https://x.example.com"})
		checkWebexError(t, r, 400, "")
		if d := r.errorDescriptions(t); len(d) != 5 {
			t.Errorf("descriptions %q", d)
		}
	})
	t.Run("read-only token", func(t *testing.T) {
		ro := refreshGrant(t, s, c.ServiceAppRefreshToken, c.ServiceAppClientID, c.ServiceAppClientSecret).json(t)["access_token"].(string)
		s.SetScopes(ro, []string{ScopeDataSourceRead})
		checkWebexError(t, call(t, http.MethodPost, s.URL()+"/dataSources", ro, "", validCreate), 403, ScopeDataSourceWrite)
		checkWebexError(t, call(t, http.MethodPut, s.URL()+"/dataSources/x", ro, "", validCreate), 403, ScopeDataSourceWrite)
		checkWebexError(t, call(t, http.MethodDelete, s.URL()+"/dataSources/x", ro, "", nil), 403, ScopeDataSourceWrite)
		if r := call(t, http.MethodGet, s.URL()+"/dataSources", ro, "", nil); r.status != 200 {
			t.Errorf("read with read scope: %d", r.status)
		}
		s.SetScopes(ro, nil)
		checkWebexError(t, call(t, http.MethodGet, s.URL()+"/dataSources", ro, "", nil), 403, ScopeDataSourceRead)
	})
}

func TestUpdateDataSource(t *testing.T) {
	clk := &clock{fixedNow}
	s := start(t, Options{Now: clk.now})
	c := s.Creds()
	created := call(t, http.MethodPost, s.URL()+"/dataSources", c.ServiceAppAccessToken, "", validCreate).json(t)
	id := created["id"].(string)
	put := func(body any) reply {
		clk.t = clk.t.Add(time.Minute)
		return call(t, http.MethodPut, s.URL()+"/dataSources/"+id, c.ServiceAppAccessToken, "", body)
	}
	full := with(validCreate, "nonce", "n2", "tokenLifetimeMinutes", 1440, "status", "active")

	tests := []struct {
		name   string
		body   any
		status int
		want   string
		check  func(t *testing.T, got map[string]any)
	}{
		{"full body (extend)", full, 200, "", func(t *testing.T, got map[string]any) {
			if got["nonce"] != "n2" || got["tokenLifetimeMinutes"] != float64(1440) {
				t.Errorf("%v", got)
			}
		}},
		{"sparse audience", map[string]any{"audience": "NewAudience"}, 200, "", func(t *testing.T, got map[string]any) {
			if got["audience"] != "NewAudience" || got["subject"] != "callAudioData" || got["nonce"] != "n2" {
				t.Errorf("sparse PUT did not merge: %v", got)
			}
		}},
		{"disable without message", map[string]any{"status": "disabled"}, 400, "errorMessage is required", nil},
		{"disable with empty message", map[string]any{"status": "disabled", "errorMessage": ""}, 400, "errorMessage is required", nil},
		{"disable", map[string]any{"status": "disabled", "errorMessage": "maintenance"}, 200, "", func(t *testing.T, got map[string]any) {
			if got["status"] != "disabled" || got["errorMessage"] != "maintenance" {
				t.Errorf("%v", got)
			}
		}},
		{"extend a disabled source keeps it disabled", with(full, "status", "disabled", "nonce", "n3"), 200, "", func(t *testing.T, got map[string]any) {
			if got["status"] != "disabled" || got["errorMessage"] != "maintenance" {
				t.Errorf("%v", got)
			}
		}},
		{"re-enable clears the message", map[string]any{"status": "active"}, 200, "", func(t *testing.T, got map[string]any) {
			if got["status"] != "active" || got["errorMessage"] != "" {
				t.Errorf("%v", got)
			}
		}},
		{"inactive is no status", map[string]any{"status": "inactive"}, 400, "status must be active or disabled", nil},
		{"lifetime too long", map[string]any{"tokenLifetimeMinutes": 2000}, 400, "between 1 and 1440", nil},
		{"lifetime negative", map[string]any{"tokenLifetimeMinutes": -5}, 400, "between 1 and 1440", nil},
		{"unknown schema", map[string]any{"schemaId": "11111111-1111-4111-8111-111111111111"}, 400, "not a known schema", nil},
		{"change schema", map[string]any{"schemaId": SchemaVoiceVirtualAgent}, 200, "", func(t *testing.T, got map[string]any) {
			if got["schemaId"] != SchemaVoiceVirtualAgent {
				t.Errorf("%v", got)
			}
		}},
		{"bad url", map[string]any{"url": "no-scheme-or-host"}, 400, "url must be", nil},
		{"empty object still re-mints", map[string]any{}, 200, "", nil},
	}
	prev := created
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := put(tt.body)
			if tt.status != 200 {
				checkWebexError(t, r, tt.status, tt.want)
				return
			}
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			got := r.json(t)
			if got["jwsToken"] == prev["jwsToken"] {
				t.Error("PUT did not re-mint the token")
			}
			if got["updatedAt"] != isoTime(clk.t) || got["createdAt"] != created["createdAt"] || got["updatedBy"] == "" {
				t.Errorf("timestamps: %v", got)
			}
			lifetime := time.Duration(got["tokenLifetimeMinutes"].(float64)) * time.Minute
			if got["tokenExpiryTime"] != isoTime(clk.t.Add(lifetime)) {
				t.Errorf("tokenExpiryTime %v, want now+%v", got["tokenExpiryTime"], lifetime)
			}
			if tt.check != nil {
				tt.check(t, got)
			}
			prev = got
		})
	}
	t.Run("unknown id", func(t *testing.T) {
		checkWebexError(t, call(t, http.MethodPut, s.URL()+"/dataSources/00000000-0000-4000-8000-000000000000", c.ServiceAppAccessToken, "", full), 404, "")
	})
}

func TestDeleteDataSource(t *testing.T) {
	s := start(t, Options{})
	c := s.Creds()
	id := call(t, http.MethodPost, s.URL()+"/dataSources", c.ServiceAppAccessToken, "", validCreate).json(t)["id"].(string)
	r := call(t, http.MethodDelete, s.URL()+"/dataSources/"+id, c.ServiceAppAccessToken, "", nil)
	if r.status != http.StatusNoContent || len(r.body) != 0 {
		t.Fatalf("delete: %d %q", r.status, r.body)
	}
	checkWebexError(t, call(t, http.MethodGet, s.URL()+"/dataSources/"+id, c.ServiceAppAccessToken, "", nil), 404, "")
	checkWebexError(t, call(t, http.MethodDelete, s.URL()+"/dataSources/"+id, c.ServiceAppAccessToken, "", nil), 404, "")
	items := call(t, http.MethodGet, s.URL()+"/dataSources", c.ServiceAppAccessToken, "", nil).items(t)
	for _, it := range items {
		if it["id"] == id {
			t.Fatal("deleted source still listed")
		}
	}
	if len(items) != 8 {
		t.Fatalf("%d items after delete", len(items))
	}
	if strings.Contains(id, "/") {
		t.Fatal("ids are UUIDs")
	}
}
