package api_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
)

// EachDataSourceJSON hands over every data source, in the list's order, as `get --json`
// writes each (marshalled DataSource), whether the fake pages or not.
func TestEachDataSourceJSONIsTheListAsGetWritesIt(t *testing.T) {
	for _, page := range []int{0, 7} {
		t.Run(fmt.Sprintf("page size %d", page), func(t *testing.T) {
			s := startFake(t, webexfake.Options{Seed: 1, ExtraDataSources: 1000, PageSize: page})
			c, _ := orgClient(t, s)
			var want []string
			if err := c.EachDataSource(ctx(t), func(d *api.DataSource) error {
				b, err := json.Marshal(d)
				want = append(want, string(b))
				return err
			}); err != nil {
				t.Fatal(err)
			}
			var got []string
			if err := c.EachDataSourceJSON(ctx(t), nil, func(item []byte) error {
				got = append(got, string(item))
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) || len(got) != 1008 {
				t.Fatalf("%d items as JSON, %d decoded; want 1008", len(got), len(want))
			}
			for i := range want {
				var w, g map[string]any
				if json.Unmarshal([]byte(want[i]), &w) != nil || json.Unmarshal([]byte(got[i]), &g) != nil {
					t.Fatalf("item %d is not JSON:\n%s\n%s", i, want[i], got[i])
				}
				if fmt.Sprint(w) != fmt.Sprint(g) {
					t.Fatalf("item %d:\n decoded: %s\n as JSON: %s", i, want[i], got[i])
				}
			}
		})
	}
}

// An error from fn stops the walk with that error; items after it are not handed over.
func TestEachDataSourceJSONStopsOnTheCallersError(t *testing.T) {
	s := startFake(t, webexfake.Options{Seed: 1, ExtraDataSources: 2000})
	c, _ := orgClient(t, s)
	stop := errors.New("stdout closed")
	n := 0
	err := c.EachDataSourceJSON(ctx(t), nil, func([]byte) error {
		if n++; n == 300 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 300 {
		t.Fatalf("err %v after %d items; want the caller's error after 300", err, n)
	}
}

// A malformed item half-way is an error naming the list, after the items before it were
// handed over in order; a null item is the bad-reply error it is in EachDataSource.
func TestEachDataSourceJSONBadItemHalfWay(t *testing.T) {
	for name, bad := range map[string]string{"wrong type": `{"id":"bad","url":5}`, "null": `null`} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var b strings.Builder
				b.WriteString(`{"items":[`)
				for i := range 1000 {
					if i == 500 {
						b.WriteString(bad + ",")
					}
					fmt.Fprintf(&b, `{"id":"ds-%04d","url":"https://x"},`, i)
				}
				b.WriteString(`{"id":"last"}]}`)
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(b.String()))
			}))
			defer srv.Close()
			c, _ := api.New(api.Options{BaseURL: srv.URL})
			var ids []string
			err := c.EachDataSourceJSON(ctx(t), nil, func(item []byte) error {
				var d struct{ ID string }
				json.Unmarshal(item, &d)
				ids = append(ids, d.ID)
				return nil
			})
			if err == nil || len(ids) != 500 || ids[499] != "ds-0499" {
				t.Fatalf("err %v after %d items (last %v); want an error after ds-0000…ds-0499", err, len(ids), ids[len(ids)-1:])
			}
			if name == "null" && !errors.Is(err, api.ErrBadReply) {
				t.Fatalf("null item: %v, want a bad reply", err)
			}
			if name != "null" && !strings.Contains(err.Error(), "not the JSON expected") {
				t.Fatalf("wrong type: %v", err)
			}
		})
	}
}
