package datasources

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/byova/byova/api"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/styles"
	fixture "github.com/byova/byova/ui/uitest"
)

// less is the sort's spec: rows by the key, then by expiry and id, so the order is stable
// across reloads. The orders sort.go makes must be exactly the rows sorted by it.
func less(k sortKey, a, b *row) int {
	var c int
	switch k {
	case sortAudience:
		c = strings.Compare(a.lower[0], b.lower[0])
	case sortSubject:
		c = strings.Compare(a.lower[1], b.lower[1])
	case sortStatus:
		c = boolCmp(a.active, b.active) // disabled (false) first: problems on top
		if c == 0 {
			c = strings.Compare(a.status, b.status)
		}
	case sortURL:
		c = strings.Compare(a.lower[2], b.lower[2])
	case sortSchema:
		c = strings.Compare(a.lower[3], b.lower[3])
	}
	if c != 0 {
		return c
	}
	if a.expiry != b.expiry {
		if a.expiry < b.expiry {
			return -1
		}
		return 1
	}
	return strings.Compare(a.ds.ID, b.ds.ID)
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// randomRows are rows whose columns are hard for a prefix sort: long shared prefixes that end
// past 8 bytes, strings that are prefixes of others, NUL bytes, empty strings, non-ASCII,
// many ties, unknown and negative expiries.
func randomRows(rng *rand.Rand, n int) []api.DataSource {
	pick := func(vals ...string) string { return vals[rng.IntN(len(vals))] }
	word := func() string {
		switch rng.IntN(7) {
		case 0:
			return ""
		case 5:
			return strings.Repeat("p", 60+rng.IntN(12)) + pick("a", "b", "", "\x00")
		case 1:
			return pick("a", "a\x00", "a\x00b", "ab", "é", "ü-bot", "Z")
		case 2:
			return fmt.Sprintf("https://bulk.va.example.com/tenant-%05d/grpc", rng.IntN(50))
		case 3:
			return fmt.Sprintf("https://bulk.va.example.com/tenant-%05d/grpc%s", rng.IntN(5), pick("", "x", "/y"))
		case 4:
			return pick("va-bot", "VA-Bot", "va-bot-2", "medDocVirtualAgent", "medDocVirtualAgentX")
		}
		return fmt.Sprintf("%x", rng.Uint64())
	}
	out := make([]api.DataSource, n)
	for i := range out {
		out[i] = api.DataSource{
			ID:       fmt.Sprintf("%s-%d", pick("Y2lzY29zcGFyazovL3VzL0RBVEFfU09VUkNFL", "b", ""), rng.IntN(n)),
			Audience: word(), Subject: word(), URL: word(), SchemaID: word(),
			Status: pick("active", "disabled", "", "pending", "Disabled", "weird\x00"),
		}
	}
	return out
}

func TestSortOrdersAreTheSpecs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 3, 17, 500, 3000} {
		items := randomRows(rng, n)
		var tbl table
		tbl.set(refs(items), nil)
		// Expiries: unknown, negative, many ties.
		for i := range tbl.Rows {
			switch rng.IntN(4) {
			case 0:
				tbl.Rows[i].expiry = math.MaxInt64
			case 1:
				tbl.Rows[i].expiry = -int64(rng.IntN(3))
			default:
				tbl.Rows[i].expiry = int64(rng.IntN(20))
			}
		}
		tbl.orders = [numSortKeys][]int{}
		for k := range numSortKeys {
			got := tbl.order(k)
			want := make([]int, len(tbl.Rows))
			for i := range want {
				want[i] = i
			}
			slices.SortStableFunc(want, func(a, b int) int { return less(k, &tbl.Rows[a], &tbl.Rows[b]) })
			// Rows equal under less keep their row order (ids repeat here), as a stable sort does.
			if !slices.Equal(got, want) {
				t.Fatalf("%d rows, sort %s: order differs from the spec", n, k)
			}
			seen := map[int]bool{}
			for _, i := range got {
				seen[i] = true
			}
			if len(seen) != len(tbl.Rows) {
				t.Fatalf("%d rows, sort %s: %d distinct rows in the order", n, k, len(seen))
			}
		}
	}
}

// A key's order is kept until the rows change: a replaced row takes its new place.
func TestSortOrderFollowsAReplacedRow(t *testing.T) {
	items := []api.DataSource{{ID: "a", Audience: "m"}, {ID: "b", Audience: "n"}, {ID: "c", Audience: "o"}}
	var tbl table
	tbl.set(refs(items), nil)
	tbl.sortBy = sortAudience
	tbl.resort()
	if got := tbl.IDAt(0); got != "a" {
		t.Fatalf("first by audience: %s", got)
	}
	tbl.replace(&api.DataSource{ID: "a", Audience: "z"})
	if got := []string{tbl.IDAt(0), tbl.IDAt(1), tbl.IDAt(2)}; !slices.Equal(got, []string{"b", "c", "a"}) {
		t.Fatalf("after the replace: %v", got)
	}
}

// Rows made in the load's command and installed are the rows set makes.
func TestBuiltRowsAreSetsRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	schemas := schemaMap(fixture.Schemas())
	for _, items := range [][]api.DataSource{nil, fixture.DataSources(), randomRows(rng, 501)} {
		var got, want table
		got.install(buildRows(refs(items), schemas))
		want.set(refs(items), schemas)
		if got.texted {
			t.Fatalf("%d items: the rows' text was made before the first frame", len(items))
		}
		// The filter and the text sorts take the text the load's goroutine made.
		for _, q := range []string{"a", "disabled", "unknown"} {
			got.SetQuery(q)
			want.SetQuery(q)
			if !slices.Equal(got.View, want.View) {
				t.Fatalf("%d items: /%s shows %d rows, set's %d", len(items), q, len(got.View), len(want.View))
			}
		}
		got.SetQuery("")
		want.SetQuery("")
		if !slices.Equal(got.order(sortAudience), want.order(sortAudience)) {
			t.Fatalf("%d items: the audience order differs from set's", len(items))
		}
		if !reflect.DeepEqual(got.Rows, want.Rows) || !slices.Equal(got.Order, want.Order) || got.widest != want.widest {
			t.Fatalf("%d items: installed rows differ from set's", len(items))
		}
		for i := range got.Rows {
			if got.Rows[i].ds != &items[i] {
				t.Fatalf("row %d points at a copy of its item", i)
			}
		}
	}
}

// The filter's haystack is every word the row shows, lowered and joined, however it is built.
func TestRowHayIsTheWordsLowered(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	items := randomRows(rng, 400)
	items = append(items, api.DataSource{ID: "Y2lzY29zcGFyazovL3VzL0RBVEFfU09VUkNF", SchemaID: "ÄBC-\xff-Straße", Audience: "VA\u0130Bot", Status: "DISABLED"})
	schemas := schemaMap(fixture.Schemas())
	for i := range items {
		r := newRow(&items[i], schemas)
		r.setText(r.text())
		words := []string{r.statusText(), strings.TrimSpace(r.statusShort()), r.audience, r.subject, r.url, r.schema, items[i].SchemaID, items[i].ID}
		if r.expiry == math.MaxInt64 {
			words = append(words, styles.GlyphUnknown+" unknown")
		}
		if want := strings.ToLower(strings.Join(words, "\x00")); r.hay != want || r.statusCell != format.Fit(r.statusText(), statusW) {
			t.Fatalf("row %d:\n hay  %q\n want %q\n cell %q", i, r.hay, want, r.statusCell)
		}
	}
}
