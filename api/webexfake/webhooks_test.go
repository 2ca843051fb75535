package webexfake

import (
	"net/http"
	"testing"
)

var validWebhook = map[string]any{
	"name": "BYOVA Service App authorized", "targetUrl": "https://hooks.example.com/new",
	"resource": "serviceApp", "event": "authorized",
}

func TestListWebhooks(t *testing.T) {
	s := start(t, Options{})
	c := s.Creds()
	r := call(t, http.MethodGet, s.URL()+"/webhooks", c.PersonalAccessToken, "", nil)
	items := r.items(t)
	if len(items) != 4 {
		t.Fatalf("%d seeded webhooks", len(items))
	}
	var authorized, deauthorized, dataSources, inactive int
	for _, h := range items {
		switch {
		case h["resource"] == "serviceApp" && h["event"] == "authorized":
			authorized++
		case h["resource"] == "serviceApp" && h["event"] == "deauthorized":
			deauthorized++
		case h["resource"] == "dataSources":
			dataSources++
		}
		if h["status"] == "inactive" {
			inactive++
		}
		if h["orgId"] != HydraID("ORGANIZATION", c.DeveloperOrgID) || h["createdBy"] != HydraID("PEOPLE", c.DeveloperPersonID) {
			t.Errorf("webhook %v not the developer's", h)
		}
	}
	if authorized != 1 || deauthorized != 1 || dataSources != 1 || inactive != 1 {
		t.Errorf("seeded webhooks %d/%d/%d/%d", authorized, deauthorized, dataSources, inactive)
	}
	if items[0]["targetUrl"] != items[1]["targetUrl"] || items[0]["secret"] == "" {
		t.Error("the serviceApp pair should share a target and carry a secret")
	}

	tests := []struct {
		name, query, token string
		status, items      int
	}{
		{"integration token", "", c.IntegrationAccessToken, 200, 4},
		{"max=1", "?max=1", c.PersonalAccessToken, 200, 1},
		{"max=1000", "?max=1000", c.PersonalAccessToken, 200, 4},
		{"ownedBy=org", "?ownedBy=org", c.PersonalAccessToken, 200, 0},
		{"ownedBy=me", "?ownedBy=me", c.PersonalAccessToken, 400, 0},
		{"max=0 is clamped to 1", "?max=0", c.PersonalAccessToken, 200, 1},
		{"max=1001 is clamped to 1000", "?max=1001", c.PersonalAccessToken, 200, 4},
		{"service app token", "", c.ServiceAppAccessToken, 403, 0},
		{"no token", "", "", 401, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, http.MethodGet, s.URL()+"/webhooks"+tt.query, tt.token, "", nil)
			if tt.status != 200 {
				checkWebexError(t, r, tt.status, "")
				return
			}
			if got := len(r.items(t)); r.status != 200 || got != tt.items {
				t.Fatalf("%d, %d items", r.status, got)
			}
		})
	}
}

