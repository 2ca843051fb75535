package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/byova/byova/api"
)

func newRawServer(t *testing.T, h http.HandlerFunc) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestPagingWithoutLinkAndWithOddLinks(t *testing.T) {
	var base string
	base = newRawServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("p") {
		case "":
			// several links in one header, rel with several values, a comma inside <…>
			w.Header().Add("Link", fmt.Sprintf(`<%s/v1/webhooks?p=2&x=a,b>; rel="prev first", <%s/v1/webhooks?p=2>; rel="next"`, base, base))
			fmt.Fprint(w, `{"items":[{"id":"1"}]}`)
		case "2":
			w.Header().Add("Link", fmt.Sprintf(`<%s/v1/webhooks?p=3>; REL=next`, base))
			fmt.Fprint(w, `{"items":[{"id":"2"}]}`)
		default:
			fmt.Fprint(w, `{"items":[{"id":"3"}]}`) // no Link: the end
		}
	})
	c, _ := api.New(api.Options{BaseURL: base + "/v1"})
	items, err := c.ListWebhooks(ctx(t))
	if err != nil || len(items) != 3 || items[2].ID != "3" {
		t.Fatalf("items %+v, err %v", items, err)
	}
}

func TestPagingRefusesForeignHostsAndLoops(t *testing.T) {
	base := newRawServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/webhooks" {
			w.Header().Set("Link", `<https://evil.example/steal>; rel="next"`)
		} else {
			w.Header().Set("Link", `</v1/dataSources>; rel="next"`) // relative, and the same page again
		}
		fmt.Fprint(w, `{"items":[]}`)
	})
	c, _ := api.New(api.Options{BaseURL: base + "/v1"})
	if _, err := c.ListWebhooks(ctx(t)); err == nil || !strings.Contains(err.Error(), "another host") {
		t.Errorf("foreign next link: %v", err)
	}
	if _, err := c.ListDataSources(ctx(t)); err == nil || !strings.Contains(err.Error(), "repeats") {
		t.Errorf("looping next link: %v", err)
	}
}

func TestEmptyListIsEmptyNotNil(t *testing.T) {
	base := newRawServer(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"items":[]}`) })
	c, _ := api.New(api.Options{BaseURL: base + "/v1"})
	items, err := c.ListSchemas(ctx(t))
	if err != nil || items == nil || len(items) != 0 {
		t.Fatalf("items %#v err %v", items, err)
	}
}
