package datasources

import (
	"github.com/byova/byova/ui/listview"
	"math"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/styles"
)

// row is one data source as the table needs it. Everything that does not change with the
// clock is computed once per load (sort keys, the filter haystack) or once per layout (the
// padded text of the static columns), so moving the cursor over 10,000 rows costs only the
// rows on screen.
type row struct {
	ds       *api.DataSource
	active   bool
	status   string // "active", "disabled", or what Webex said
	audience string
	subject  string
	url      string
	schema   string // serviceType, else the schema id
	expiry   int64  // unix seconds; math.MaxInt64 when unknown
	expired  bool   // as of the last stampExpired: "expired" is in hay (once it is made)
	rowText         // what the filter and the text sorts read: made after the first frame (texts)

	statusCell string // status text padded to its column

	cells    string // audience…schema, padded, for layout gen
	cellsGen int
}

func newRow(ds *api.DataSource, schemas map[string]api.Schema) row {
	status := safetext.Line(strings.ToLower(strings.TrimSpace(ds.Status)))
	if status == "" {
		status = "active" // Webex omits it on some list payloads; active is the default
	}
	r := row{
		ds:     ds,
		active: status == "active",
		status: status,
		// What the table shows and measures is the sanitised text (safetext).
		audience: safetext.Line(ds.Audience),
		subject:  safetext.Line(ds.Subject),
		url:      safetext.Line(ds.URL),
		schema:   safetext.Line(schemaName(ds.SchemaID, schemas)),
		expiry:   math.MaxInt64,
	}
	if exp := ds.Expiry(); !exp.IsZero() {
		r.expiry = exp.Unix()
	}
	// The status cells and words of the two statuses nearly every row has are made once.
	r.statusCell = r.words().cell
	return r
}

// words are the row's status cell and its words in the haystack.
func (r *row) words() *statusWords {
	switch {
	case r.active:
		return &activeWords
	case r.status == "disabled":
		return &disabledWords
	}
	return newStatusWords(r)
}

// rowText is what only the filter and the sorts by a text column read. A load's rows are shown
// without it and it is made beside the first frame (buildRows): lowering four columns and
// writing the haystack of every row was more than half of making the rows (5 of 8 ms at 10k).
type rowText struct {
	hay     string // lower-case text the filter searches
	hayBase string // hay without the clock's word
	// lower is audience, subject, url and schema in lower case, for the sort: lowering them
	// in each comparison allocated n·log n strings (105 ms to sort 10k rows).
	lower [4]string
}

// text makes r's rowText but its hay, which setText makes from hayBase (and the expired word).
func (r *row) text() rowText {
	ds := r.ds
	var t rowText
	t.lower = [4]string{strings.ToLower(r.audience), strings.ToLower(r.subject), strings.ToLower(r.url), strings.ToLower(r.schema)}
	st := r.words()
	// The filter matches what the table shows: the compact status word and the expiry word
	// too. One string, lowered as it is written (the rows' own lower-case columns reused).
	var b strings.Builder
	b.Grow(len(st.hay) + len(t.lower[0]) + len(t.lower[1]) + len(t.lower[2]) + len(t.lower[3]) + len(ds.SchemaID) + len(ds.ID) + 24)
	b.WriteString(st.hay)
	for _, w := range t.lower {
		b.WriteByte(0)
		b.WriteString(w)
	}
	b.WriteByte(0)
	writeLower(&b, ds.SchemaID)
	b.WriteByte(0)
	writeLower(&b, ds.ID)
	if r.expiry == math.MaxInt64 {
		b.WriteByte(0)
		writeLower(&b, styles.GlyphUnknown+" unknown")
	}
	t.hayBase = b.String()
	return t
}

// setText puts t in r, with the expired word when r's token has expired (stampExpired).
func (r *row) setText(t rowText) {
	r.rowText = t
	r.hay = t.hayBase
	if r.expired {
		r.hay += expiredHay
	}
}

// expiredHay is what an expired row's haystack gains.
var expiredHay = "\x00" + strings.ToLower(expiryText(expiryExpired, 0))