func TestWebhookLifecycle(t *testing.T) {
	s := start(t, Options{})
	c := s.Creds()
	tests := []struct {
		name   string
		token  string
		body   any
		status int
		want   string
	}{
		{"valid", c.PersonalAccessToken, with(validWebhook, "secret", "s3cret", "filter", "id="+c.ServiceAppID), 200, ""},
		{"loopback http receiver", c.IntegrationAccessToken, with(validWebhook, "targetUrl", "http://127.0.0.1:9000/hook"), 200, ""},
		{"org-wide", c.PersonalAccessToken, with(validWebhook, "ownedBy", "org"), 200, ""},
		{"missing name", c.PersonalAccessToken, with(validWebhook, "name", nil), 400, "name is required."},
		{"missing targetUrl", c.PersonalAccessToken, with(validWebhook, "targetUrl", nil), 400, "targetUrl is required."},
		{"missing resource", c.PersonalAccessToken, with(validWebhook, "resource", nil), 400, "resource is required."},
		{"missing event", c.PersonalAccessToken, with(validWebhook, "event", nil), 400, "event is required."},
		{"plain http", c.PersonalAccessToken, with(validWebhook, "targetUrl", "http://hooks.example.com/x"), 400, "https"},
		{"unknown resource", c.PersonalAccessToken, with(validWebhook, "resource", "teapots"), 400, "Unknown resource"},
		{"unknown event", c.PersonalAccessToken, with(validWebhook, "event", "brewed"), 400, "Unknown event"},
		{"bad ownedBy", c.PersonalAccessToken, with(validWebhook, "ownedBy", "me"), 400, "ownedBy"},
		{"service app token", c.ServiceAppAccessToken, validWebhook, 403, ""},
		{"no token", "", validWebhook, 401, ""},
	}
	var created map[string]any
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, http.MethodPost, s.URL()+"/webhooks", tt.token, "", tt.body)
			if tt.status != 200 {
				checkWebexError(t, r, tt.status, tt.want)
				return
			}
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			h := r.json(t)
			if kind, _, ok := parseHydra(h["id"].(string)); !ok || kind != "WEBHOOK" {
				t.Errorf("id %v", h["id"])
			}
			for _, f := range []string{"name", "targetUrl", "resource", "event", "status", "created", "orgId", "createdBy", "appId", "ownedBy"} {
				if h[f] == nil || h[f] == "" {
					t.Errorf("webhook lacks %s: %s", f, r.body)
				}
			}
			if h["status"] != "active" {
				t.Errorf("status %v", h["status"])
			}
			if created == nil {
				created = h
				if h["secret"] != "s3cret" || h["filter"] != "id="+c.ServiceAppID || h["ownedBy"] != "creator" {
					t.Errorf("created %s", r.body)
				}
			}
		})
	}
	if created == nil {
		t.Fatal("nothing created")
	}
	id := created["id"].(string)
	item := s.URL() + "/webhooks/" + id

	if got := call(t, http.MethodGet, item, c.PersonalAccessToken, "", nil).json(t); got["name"] != created["name"] {
		t.Fatalf("get %v", got)
	}
	updates := []struct {
		name   string
		body   any
		status int
		want   string
	}{
		{"rename", map[string]any{"name": "renamed", "targetUrl": "https://hooks.example.com/moved", "resource": "rooms"}, 200, ""},
		{"rotate secret", map[string]any{"name": "renamed", "targetUrl": "https://hooks.example.com/moved", "secret": "new"}, 200, ""},
		{"reactivate", map[string]any{"name": "renamed", "targetUrl": "https://hooks.example.com/moved", "status": "active"}, 200, ""},
		{"cannot deactivate", map[string]any{"name": "renamed", "targetUrl": "https://hooks.example.com/moved", "status": "inactive"}, 200, ""},
		{"unknown status", map[string]any{"name": "renamed", "targetUrl": "https://hooks.example.com/moved", "status": "paused"}, 400, "status must be active or inactive"},
		{"missing targetUrl", map[string]any{"name": "renamed"}, 400, "targetUrl is required."},
		{"missing name", map[string]any{"targetUrl": "https://hooks.example.com/moved"}, 400, "name is required."},
	}
	for _, tt := range updates {
		t.Run("PUT "+tt.name, func(t *testing.T) {
			r := call(t, http.MethodPut, item, c.PersonalAccessToken, "", tt.body)
			if tt.status != 200 {
				checkWebexError(t, r, tt.status, tt.want)
				return
			}
			h := r.json(t)
			if h["name"] != "renamed" || h["targetUrl"] != "https://hooks.example.com/moved" || h["resource"] != "serviceApp" {
				t.Errorf("update %s", r.body)
			}
			if h["status"] != "active" {
				t.Errorf("an update cannot deactivate a webhook (the docs): status %v", h["status"])
			}
		})
	}
	if got := call(t, http.MethodGet, item, c.PersonalAccessToken, "", nil).json(t); got["secret"] != "new" {
		t.Errorf("secret %v", got["secret"])
	}
	r := call(t, http.MethodDelete, item, c.IntegrationAccessToken, "", nil)
	if r.status != http.StatusNoContent {
		t.Fatalf("delete %d", r.status)
	}
	checkWebexError(t, call(t, http.MethodGet, item, c.PersonalAccessToken, "", nil), 404, "")
	checkWebexError(t, call(t, http.MethodDelete, item, c.PersonalAccessToken, "", nil), 404, "")
	checkWebexError(t, call(t, http.MethodPut, item, c.PersonalAccessToken, "", validWebhook), 404, "")
	checkWebexError(t, call(t, http.MethodPatch, item, c.PersonalAccessToken, "", nil), 405, "")
}

