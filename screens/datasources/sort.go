package datasources

import (
	"encoding/binary"
	"slices"
	"strings"
)

// The order under each sort key is worked out once per set of rows and kept (table.orders), so
// pressing s cycles through orders already made. Making one must fit in a keystroke at 100k
// rows: comparing rows through their strings took 78 ms (cache misses on 400-byte rows, a
// string compare for each of n·log n steps). Instead each key's column is gathered into one
// slice in row order, reduced to an 8-byte prefix after the column's common prefix, and the
// positions are sorted on those integers alone, a byte a pass (a radix sort: linear, stable,
// and a byte every key shares costs nothing); only runs whose prefixes tie are then put in
// order by their full strings. The scratch slices are the table's, reused from sort to sort. Every order is stable over the one before it: the expiry
// order sorts the rows by id and then by expiry; the other keys sort the expiry order by
// their column, so ties always fall back to expiry, then id, as the spec of the sort says
// (less in the tests).

// order is the rows' order under k, made once per set of rows.
func (t *table) order(k sortKey) []int {
	if o := t.orders[k]; o != nil {
		return o
	}
	var o []int
	switch k {
	case sortExpiry:
		all := make([]int, len(t.Rows))
		for i := range all {
			all[i] = i
		}
		byID := t.sortByString(all, t.column(func(r *row) string { return r.ds.ID }))
		exp := t.keys()
		for i := range t.Rows {
			exp[i] = uint64(t.Rows[i].expiry) ^ (1 << 63) // signed order as unsigned
		}
		o = t.sortByUint(byID, exp)
	case sortStatus:
		base := t.order(sortExpiry)
		byWord := t.sortByString(base, t.column(func(r *row) string { return r.status }))
		active := t.keys()
		for i := range t.Rows {
			active[i] = 0
			if t.Rows[i].active {
				active[i] = 1 // disabled and the rest first: problems on top
			}
		}
		o = t.sortByUint(byWord, active)
	default:
		t.ensureText()
		j := map[sortKey]int{sortAudience: 0, sortSubject: 1, sortURL: 2, sortSchema: 3}[k]
		o = t.sortByString(t.order(sortExpiry), t.column(func(r *row) string { return r.lower[j] }))
	}
	clear(t.scratch.col) // holds no strings of rows that a reload drops
	t.orders[k] = o
	return o
}

// sortScratch is what a sort works in, kept by the table so sorting again allocates only the
// order it returns.
type sortScratch struct {
	col     []string
	key     []uint64
	es, tmp []entry
}

// column is f of every row, in row order: one pass in memory order, so the sort's random
// reads land in this slice, not across the rows.
func (t *table) column(f func(*row) string) []string {
	t.scratch.col = grow(t.scratch.col, len(t.Rows))
	for i := range t.Rows {
		t.scratch.col[i] = f(&t.Rows[i])
	}
	return t.scratch.col
}

// keys is a scratch key per row.
func (t *table) keys() []uint64 {
	t.scratch.key = grow(t.scratch.key, len(t.Rows))
	return t.scratch.key
}

func (t *table) entries(n int) (es, tmp []entry) {
	t.scratch.es, t.scratch.tmp = grow(t.scratch.es, n), grow(t.scratch.tmp, n)
	return t.scratch.es, t.scratch.tmp
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// entry is one row's place in a sort: its key and its position in the order being sorted.
// No pointers: nothing for the GC to scan.
type entry struct {
	key uint64
	pos int32
}

// sortByUint sorts order stably by key[row].
func (t *table) sortByUint(order []int, key []uint64) []int {
	es, tmp := t.entries(len(order))
	for p, i := range order {
		es[p] = entry{key[i], int32(p)}
	}
	es = radixSort(es, tmp)
	out := make([]int, len(es))
	for p, e := range es {
		out[p] = order[e.pos]
	}
	return out
}

// sortByString sorts order stably by col[row] (bytewise, as strings.Compare).
func (t *table) sortByString(order []int, col []string) []int {
	if len(order) == 0 {
		return []int{}
	}
	lcp, exact := commonPrefix(col)
	es, tmp := t.entries(len(order))
	for p, i := range order {
		es[p] = entry{prefix8(col[i], lcp), int32(p)}
	}
	if sorted := radixSort(es, tmp); &sorted[0] != &es[0] {
		es, tmp = tmp, es // the result is in tmp: es is the scratch now
	}
	if !exact {
		settleTies(es, tmp, order, col, lcp+8)
	}
	out := make([]int, len(es))
	for p, e := range es {
		out[p] = order[e.pos]
	}
	return out
}

// settleTies orders each run of es whose keys tie (the strings agree up to skip) by the next
// 8 bytes of the strings, and so on down, until the strings in a run are equal; past 64 bytes
// a run is sorted by its full strings.
func settleTies(es, tmp []entry, order []int, col []string, skip int) {
	for a := 0; a < len(es); {
		b := a + 1
		for b < len(es) && es[b].key == es[a].key {
			b++
		}
		if run := es[a:b]; len(run) > 1 && !allEqual(run, order, col) {
			if skip >= 64 {
				slices.SortStableFunc(run, func(x, y entry) int {
					return strings.Compare(col[order[x.pos]], col[order[y.pos]])
				})
			} else {
				for i := range run {
					run[i].key = prefix8(col[order[run[i].pos]], skip)
				}
				sorted := radixSort(run, tmp[a:b])
				if &sorted[0] != &run[0] {
					copy(run, sorted)
				}
				settleTies(run, tmp[a:b], order, col, skip+8)
			}
		}
		a = b
	}
}

// radixSort sorts es by key, stably: least significant byte first, one counting pass a byte,
// skipping a byte every key has the same. It returns es or tmp, whichever holds the result.
func radixSort(es, tmp []entry) []entry {
	if len(es) < 2 {
		return es
	}
	var counts [8][256]int32
	for _, e := range es {
		k := e.key
		for b := range 8 {
			counts[b][byte(k>>(8*b))]++
		}
	}
	src, dst := es, tmp
	for b := range 8 {
		c := &counts[b]
		if int(c[byte(es[0].key>>(8*b))]) == len(es) {
			continue // every key has this byte: the pass would change nothing
		}
		var sum int32
		for i, n := range c {
			c[i] = sum
			sum += n
		}
		for _, e := range src {
			d := byte(e.key >> (8 * b))
			dst[c[d]] = e
			c[d]++
		}
		src, dst = dst, src
	}
	return src
}

func allEqual(es []entry, order []int, col []string) bool {
	first := col[order[es[0].pos]]
	for _, e := range es[1:] {
		if col[order[e.pos]] != first {
			return false
		}
	}
	return true
}

// commonPrefix is the length of the prefix every string in col shares, and whether the 8
// bytes after it tell every two strings apart exactly (none longer, none with a NUL byte,
// which the zero padding of a shorter string could not be told from).
func commonPrefix(col []string) (n int, exact bool) {
	first := col[0]
	n = len(first)
	for _, s := range col[1:] {
		for !strings.HasPrefix(s, first[:n]) {
			n--
		}
	}
	exact = true
	for _, s := range col {
		if len(s)-n > 8 || strings.IndexByte(s[n:], 0) >= 0 {
			exact = false
			break
		}
	}
	return n, exact
}

// prefix8 is the 8 bytes of s after skip, big-endian, zero-padded: integers that order as the
// strings do, up to a tie.
func prefix8(s string, skip int) uint64 {
	var b [8]byte
	if skip < len(s) {
		copy(b[:], s[skip:])
	}
	return binary.BigEndian.Uint64(b[:])
}
