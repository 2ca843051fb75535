package api_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/byova/byova/api"
)

// hostile serves body (status 200) on every path, with a trackingId header.
func hostile(t *testing.T, body string) *api.Client {
	t.Helper()
	base := newRawServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trackingid", "TRK_1")
		fmt.Fprint(w, body)
	})
	c, err := api.New(api.Options{BaseURL: base + "/v1"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestEmptyOrNullObjectIsAnError(t *testing.T) {
	for _, body := range []string{"", "  \n", "null", "{}", `{"status":"active"}`} {
		c := hostile(t, body)
		calls := map[string]func() error{
			"ds get": func() error { _, err := c.GetDataSource(ctx(t), "ds1"); return err },
			"ds update": func() error {
				_, err := c.UpdateDataSource(ctx(t), "ds1", api.DataSourceUpdate{})
				return err
			},
			"schema get":  func() error { _, err := c.GetSchema(ctx(t), "s1"); return err },
			"webhook get": func() error { _, err := c.GetWebhook(ctx(t), "w1"); return err },
		}
		for name, call := range calls {
			err := call()
			if !errors.Is(err, api.ErrBadReply) || !strings.Contains(err.Error(), "TRK_1") {
				t.Errorf("%s on %q: %v; want a bad-reply error with the trackingId", name, body, err)
			}
		}
	}
}

func TestListsRefuseNullAndMissingItems(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"", "empty body"},
		{"null", "null where a list"},
		{"{}", `without "items"`},
		{`{"notItems":[{"id":"1"}]}`, `without "items"`},
		{`{"items":null}`, `"items": null`},
		{`{"items":[null]}`, "null in place of item 1"},
		{`{"items":[{"id":"1"},null]}`, "null in place of item 2"},
		{`{"items":{"id":"1"}}`, `not the JSON expected: "items" is a JSON object, not a list`},
		{`{"items":["x"]}`, "not the JSON expected: item 1 is a JSON string"},
		{`[{"id":"1"}]`, "not the JSON expected: a JSON array where an object"},
		{`{"items":[{"id":"1"}`, "not the JSON expected"},
	} {
		c := hostile(t, tc.body)
		lists := map[string]func() error{
			"data sources": func() error { _, err := c.ListDataSources(ctx(t)); return err },
			"schemas":      func() error { _, err := c.ListSchemas(ctx(t)); return err },
			"webhooks":     func() error { _, err := c.ListWebhooks(ctx(t)); return err },
		}
		for name, list := range lists {
			err := list()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s on %q: %v; want an error saying %q", name, tc.body, err, tc.want)
			}
		}
	}
}

func TestEmptyItemsIsAValidEmptyList(t *testing.T) {
	c := hostile(t, `{"items":[], "extra": {"ignored": [null]}}`)
	items, err := c.ListDataSources(ctx(t))
	if err != nil || items == nil || len(items) != 0 {
		t.Fatalf("items %#v err %v: an org with no data sources is an empty list", items, err)
	}
}

// endless serves a fresh next link on every page, as a broken Webex might.
func endless(t *testing.T, gate <-chan struct{}) (base string, pages *atomic.Int64) {
	pages = new(atomic.Int64)
	base = newRawServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := pages.Add(1)
		if n > 1 && gate != nil {
			select {
			case <-gate:
			case <-r.Context().Done():
				return
			}
		}
		w.Header().Set("Link", fmt.Sprintf(`<%s/v1/webhooks?page=%d>; rel="next"`, "http://"+r.Host, n))
		fmt.Fprint(w, `{"items":[{"id":"w"}]}`)
	})
	return base, pages
}

func TestEndlessPagingEndsInAnError(t *testing.T) {
	base, pages := endless(t, nil)
	c, _ := api.New(api.Options{BaseURL: base + "/v1", MaxPages: 50})
	_, err := c.ListWebhooks(ctx(t))
	if err == nil || !strings.Contains(err.Error(), "after 50 pages") {
		t.Fatalf("endless Link chain: %v; want an error after 50 pages", err)
	}
	if n := pages.Load(); n != 50 {
		t.Errorf("%d pages fetched, want 50", n)
	}
}

func TestDefaultPageCapEndsEndlessPaging(t *testing.T) {
	base, _ := endless(t, nil)
	c, _ := api.New(api.Options{BaseURL: base + "/v1"})
	if _, err := c.ListWebhooks(ctx(t)); err == nil || !strings.Contains(err.Error(), "after 10000 pages") {
		t.Fatalf("endless Link chain with the default cap: %v", err)
	}
}

func TestSlowPagingEndsAtTheListTimeout(t *testing.T) {
	gate := make(chan struct{}) // never opened: page 2 hangs until the walk gives up
	base, _ := endless(t, gate)
	c, _ := api.New(api.Options{BaseURL: base + "/v1", ListTimeout: 100 * time.Millisecond})
	_, err := c.ListWebhooks(context.Background())
	if err == nil || !strings.Contains(err.Error(), "took longer than 100ms") || !strings.Contains(err.Error(), "1 webhooks so far") {
		t.Fatalf("hanging page 2: %v; want the list timeout named", err)
	}
}

func TestHugeRetryAfterFailsFastWithTheValue(t *testing.T) {
	var calls atomic.Int64
	base := newRawServer(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "99999999999999999")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"message":"slow down","trackingId":"TRK_429"}`)
	})
	c, _ := api.New(api.Options{BaseURL: base + "/v1"})
	start := time.Now()
	_, err := c.GetDataSource(ctx(t), "ds1")
	if !errors.Is(err, api.ErrRateLimited) || !strings.Contains(err.Error(), "99999999999999999") {
		t.Fatalf("err %v: want a rate-limit error naming the Retry-After value", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d requests in %s; want 1: an overflowing Retry-After must not retry at once", n, time.Since(start))
	}
}

// A walk cancelled between pages is the caller's error, never a short list read as whole.
func TestCancelledWalkIsAnErrorNotAShortList(t *testing.T) {
	gate := make(chan struct{}) // page 2 never comes
	base, _ := endless(t, gate)
	c, _ := api.New(api.Options{BaseURL: base + "/v1"})
	cx, cancel := context.WithCancel(context.Background())
	defer cancel()
	err := c.EachDataSource(cx, func(*api.DataSource) error {
		cancel() // the caller gives up after the first item
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled walk: %v, want context.Canceled", err)
	}
}