// statusWords are a status's cell and its words in the filter's haystack.
type statusWords struct{ cell, hay string }

var (
	activeWords   = *newStatusWords(&row{active: true, status: "active"})
	disabledWords = *newStatusWords(&row{status: "disabled"})
)

func newStatusWords(r *row) *statusWords {
	return &statusWords{
		cell: format.Fit(r.statusText(), statusW),
		hay:  strings.ToLower(r.statusText() + "\x00" + strings.TrimSpace(r.statusShort())),
	}
}

// writeLower writes strings.ToLower(s) to b without making it first: runs already in lower
// case are written whole.
func writeLower(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] < utf8.RuneSelf && (s[j] < 'A' || s[j] > 'Z') {
			j++
		}
		b.WriteString(s[i:j])
		switch {
		case j == len(s):
			return
		case s[j] >= utf8.RuneSelf:
			b.WriteString(strings.ToLower(s[j:])) // rare: non-ASCII
			return
		}
		b.WriteByte(s[j] + 'a' - 'A')
		i = j + 1
	}
}

// schemaName is what people call a schema: its serviceType, else a short id.
func schemaName(id string, schemas map[string]api.Schema) string {
	if id == "" {
		return "—"
	}
	if s, ok := schemas[id]; ok && s.ServiceType != "" {
		return s.ServiceType
	}
	return format.ShortID(id) + "…"
}

// statusShort is the compact layout's status cell: the glyph and a short word ("✗ off"), so
// a disabled row never reads like the "✗ expired" beside it, with or without colour.
func (r *row) statusShort() string {
	switch {
	case r.active:
		return format.Fit(styles.GlyphActive+" on", compactStatusW)
	case r.status == "disabled":
		return format.Fit(styles.GlyphDisabled+" off", compactStatusW)
	}
	return format.Fit(styles.GlyphUnknown+" "+r.status, compactStatusW)
}

// statusText is the status cell: a glyph and a word, so it reads without colour.
func (r *row) statusText() string {
	switch {
	case r.active:
		return styles.GlyphActive + " active"
	case r.status == "disabled":
		return styles.GlyphDisabled + " disabled"
	}
	return styles.GlyphUnknown + " " + r.status
}

// sortKey is a column the list can be sorted by; s cycles through them in this order.
type sortKey int

const (
	sortExpiry sortKey = iota
	sortAudience
	sortSubject
	sortStatus
	sortURL
	sortSchema
	numSortKeys
)

// Short is the key's name alone, for a narrow title line.
func (k sortKey) Short() string {
	return [...]string{"expiry", "audience", "subject", "status", "url", "schema"}[k]
}

func (k sortKey) String() string {
	return [...]string{"expiry (soonest first)", "audience", "subject", "status (disabled first)", "url", "schema"}[k]
}

// table holds every row, their order under the current sort, and the filtered view.
type table struct {
	listview.Table[row, *row] // Order: the current sort
	sortBy                    sortKey
	widest                    [4]int // widest audience, subject, schema, url, for the layout
	schemas                   map[string]api.Schema
	now                       func() time.Time   // the screen's clock, for the expired word
	orders                    [numSortKeys][]int // each key's order, made when first wanted (sort.go)
	scratch                   sortScratch
	// texted: every row has its rowText. Until then texts, when not nil, brings them: made
	// on a goroutine of a load's (buildRows), taken at the first filter or text sort.
	texted bool
	texts  <-chan []rowText
}

// ensureText gives every row its rowText, waiting for the load's goroutine when it is still
// making them (CPU work already under way: a few ms at 10k rows, not a network wait).
func (t *table) ensureText() {
	if t.texted {
		return
	}
	var ts []rowText
	if t.texts != nil {
		ts, t.texts = <-t.texts, nil
	}
	for i := range t.Rows {
		r := &t.Rows[i]
		if len(ts) == len(t.Rows) {
			r.setText(ts[i])
		} else { // the goroutine failed: made here
			r.setText(r.text())
		}
	}
	t.texted = true
}