func TestWebhookScopes(t *testing.T) {
	s := start(t, Options{})
	c := s.Creds()
	token := refreshGrant(t, s, c.IntegrationRefreshToken, c.IntegrationClientID, c.IntegrationClientSecret).json(t)["access_token"].(string)
	tests := []struct {
		scopes          []string
		canRead, canPut bool
	}{
		{[]string{ScopeSparkAll}, true, true},
		{[]string{ScopeWebhooksRead}, true, false},
		{[]string{ScopeWebhooksWrite}, false, true},
		{[]string{ScopeApplicationsToken}, false, false},
	}
	for _, tt := range tests {
		s.SetScopes(token, tt.scopes)
		read := call(t, http.MethodGet, s.URL()+"/webhooks", token, "", nil)
		write := call(t, http.MethodPost, s.URL()+"/webhooks", token, "", validWebhook)
		if (read.status == 200) != tt.canRead || (write.status == 200) != tt.canPut {
			t.Errorf("scopes %v: read %d, write %d", tt.scopes, read.status, write.status)
		}
		if !tt.canRead {
			checkWebexError(t, read, 403, ScopeWebhooksRead)
		}
		if !tt.canPut {
			checkWebexError(t, write, 403, ScopeWebhooksWrite)
		}
	}
}

// TestUpdateWebhookOwnedBy: Webex's update schema lists ownedBy (spec §8.1), so an update
// applies it — the list's ownedBy=org filter sees the change — and refuses other values.
func TestUpdateWebhookOwnedBy(t *testing.T) {
	s := start(t, Options{})
	c := s.Creds()
	made := call(t, http.MethodPost, s.URL()+"/webhooks", c.PersonalAccessToken, "", validWebhook).json(t)
	id, _ := made["id"].(string)
	if made["ownedBy"] != "creator" {
		t.Fatalf("created ownedBy %v", made["ownedBy"])
	}
	update := func(ownedBy any) reply {
		body := map[string]any{"name": "n", "targetUrl": "https://hooks.example.com/new"}
		if ownedBy != nil {
			body["ownedBy"] = ownedBy
		}
		return call(t, http.MethodPut, s.URL()+"/webhooks/"+id, c.PersonalAccessToken, "", body)
	}
	if got := update("org").json(t); got["ownedBy"] != "org" {
		t.Fatalf("PUT ownedBy=org answered ownedBy %v", got["ownedBy"])
	}
	if got := call(t, http.MethodGet, s.URL()+"/webhooks/"+id, c.PersonalAccessToken, "", nil).json(t); got["ownedBy"] != "org" {
		t.Fatalf("GET after the update: ownedBy %v", got["ownedBy"])
	}
	if items := call(t, http.MethodGet, s.URL()+"/webhooks?ownedBy=org", c.PersonalAccessToken, "", nil).items(t); len(items) != 1 || items[0]["id"] != id {
		t.Fatalf("ownedBy=org lists %v", items)
	}
	if got := update(nil).json(t); got["ownedBy"] != "org" {
		t.Fatalf("an update without ownedBy changed it to %v", got["ownedBy"])
	}
	checkWebexError(t, update("me"), http.StatusBadRequest, "ownedBy must be creator or org")
	if got := call(t, http.MethodGet, s.URL()+"/webhooks/"+id, c.PersonalAccessToken, "", nil).json(t); got["ownedBy"] != "org" {
		t.Fatalf("a refused update changed ownedBy to %v", got["ownedBy"])
	}
}
