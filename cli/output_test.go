package cli

import (
	"strings"
	"testing"
)

// At a terminal a list is laid out for a person, each item one level into the array; an item
// handed over as JSON already (a data source) is laid out as one marshalled here.
func TestJSONListIndented(t *testing.T) {
	var out strings.Builder
	l := newJSONList(&out)
	l.indent = true
	type item struct {
		ID   string `json:"id"`
		URL  string `json:"url,omitempty"`
		Tags []int  `json:"tags,omitempty"`
	}
	if err := l.add(&item{ID: "a", URL: "https://x?a=1&b=<2>", Tags: []int{1}}); err != nil {
		t.Fatal(err)
	}
	if err := l.addRaw([]byte(`{"id":"b","tags":[1]}`)); err != nil {
		t.Fatal(err)
	}
	if err := l.close(); err != nil {
		t.Fatal(err)
	}
	want := `[
  {
    "id": "a",
    "url": "https://x?a=1&b=<2>",
    "tags": [
      1
    ]
  },
  {
    "id": "b",
    "tags": [
      1
    ]
  }
]
`
	if out.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", out.String(), want)
	}
}