// Refilter is listview's, with the rows' haystacks made first when a filter needs them.
func (t *table) Refilter() {
	if t.Query() != "" {
		t.ensureText()
	}
	t.Table.Refilter()
}

// SetQuery is listview's, with the rows' haystacks made first when q filters.
func (t *table) SetQuery(q string) {
	if strings.TrimSpace(q) != "" {
		t.ensureText()
	}
	t.Table.SetQuery(q)
}

// Hay is what the filter searches; Key finds the row again (listview.Row).
func (r *row) Hay() string { return r.hay }

// stampExpired puts "✗ expired" in the haystack of the rows whose token has expired by now, so
// /expired finds what the expiry column shows. It reports whether a row changed.
func (t *table) stampExpired(now time.Time) bool {
	changed := false
	n := now.Unix()
	for i := range t.Rows {
		r := &t.Rows[i]
		if exp := r.expiry != math.MaxInt64 && r.expiry <= n; exp != r.expired {
			r.expired, changed = exp, true
			if t.texted {
				r.setText(r.rowText)
			}
		}
	}
	return changed
}
func (r *row) Key() string { return r.ds.ID }

func (t *table) stampNow() {
	if t.now != nil {
		t.stampExpired(t.now())
	}
}

func (t *table) set(items []*api.DataSource, schemas map[string]api.Schema) {
	t.Rows = make([]row, len(items))
	t.orders = [numSortKeys][]int{}
	t.widest = [4]int{}
	t.schemas = schemas
	for i := range items {
		r := &t.Rows[i]
		*r = newRow(items[i], schemas)
		r.setText(r.text())
		t.widen(r)
	}
	t.texted, t.texts = true, nil
	t.stampNow()
	t.resort()
}

// builtRows are a load's rows, made in the load's command (load.go), with what set works out
// from them: install puts them in place on the UI's goroutine without redoing any.
type builtRows struct {
	rows     []row // rows[i] is items[i]'s
	schemas  map[string]api.Schema
	widest   [4]int
	byExpiry []int            // the expiry order (sort.go)
	scratch  sortScratch      // what making it used: the next sort reuses it, not fresh memory
	texts    <-chan []rowText // the rows' text, made beside the first frame (ensureText)
}

// buildRows makes the rows of items as set would, half on another goroutine, and works out
// the widths and the expiry order. A panic on the other goroutine is raised again here, in
// the command, whose recover reports it.
func buildRows(items []*api.DataSource, schemas map[string]api.Schema) *builtRows {
	rows := make([]row, len(items))
	half := len(items) / 2
	var panicked any
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() { panicked = recover() }()
		for i := half; i < len(items); i++ {
			rows[i] = newRow(items[i], schemas)
		}
	}()
	for i := range half {
		rows[i] = newRow(items[i], schemas)
	}
	wg.Wait()
	if panicked != nil {
		panic(panicked)
	}
	var t table
	t.Rows = rows
	for i := range rows {
		t.widen(&rows[i])
	}
	byExpiry := t.order(sortExpiry)
	// The rows' text is made beside the first frame, on a goroutine that reads what the rows
	// keep as they are (nothing the UI's goroutine writes before it takes the text).
	texts := make(chan []rowText, 1)
	go func() {
		var ts []rowText
		defer func() {
			if recover() != nil {
				ts = nil // ensureText makes them on the UI's goroutine instead
			}
			texts <- ts
		}()
		ts = make([]rowText, len(rows))
		for i := range rows {
			ts[i] = rows[i].text()
		}
	}()
	return &builtRows{rows: rows, schemas: schemas, widest: t.widest, byExpiry: byExpiry, scratch: t.scratch, texts: texts}
}

// install shows rows made by buildRows, as set(items, b.schemas) would.
func (t *table) install(b *builtRows) {
	t.Rows = b.rows
	t.orders = [numSortKeys][]int{}
	t.orders[sortExpiry] = b.byExpiry
	t.texted, t.texts = false, b.texts
	t.widest = b.widest
	t.schemas = b.schemas
	t.scratch = b.scratch
	t.stampNow()
	t.resort()
}

