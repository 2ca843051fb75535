package webexfake

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var linkRe = regexp.MustCompile(`<([^>]+)>;\s*rel="([a-z]+)"`)

// links parses a Link header into rel → URL.
func links(t *testing.T, h string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range linkRe.FindAllStringSubmatch(h, -1) {
		out[m[2]] = m[1]
	}
	return out
}

// walk follows rel="next" from first and returns every item id and the number of pages.
func walk(t *testing.T, first, token string) (ids []string, pages int) {
	t.Helper()
	next := first
	for next != "" {
		pages++
		if pages > 1000 {
			t.Fatal("paging does not end")
		}
		r := call(t, http.MethodGet, next, token, "", nil)
		if r.status != 200 {
			t.Fatalf("page %d: %d %s", pages, r.status, r.body)
		}
		for _, it := range r.items(t) {
			ids = append(ids, it["id"].(string))
		}
		l := links(t, r.header.Get("Link"))
		if pages > 1 && l["first"] == "" {
			t.Errorf("page %d has no rel=first", pages)
		}
		next = l["next"]
		if next != "" && !strings.HasPrefix(next, "http://127.0.0.1:") {
			t.Fatalf("next link %q is not absolute", next)
		}
	}
	return ids, pages
}

func TestPagingDataSources(t *testing.T) {
	s := start(t, Options{ExtraDataSources: 242, PageSize: 100}) // 250 in the primary org; paging opted into
	c := s.Creds()
	tests := []struct {
		name      string
		query     string
		wantPages int
	}{
		{"max=100", "?max=100", 3},
		{"max=7", "?max=7", 36},
		{"default page size", "", 3},
		{"max=1000", "?max=1000", 1},
		{"lowercase path keeps its path", "/?max=120", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "/dataSources"
			if strings.HasPrefix(tt.query, "/") {
				path = "/datasources"
			}
			ids, pages := walk(t, s.URL()+path+tt.query, c.ServiceAppAccessToken)
			if pages != tt.wantPages || len(ids) != 250 {
				t.Fatalf("%d pages, %d items", pages, len(ids))
			}
			seen := map[string]bool{}
			for _, id := range ids {
				if seen[id] {
					t.Fatalf("%s listed twice", id)
				}
				seen[id] = true
			}
		})
	}
	t.Run("Link keeps max and other params", func(t *testing.T) {
		r := call(t, http.MethodGet, s.URL()+"/dataSources?max=100&foo=bar", c.ServiceAppAccessToken, "", nil)
		u, err := url.Parse(links(t, r.header.Get("Link"))["next"])
		if err != nil {
			t.Fatal(err)
		}
		if u.Path != "/v1/dataSources" || u.Query().Get("max") != "100" || u.Query().Get("foo") != "bar" || u.Query().Get("after") == "" {
			t.Fatalf("next %s", u)
		}
	})
	t.Run("cursor is stable while items are created and deleted", func(t *testing.T) {
		r := call(t, http.MethodGet, s.URL()+"/dataSources?max=100", c.ServiceAppAccessToken, "", nil)
		page1 := r.items(t)
		next := links(t, r.header.Get("Link"))["next"]
		// Deleting an already-seen item and creating new ones must not shift the next page.
		call(t, http.MethodDelete, s.URL()+"/dataSources/"+page1[99]["id"].(string), c.ServiceAppAccessToken, "", nil)
		for range 3 {
			call(t, http.MethodPost, s.URL()+"/dataSources", c.ServiceAppAccessToken, "", validCreate)
		}
		ids, _ := walk(t, next, c.ServiceAppAccessToken)
		if len(ids) != 153 { // 150 unseen + 3 new at the end
			t.Fatalf("%d items after the first page", len(ids))
		}
		for _, it := range page1 {
			for _, id := range ids {
				if it["id"] == id {
					t.Fatalf("%s repeated", id)
				}
			}
		}
	})
	for _, q := range []string{"max=ten", "max=", "after=bogus", "after=" + encodeCursor("wh", 3), "after=" + encodeCursor("ds", 0)} {
		t.Run("bad "+q, func(t *testing.T) {
			checkWebexError(t, call(t, http.MethodGet, s.URL()+"/dataSources?"+q, c.ServiceAppAccessToken, "", nil), 400, "")
		})
	}
}

func TestPagingOptions(t *testing.T) {
	s := start(t, Options{PageSize: 3, ExtraWebhooks: 7})
	c := s.Creds()
	tests := []struct {
		path, token string
		items       int
	}{
		{"/dataSources", c.ServiceAppAccessToken, 8},
		{"/dataSources/schemas", c.PersonalAccessToken, len(seededSchemas())},
		{"/webhooks", c.PersonalAccessToken, 11},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			ids, pages := walk(t, s.URL()+tt.path, tt.token)
			if len(ids) != tt.items || pages != (tt.items+2)/3 {
				t.Fatalf("%d items on %d pages", len(ids), pages)
			}
		})
	}
	t.Run("webhooks max=2", func(t *testing.T) {
		ids, pages := walk(t, s.URL()+"/webhooks?max=2", c.PersonalAccessToken)
		if len(ids) != 11 || pages != 6 {
			t.Fatalf("%d items on %d pages", len(ids), pages)
		}
	})
}

func ExampleServer_paging() {
	s := New(Options{ExtraDataSources: 12, PageSize: 100}) // data sources page only in this stress mode
	if err := s.Start(); err != nil {
		panic(err)
	}
	defer s.Close()
	next := s.URL() + "/dataSources?max=5"
	for next != "" {
		req, _ := http.NewRequest(http.MethodGet, next, nil)
		req.Header.Set("Authorization", "Bearer "+s.Creds().ServiceAppAccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		next = ""
		if m := linkRe.FindAllStringSubmatch(resp.Header.Get("Link"), -1); m != nil {
			for _, l := range m {
				if l[2] == "next" {
					next = l[1]
				}
			}
		}
		fmt.Println(resp.StatusCode, next != "")
	}
	// Output:
	// 200 true
	// 200 true
	// 200 true
	// 200 false
}

// Webex documents no paging for data sources and schemas: by default the fake answers with one
// body and no Link, whatever the query, so a client that never follows Link sees everything.
func TestUnpagedByDefault(t *testing.T) {
	s := start(t, Options{ExtraDataSources: 242})
	c := s.Creds()
	for _, q := range []string{"", "?max=7", "?max=0"} {
		r := call(t, http.MethodGet, s.URL()+"/dataSources"+q, c.ServiceAppAccessToken, "", nil)
		if n := len(r.items(t)); r.status != 200 || n != 250 || r.header.Get("Link") != "" {
			t.Errorf("GET /dataSources%s: %d, %d items, Link %q; want 200, 250, none", q, r.status, n, r.header.Get("Link"))
		}
	}
	r := call(t, http.MethodGet, s.URL()+"/dataSources/schemas?max=1", c.PersonalAccessToken, "", nil)
	if n := len(r.items(t)); n != len(seededSchemas()) || r.header.Get("Link") != "" {
		t.Errorf("schemas: %d items, Link %q", n, r.header.Get("Link"))
	}
	// Clamped, not refused: no source states a bound for max.
	for q, want := range map[string]int{"?max=0": 1, "?max=5000": 1000} {
		s2 := start(t, Options{PageSize: 3, ExtraDataSources: 1200})
		r := call(t, http.MethodGet, s2.URL()+"/dataSources"+q, s2.Creds().ServiceAppAccessToken, "", nil)
		if n := len(r.items(t)); n != want {
			t.Errorf("paged fake, %s: %d items, want %d", q, n, want)
		}
	}
}
