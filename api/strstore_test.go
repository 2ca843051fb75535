package api

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// decodeWith reads the items of a list body as listDataSources does, with the store or without.
func decodeWith(body string, store *strStore) ([]dataSourceWire, error) {
	dec := jsontext.NewDecoder(strings.NewReader(body), tolerant)
	var out []dataSourceWire
	for {
		var w dataSourceWire
		var err error
		if store != nil {
			err = jsonv2.UnmarshalDecode(dec, &w, store.opts)
		} else {
			err = jsonv2.UnmarshalDecode(dec, &w)
		}
		if err != nil {
			if len(out) > 0 && strings.Contains(err.Error(), "EOF") {
				return out, nil
			}
			return out, err
		}
		out = append(out, w)
	}
}

// The store reads every item as the default decoder does: escapes, invalid UTF-8, null, a
// schema id given as a list, a number where a string belongs (an error either way).
func TestStrStoreReadsAsTheDefault(t *testing.T) {
	long := strings.Repeat("t", newStrStore().own+1)
	for _, body := range []string{
		`{"id":"a","orgId":"o","url":"https://x/é","status":"active"}`,
		`{"id":"a\u0041\n","audience":"tab\there","subject":"\ud83d\ude00"}`,
		"{\"id\":\"bad\xff utf8\",\"orgId\":\"o\xc3\"}",
		`{"id":null,"orgId":null,"schemaId":null}`,
		`{"schemaId":["s1","s2"]}{"schemaId":"s1"}{"schemaId":[]}`,
		`{"id":"x","id":"y","orgId":"o1","orgId":"o2"}`,
		`{"url":5}`,
		`{"orgId":{"a":1}}`,
		`{"jwsToken":"` + long + `","nonce":""}`,
	} {
		want, werr := decodeWith(body, nil)
		got, gerr := decodeWith(body, newStrStore())
		if (werr == nil) != (gerr == nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\n store:   %+v, %v\n default: %+v, %v", body, got, gerr, want, werr)
		}
	}
}

// A shared field's value seen before is the same string, not a copy; unique fields are not
// remembered, and the map of shared values stops growing at maxShared whatever the list holds.
func TestStrStoreSharesRepeatsAndCapsTheMap(t *testing.T) {
	var b strings.Builder
	for i := range maxShared + 500 {
		fmt.Fprintf(&b, `{"id":"id-%d","orgId":"org-1","createdBy":"person-%d"}`, i, i)
	}
	store := newStrStore()
	items, err := decodeWith(b.String(), store)
	if err != nil || len(items) != maxShared+500 {
		t.Fatalf("%d items, %v", len(items), err)
	}
	first, last := string(items[0].OrgID), string(items[len(items)-1].OrgID)
	if first != "org-1" || unsafe.StringData(first) != unsafe.StringData(last) {
		t.Fatal("the org id was copied for each item, not shared")
	}
	if len(store.shared) != maxShared {
		t.Fatalf("%d shared values remembered; want the cap, %d", len(store.shared), maxShared)
	}
	if _, ok := store.shared["id-0"]; ok {
		t.Fatal("an item's own id was remembered as shared")
	}
	for i, it := range items {
		if it.ID != fmt.Sprintf("id-%d", i) || string(it.CreatedBy) != fmt.Sprintf("person-%d", i) {
			t.Fatalf("item %d read back as %+v", i, it)
		}
	}
}

func FuzzStrStore(f *testing.F) {
	f.Add(`{"id":"a","orgId":"o","schemaId":["s"],"jwsToken":"a.e30.c"}{"id":"b","orgId":"o"}`)
	f.Add("{\"id\":\"\\u00e9\xff\",\"url\":\"\\\"\"}")
	f.Fuzz(func(t *testing.T, body string) {
		want, werr := decodeWith(body, nil)
		got, gerr := decodeWith(body, newStrStore())
		if (werr == nil) != (gerr == nil) || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\n store:   %+v, %v\n default: %+v, %v", body, got, gerr, want, werr)
		}
	})
}
