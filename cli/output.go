package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/styles"
)

// printJSON writes v with a final newline: indented for a person at a terminal, compact for
// a pipe (as gh does), where jq and scripts read it and size matters. C1 and bidi controls in
// Webex's strings are written as \uXXXX (encoding/json leaves them raw), so the data is the
// same for jq and inert for `cat`.
func printJSON(w io.Writer, v any) error {
	sw := safetext.NewJSONWriter(w)
	enc := json.NewEncoder(sw)
	if f, ok := w.(*os.File); ok && term.IsTerminal(f.Fd()) {
		enc.SetIndent("", "  ")
	}
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	return sw.Flush()
}

// printJSONList writes items as one JSON array through a jsonList.
func printJSONList[T any](w io.Writer, items []T) error {
	l := newJSONList(w)
	for i := range items {
		if err := l.add(&items[i]); err != nil {
			return err
		}
	}
	return l.close()
}

// jsonList writes one JSON array an item at a time through a buffer (and safetext's JSON
// writer), so a list streamed from Webex is written as it is decoded and never held in
// memory, as objects or as text. The array is opened by the first add (or by close); a list
// that fails half-way is never closed, so a script reading it gets invalid JSON rather than
// a short list that looks whole.
type jsonList struct {
	sw     *safetext.JSONWriter
	bw     *bufio.Writer
	indent bool
	n      int
	raw    jsontext.Value // an item being indented
}

func newJSONList(w io.Writer) *jsonList {
	sw := safetext.NewJSONWriter(w)
	l := &jsonList{sw: sw, bw: bufio.NewWriterSize(sw, 64<<10)}
	if f, ok := w.(*os.File); ok && term.IsTerminal(f.Fd()) {
		l.indent = true
	}
	return l
}

func (l *jsonList) add(v any) error {
	l.open()
	if l.indent {
		return jsonv2.MarshalWrite(l.bw, v, listIndent...)
	}
	return jsonv2.MarshalWrite(l.bw, v)
}

// addRaw adds an item that is JSON already (compact, as api's list writers hand it over).
func (l *jsonList) addRaw(b []byte) error {
	l.open()
	if l.indent {
		l.raw = append(l.raw[:0], b...)
		if err := l.raw.Indent(listIndent...); err != nil {
			return err
		}
		b = l.raw
	}
	_, err := l.bw.Write(b)
	return err
}

// listIndent lays an item out as a person reads it, one level into the array.
var listIndent = []jsonv2.Options{jsontext.WithIndentPrefix("  "), jsontext.WithIndent("  ")}

// open starts the array or the next item of it.
func (l *jsonList) open() {
	if l.n == 0 {
		l.bw.WriteByte('[')
	} else {
		l.bw.WriteByte(',')
	}
	l.n++
	if l.indent {
		l.bw.WriteString("\n  ")
	}
}

// abandon writes out what was added, unclosed (see jsonList).
func (l *jsonList) abandon() {
	if l.bw.Flush() == nil {
		l.sw.Flush()
	}
}

// flush writes out what was added so far, for a reader that follows the array as it grows.
func (l *jsonList) flush() error {
	if err := l.bw.Flush(); err != nil {
		return err
	}
	return l.sw.Flush()
}

func (l *jsonList) close() error {
	if l.n == 0 {
		l.bw.WriteByte('[')
	} else if l.indent {
		l.bw.WriteByte('\n')
	}
	l.bw.WriteString("]\n")
	if err := l.bw.Flush(); err != nil {
		return err
	}
	return l.sw.Flush()
}

// table writes aligned columns; the first row is the header. Every cell is shown as
// safetext.Line shows it: a cell is one line and nothing in it reaches the terminal raw.
// With ascii set (a non-UTF-8 locale or a vt100-like TERM) its symbols are drawn in ASCII.
type table struct {
	tw    *tabwriter.Writer
	ascii bool
}

// table is a table on stdout, in ASCII when the terminal wants it.
func (a *app) table(header ...string) *table {
	t := &table{tw: tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0), ascii: a.ascii()}
	t.row(header...)
	return t
}

// ascii says whether human output should use ASCII symbols only (see styles.ASCIIWanted).
func (a *app) ascii() bool { return styles.ASCIIWanted(a.getenv) }

// glyphs is s with its symbols in ASCII when the terminal wants it.
func (a *app) glyphs(s string) string {
	if a.ascii() {
		return styles.ToASCII(s)
	}
	return s
}

func (t *table) row(cells ...string) {
	for i, c := range cells {
		cells[i] = safetext.Line(c)
		if t.ascii {
			cells[i] = styles.ToASCII(cells[i])
		}
	}
	fmt.Fprintln(t.tw, strings.Join(cells, "\t"))
}

func (t *table) flush() error { return t.tw.Flush() }

// streamTable writes aligned rows as they come, for results that land one by one, where a
// tabwriter would hold every row until the last. Its columns are sized up front from rows
// like the ones to come; a cell wider than its column widens it for the rows after (those
// before are out already).
type streamTable struct {
	w      io.Writer
	glyphs func(string) string // the app's: ASCII symbols when the terminal wants them
	widths []int
}

// streamTable is a table on stdout whose columns start as wide as those of like.
func (a *app) streamTable(like ...[]string) *streamTable {
	t := &streamTable{w: a.stdout, glyphs: a.glyphs}
	for _, r := range like {
		t.fit(cleanCells(r, t.glyphs))
	}
	return t
}

func (t *streamTable) fit(cells []string) {
	for i, c := range cells {
		if i >= len(t.widths) {
			t.widths = append(t.widths, 0)
		}
		t.widths[i] = max(t.widths[i], ansi.StringWidth(c))
	}
}

// row writes one row now, two spaces between columns, the last one unpadded.
func (t *streamTable) row(cells ...string) error {
	cells = cleanCells(cells, t.glyphs)
	t.fit(cells)
	var b strings.Builder
	padRow(&b, cells, t.widths)
	_, err := io.WriteString(t.w, b.String())
	return err
}

// expiresIn says how long until t, as an on-call engineer reads it: "3h12m", "25m", "expired 2h ago".
func expiresIn(t, now time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	d := t.Sub(now)
	if d <= 0 {
		return "expired " + humanDuration(-d) + " ago"
	}
	return humanDuration(d)
}

func humanDuration(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%dd%dh", int(d.Hours())/24, int(d.Hours())%24)
	case d >= time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	case d >= time.Minute:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%ds", int(d.Seconds()))
}

// stamp writes a time for a person in UTC, labelled so: a time without its zone misleads
// whoever reads the output on another machine or in a log. app.stamp honours --local and TZ.
func stamp(t time.Time) string { return stampIn(t, time.UTC) }

func stampIn(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}

// stamp is UTC unless --local or TZ asks for local time; either way the zone is named.
func (a *app) stamp(t time.Time) string {
	if a.local || a.getenv("TZ") != "" {
		return stampIn(t, time.Local)
	}
	return stamp(t)
}

// confirm asks a yes/no question on the terminal. Without a terminal it refuses, so a script
// never deletes by accident: it must pass --yes.
func (a *app) confirm(question string) (bool, error) {
	f, ok := a.stdin.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return false, usagef("%s — stdin is not a terminal, so pass --yes to confirm", question)
	}
	fmt.Fprintf(a.stderr, "%s [y/N] ", question)
	line, err := bufio.NewReader(a.stdin).ReadString('\n')
	if err != nil && line == "" {
		return false, nil
	}
	ans := strings.ToLower(strings.TrimSpace(line))
	return ans == "y" || ans == "yes", nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
