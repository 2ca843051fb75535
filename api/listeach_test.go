package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
)

// ListDataSources builds its list in chunks on a second goroutine: the list is EachDataSource's,
// item for item (derived fields too), across chunk and page boundaries; ListDataSourceRefs
// points at the same items, and made sees each once, in order, with its index and the pointer
// the list keeps.
func TestListDataSourcesIsEachDataSourceInOrder(t *testing.T) {
	for _, page := range []int{0, 7} {
		t.Run(fmt.Sprintf("page size %d", page), func(t *testing.T) {
			s := startFake(t, webexfake.Options{Seed: 1, ExtraDataSources: 1000, PageSize: page})
			c, _ := orgClient(t, s)
			var want []api.DataSource
			if err := c.EachDataSource(ctx(t), func(d *api.DataSource) error {
				want = append(want, *d)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			got, err := c.ListDataSources(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			var seen []*api.DataSource
			refs, err := c.ListDataSourceRefs(ctx(t), func(i int, d *api.DataSource) {
				if i != len(seen) {
					t.Errorf("made got index %d after %d items", i, len(seen))
				}
				seen = append(seen, d)
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1008 || len(refs) != 1008 || len(seen) != 1008 {
				t.Fatalf("%d items listed, %d referred to, %d handed to made; want 1008", len(got), len(refs), len(seen))
			}
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) || !reflect.DeepEqual(*refs[i], want[i]) || seen[i] != refs[i] {
					t.Fatalf("item %d:\n list: %+v\n refs: %+v\n each: %+v\n made: %p, kept %p", i, got[i], *refs[i], want[i], seen[i], refs[i])
				}
				if got[i].Expiry().IsZero() {
					t.Fatalf("item %d: no expiry from its token", i)
				}
			}
		})
	}
}

// An empty list is an empty slice, not nil.
func TestListDataSourcesEmpty(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"items":[]}`))
	}))
	defer srv.Close()
	c, _ := api.New(api.Options{BaseURL: srv.URL})
	got, err := c.ListDataSources(ctx(t))
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("got %#v, %v; want an empty list", got, err)
	}
	refs, err := c.ListDataSourceRefs(ctx(t), nil)
	if err != nil || refs == nil || len(refs) != 0 {
		t.Fatalf("refs: got %#v, %v; want an empty list", refs, err)
	}
}

// A panic while completing an item (here in made) ends the list with an error naming the item;
// it does not take the program down, and the reader is not left waiting.
func TestListDataSourceRefsPanicIsAnError(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 1, ExtraDataSources: 1000})
	c, _ := orgClient(t, s)
	got, err := c.ListDataSourceRefs(ctx(t), func(i int, d *api.DataSource) {
		if i == 700 {
			panic("boom")
		}
	})
	if err == nil || got != nil || !strings.Contains(err.Error(), "data source 701") || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("got %d items, %v; want no list and an error naming item 701", len(got), err)
	}
}

// A malformed item half-way is the list's error, with no partial list.
func TestListDataSourcesBadItemHalfWay(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		b.WriteString(`{"items":[`)
		for i := range 1000 {
			if i > 0 {
				b.WriteByte(',')
			}
			if i == 600 {
				b.WriteString(`{"id":"bad","url":5}`)
				continue
			}
			fmt.Fprintf(&b, `{"id":"ds-%d"}`, i)
		}
		b.WriteString(`]}`)
		w.Write([]byte(b.String()))
	}))
	defer srv.Close()
	c, _ := api.New(api.Options{BaseURL: srv.URL})
	n := 0
	got, err := c.ListDataSourceRefs(ctx(t), func(int, *api.DataSource) { n++ })
	if err == nil || got != nil || !strings.Contains(err.Error(), "not the JSON expected") {
		t.Fatalf("got %d items, %v; want the list's error", len(got), err)
	}
	if n > 600 {
		t.Fatalf("made saw %d items; the bad one is the 601st", n)
	}
}