// widen grows the widest-value record with r.
func (t *table) widen(r *row) {
	for j, v := range [4]string{r.audience, r.subject, r.schema, strings.TrimPrefix(r.url, "https://")} {
		t.widest[j] = max(t.widest[j], cellWidth(v))
	}
}

// cellWidth is v's width on screen. Most of what Webex sends is ASCII, one cell a byte: the
// grapheme walk of ansi.StringWidth for 4 cells of every row was a tenth of a load's CPU.
func cellWidth(v string) int {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c >= 0x7f {
			return ansi.StringWidth(v)
		}
	}
	return len(v)
}

// replace overwrites the data source with ds's id in place (its row is rebuilt and the order
// updated) and returns its index, or -1 when it is not there.
func (t *table) replace(ds *api.DataSource) int {
	for i := range t.Rows {
		if t.Rows[i].ds.ID == ds.ID {
			t.ensureText() // the load's goroutine reads the rows until then
			*t.Rows[i].ds = *ds
			t.Rows[i] = newRow(t.Rows[i].ds, t.schemas)
			t.Rows[i].setText(t.Rows[i].text())
			t.orders = [numSortKeys][]int{}
			t.stampNow()
			t.resort()
			return i
		}
	}
	return -1
}

// resort shows the rows in the order of the current key (made once per set of rows).
func (t *table) resort() {
	t.Order = t.order(t.sortBy)
	t.Refilter()
}

// expiryState classifies a token's remaining life.
type expiryState int

const (
	expiryUnknown expiryState = iota
	expiryOK
	expirySoon
	expiryExpired
)

// classify places a token: expired, in the warning band (format.WarnBand: the profile's
// warn_within, or half the lifetime when the lifetime is no longer than that, so a 60-minute
// token is not flagged the moment it is renewed), fine, or unknown. lifetime 0: unknown.
func classify(exp int64, lifetime, window time.Duration, now time.Time) (expiryState, time.Duration) {
	if exp == math.MaxInt64 {
		return expiryUnknown, 0
	}
	left := time.Unix(exp, 0).Sub(now)
	switch {
	case left <= 0:
		return expiryExpired, left
	case format.InWarnBand(left, lifetime, window):
		return expirySoon, left
	}
	return expiryOK, left
}

// lifetimeOf is the token lifetime Webex reports for ds (0 when it does not).
func lifetimeOf(ds *api.DataSource) time.Duration {
	if ds == nil || api.ValidateLifetime(ds.TokenLifetimeMinutes) != nil {
		return 0
	}
	return time.Duration(ds.TokenLifetimeMinutes) * time.Minute
}

// warnWindow is the profile's warn_within (config.DefaultWarnWithin without a session).
func (s *Screen) warnWindow() time.Duration {
	if s.c.Session != nil && s.c.Session.Settings.WarnWithin > 0 {
		return s.c.Session.Settings.WarnWithin
	}
	return config.DefaultWarnWithin
}

// expiryText is the expiry cell: a countdown, with a glyph and a word when it needs attention.
func expiryText(state expiryState, left time.Duration) string {
	switch state {
	case expiryExpired:
		return styles.GlyphExpired + " expired"
	case expirySoon:
		return styles.GlyphSoon + " " + format.Remaining(left)
	case expiryOK:
		return "  " + format.Remaining(left)
	}
	return styles.GlyphUnknown + " unknown"
}

// NeedsSeconds: a token under format.SecondsBelow shows its seconds, so the root ticks each
// second while one is loaded (common.SecondsNeeder); otherwise once a minute.
func (s *Screen) NeedsSeconds(now time.Time) bool {
	for i := range s.items {
		exp := s.items[i].Expiry()
		if exp.IsZero() {
			continue
		}
		if left := exp.Sub(now); left > 0 && left < format.SecondsBelow {
			return true
		}
	}
	return false
}
