package config

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	toml "github.com/pelletier/go-toml/v2"
)

// config.toml is a file people write (the README has them write [serve] by hand), so a save
// edits it in place: only the values that changed are rewritten, removed keys lose their line,
// new keys go at the end of their table (a new table at the end of the file), and every
// comment, blank line and untouched line stays as it was. go-toml v2 has no
// document-preserving editor; BurntSushi/toml neither; the one Go library made for it
// (stricttools/go-toml-edit, v0.x, no importers) reformats the whitespace of lines it does not
// change, which is what a person's aligned comments are made of. So this is a small line-level
// editor over TOML's lexical rules, limited to what a change needs:
// keys whose value is a string, bool, integer or array of them. go-toml parses both ends, and
// the edited text must decode to exactly the intended settings, or nothing is written.

// docEntry is a key = value in the text, by byte offsets.
type docEntry struct {
	path             []string // table path + key path
	keyLen           int      // how many of path's parts the key itself spells (dotted keys > 1)
	lineStart        int
	valStart, valEnd int
	lineEnd          int // after the line's newline (and any trailing comment)
}

// docHeader is a [table] or [[array]] line.
type docHeader struct {
	path               []string
	array              bool
	lineStart, lineEnd int
}

type tomlDoc struct {
	src     []byte
	entries []docEntry
	headers []docHeader
}

var errEdit = errors.New("cannot edit config.toml in place")

func editErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errEdit, fmt.Sprintf(format, a...))
}

// scanDoc finds the keys and table headers of a TOML document already known to be valid.
func scanDoc(src []byte) (*tomlDoc, error) {
	d := &tomlDoc{src: src}
	var table []string
	arrayTable := false
	i := 0
	for i < len(src) {
		lineStart := i
		i = d.skipSpace(i)
		switch {
		case i >= len(src):
		case src[i] == '\n' || src[i] == '\r' || src[i] == '#':
			i = d.lineEnd(i)
		case src[i] == '[':
			array := i+1 < len(src) && src[i+1] == '['
			j := i + 1
			if array {
				j++
			}
			path, j, err := d.keyPath(j)
			if err != nil {
				return nil, err
			}
			j = d.skipSpace(j)
			close := "]"
			if array {
				close = "]]"
			}
			if !bytes.HasPrefix(src[j:], []byte(close)) {
				return nil, editErr("a table header at byte %d does not close", lineStart)
			}
			end, err := d.rest(j + len(close))
			if err != nil {
				return nil, err
			}
			d.headers = append(d.headers, docHeader{path: path, array: array, lineStart: lineStart, lineEnd: end})
			table, arrayTable, i = path, array, end
		default:
			key, j, err := d.keyPath(i)
			if err != nil {
				return nil, err
			}
			j = d.skipSpace(j)
			if j >= len(src) || src[j] != '=' {
				return nil, editErr("no = after a key at byte %d", i)
			}
			vs := d.skipSpace(j + 1)
			ve, err := d.valueEnd(vs)
			if err != nil {
				return nil, err
			}
			end, err := d.rest(ve)
			if err != nil {
				return nil, err
			}
			if !arrayTable { // keys under [[...]] are never edited (see find)
				d.entries = append(d.entries, docEntry{path: append(slices.Clone(table), key...), keyLen: len(key),
					lineStart: lineStart, valStart: vs, valEnd: ve, lineEnd: end})
			} else {
				d.entries = append(d.entries, docEntry{path: append(append(slices.Clone(table), "\x00[[]]"), key...), keyLen: len(key),
					lineStart: lineStart, valStart: vs, valEnd: ve, lineEnd: end})
			}
			i = end
		}
	}
	return d, nil
}

func (d *tomlDoc) skipSpace(i int) int {
	for i < len(d.src) && (d.src[i] == ' ' || d.src[i] == '\t') {
		i++
	}
	return i
}

// skipBlank skips spaces, newlines and comments (inside arrays and inline tables).
func (d *tomlDoc) skipBlank(i int) int {
	for i < len(d.src) {
		switch d.src[i] {
		case ' ', '\t', '\n', '\r':
			i++
		case '#':
			for i < len(d.src) && d.src[i] != '\n' {
				i++
			}
		default:
			return i
		}
	}
	return i
}

// lineEnd is the offset after the newline ending the line i is on.
func (d *tomlDoc) lineEnd(i int) int {
	for i < len(d.src) && d.src[i] != '\n' {
		i++
	}
	if i < len(d.src) {
		i++
	}
	return i
}

// rest checks that only spaces and a comment follow i on its line and returns the line's end.
func (d *tomlDoc) rest(i int) (int, error) {
	i = d.skipSpace(i)
	if i < len(d.src) && d.src[i] != '#' && d.src[i] != '\n' && !(d.src[i] == '\r' && i+1 < len(d.src) && d.src[i+1] == '\n') {
		return 0, editErr("unexpected text at byte %d", i)
	}
	return d.lineEnd(i), nil
}

// keyPath reads a dotted key (bare, "basic" and 'literal' parts).
func (d *tomlDoc) keyPath(i int) ([]string, int, error) {
	var path []string
	for {
		i = d.skipSpace(i)
		if i >= len(d.src) {
			return nil, 0, editErr("a key ends the file")
		}
		var part string
		switch c := d.src[i]; {
		case c == '"':
			end, err := d.basicEnd(i)
			if err != nil {
				return nil, 0, err
			}
			s, err := strconv.Unquote(string(d.src[i:end]))
			if err != nil {
				return nil, 0, editErr("a quoted key at byte %d: %v", i, err)
			}
			part, i = s, end
		case c == '\'':
			end := bytes.IndexByte(d.src[i+1:], '\'')
			if end < 0 {
				return nil, 0, editErr("a quoted key at byte %d does not close", i)
			}
			part, i = string(d.src[i+1:i+1+end]), i+2+end
		default:
			j := i
			for j < len(d.src) && isBare(d.src[j]) {
				j++
			}
			if j == i {
				return nil, 0, editErr("no key at byte %d", i)
			}
			part, i = string(d.src[i:j]), j
		}
		path = append(path, part)
		j := d.skipSpace(i)
		if j < len(d.src) && d.src[j] == '.' {
			i = j + 1
			continue
		}
		return path, i, nil
	}
}

func isBare(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// basicEnd is the offset after the "basic string" starting at i.
func (d *tomlDoc) basicEnd(i int) (int, error) {
	for j := i + 1; j < len(d.src); j++ {
		switch d.src[j] {
		case '\\':
			j++
		case '"':
			return j + 1, nil
		case '\n':
			return 0, editErr("a string at byte %d does not close on its line", i)
		}
	}
	return 0, editErr("a string at byte %d does not close", i)
}

// valueEnd is the offset after the value starting at i.
func (d *tomlDoc) valueEnd(i int) (int, error) {
	src := d.src
	if i >= len(src) {
		return 0, editErr("a key without a value ends the file")
	}
	switch {
	case bytes.HasPrefix(src[i:], []byte(`"""`)):
		return d.multiLineEnd(i, '"')
	case bytes.HasPrefix(src[i:], []byte(`'''`)):
		return d.multiLineEnd(i, '\'')
	case src[i] == '"':
		return d.basicEnd(i)
	case src[i] == '\'':
		j := bytes.IndexByte(src[i+1:], '\'')
		if j < 0 {
			return 0, editErr("a string at byte %d does not close", i)
		}
		return i + 2 + j, nil
	case src[i] == '[':
		return d.arrayEnd(i)
	case src[i] == '{':
		return d.inlineTableEnd(i)
	}
	return d.bareEnd(i)
}

// multiLineEnd is the offset after the multi-line string (three of quote) starting at i; up to
// two more quotes before the closing three belong to the string.
func (d *tomlDoc) multiLineEnd(i int, quote byte) (int, error) {
	src, delim := d.src, bytes.Repeat([]byte{quote}, 3)
	j := i + 3
	for ; j < len(src); j++ {
		if quote == '"' && src[j] == '\\' {
			j++ // a basic string's escape; a literal string has none
			continue
		}
		if bytes.HasPrefix(src[j:], delim) {
			break
		}
	}
	if j >= len(src) {
		return 0, editErr("a multi-line string at byte %d does not close", i)
	}
	end := j + 3
	for k := 0; k < 2 && end < len(src) && src[end] == quote; k++ {
		end++
	}
	return end, nil
}

// arrayEnd is the offset after the array starting at i.
func (d *tomlDoc) arrayEnd(i int) (int, error) {
	return d.listEnd(i, ']', "an array", d.valueEnd)
}

// inlineTableEnd is the offset after the inline table starting at i.
func (d *tomlDoc) inlineTableEnd(i int) (int, error) {
	return d.listEnd(i, '}', "an inline table", func(j int) (int, error) {
		_, k, err := d.keyPath(j)
		if err != nil {
			return 0, err
		}
		k = d.skipSpace(k)
		if k >= len(d.src) || d.src[k] != '=' {
			return 0, editErr("no = in an inline table at byte %d", j)
		}
		return d.valueEnd(d.skipSpace(k + 1))
	})
}

// listEnd is the offset after the comma-separated items (each read by item) that start at i
// and end with close; blanks and comments may stand between them.
func (d *tomlDoc) listEnd(i int, close byte, what string, item func(int) (int, error)) (int, error) {
	src := d.src
	j := i + 1
	for {
		j = d.skipBlank(j)
		if j >= len(src) {
			return 0, editErr("%s at byte %d does not close", what, i)
		}
		if src[j] == close {
			return j + 1, nil
		}
		end, err := item(j)
		if err != nil {
			return 0, err
		}
		j = d.skipBlank(end)
		if j < len(src) && src[j] == ',' {
			j++
		}
	}
}

// bareEnd is the offset after a number, bool or date-time starting at i.
func (d *tomlDoc) bareEnd(i int) (int, error) {
	src := d.src
	j := i
	for j < len(src) && !strings.ContainsRune(" \t\r\n,]}#", rune(src[j])) {
		j++
	}
	// A local date-time may use a space between date and time: 1979-05-27 07:32:00.
	if j-i == 10 && j+1 < len(src) && src[j] == ' ' && src[j+1] >= '0' && src[j+1] <= '9' && src[i+4] == '-' {
		j++
		for j < len(src) && !strings.ContainsRune(" \t\r\n,]}#", rune(src[j])) {
			j++
		}
	}
	if j == i {
		return 0, editErr("no value at byte %d", i)
	}
	return j, nil
}

func pathKey(p []string) string { return strings.Join(p, "\x00") }

func hasPrefix(p, prefix []string) bool {
	return len(p) >= len(prefix) && slices.Equal(p[:len(prefix)], prefix)
}

// find is the entry that sets exactly path.
func (d *tomlDoc) find(path []string) *docEntry {
	for i := range d.entries {
		if slices.Equal(d.entries[i].path, path) {
			return &d.entries[i]
		}
	}
	return nil
}

// insertPoint is where a new key of table goes: after the table's last key, else after its
// header; -1 when the table has no header of its own (it gets one at the end of the file).
func (d *tomlDoc) insertPoint(table []string) (int, error) {
	for _, e := range d.entries {
		// A key that spells part of table itself (dotted keys, an inline table) defines it
		// where no header names it; a key can't be added beside those by a line.
		if hasPrefix(e.path, table) && len(e.path)-e.keyLen < len(table) {
			return 0, editErr("%s is set with dotted keys or an inline table", strings.Join(table, "."))
		}
	}
	if len(table) == 0 {
		end := -1
		for _, e := range d.entries {
			if len(d.headers) > 0 && e.lineStart > d.headers[0].lineStart {
				break
			}
			end = e.lineEnd
		}
		if end >= 0 {
			return end, nil
		}
		return d.afterLeadingComment(), nil
	}
	for hi, h := range d.headers {
		if h.array || !slices.Equal(h.path, table) {
			continue
		}
		stop := len(d.src)
		if hi+1 < len(d.headers) {
			stop = d.headers[hi+1].lineStart
		}
		at := h.lineEnd
		for _, e := range d.entries {
			if e.lineStart >= h.lineEnd && e.lineStart < stop {
				at = e.lineEnd
			}
		}
		return at, nil
	}
	return -1, nil
}

// afterLeadingComment is where a new top-level key goes in a file with none: after a first
// block of comments that a blank line ends (a file's own header), else at the very top.
func (d *tomlDoc) afterLeadingComment() int {
	i := 0
	for i < len(d.src) {
		j := d.skipSpace(i)
		if j < len(d.src) && d.src[j] == '#' {
			i = d.lineEnd(j)
			continue
		}
		if i > 0 && (j >= len(d.src) || d.src[j] == '\n' || d.src[j] == '\r') {
			return d.lineEnd(j)
		}
		return 0
	}
	return 0
}

// tomlLeaves flattens a TOML document to its values by key path, and lists its tables.
func tomlLeaves(b []byte) (map[string]any, map[string][]string, error) {
	var m map[string]any
	if err := toml.Unmarshal(b, &m); err != nil {
		return nil, nil, err
	}
	leaves, tables := map[string]any{}, map[string][]string{}
	var walk func(path []string, m map[string]any)
	walk = func(path []string, m map[string]any) {
		tables[pathKey(path)] = path
		for k, v := range m {
			p := append(slices.Clone(path), k)
			if sub, ok := v.(map[string]any); ok {
				walk(p, sub)
				continue
			}
			leaves[pathKey(p)] = v
		}
	}
	walk(nil, m)
	return leaves, tables, nil
}

// isZeroValue: a default written out (readonly = false), which settings leave out.
func isZeroValue(v any) bool {
	switch x := v.(type) {
	case string:
		return x == ""
	case bool:
		return !x
	case int64:
		return x == 0
	case float64:
		return x == 0
	case []any:
		return len(x) == 0
	}
	return false
}

// tomlValue writes v the way a person would, or false for what this editor does not write.
func tomlValue(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return tomlQuote(x), true
	case bool:
		return strconv.FormatBool(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			s, ok := tomlValue(e)
			if !ok {
				return "", false
			}
			parts[i] = s
		}
		return "[" + strings.Join(parts, ", ") + "]", true
	}
	return "", false
}

func tomlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func tomlKey(part string) string {
	if part != "" && strings.IndexFunc(part, func(r rune) bool { return r > 0x7f || !isBare(byte(r)) }) < 0 {
		return part
	}
	return tomlQuote(part)
}

func tomlKeyPath(p []string) string {
	parts := make([]string, len(p))
	for i, s := range p {
		parts[i] = tomlKey(s)
	}
	return strings.Join(parts, ".")
}

type textEdit struct {
	start, end int
	text       string
}

// editTOML is src changed to hold want (after's settings as go-toml writes them), by the
// smallest line edits. The text is compared value by value with want: a value want changes is
// rewritten where it stands; one want adds goes at the end of its table; one want lacks loses
// its line, unless it is a default (false, 0, "", []) a person wrote out, which stays.
func editTOML(src, want []byte) ([]byte, error) {
	d, err := scanDoc(src)
	if err != nil {
		return nil, err
	}
	oldLeaves, oldTables, err := tomlLeaves(src)
	if err != nil {
		return nil, err
	}
	newLeaves, newTables, err := tomlLeaves(want)
	if err != nil {
		return nil, err
	}
	nl := "\n"
	if bytes.Contains(src, []byte("\r\n")) {
		nl = "\r\n"
	}
	p := &tomlPlan{d: d, nl: nl, added: map[string][]string{}, addedTables: map[string][]string{}}
	if err := p.changed(oldLeaves, newLeaves); err != nil {
		return nil, err
	}
	if err := p.removed(oldLeaves, newLeaves); err != nil {
		return nil, err
	}
	p.newTables(oldTables, newTables)
	if err := p.insert(); err != nil {
		return nil, err
	}
	return p.apply(), nil
}

// tomlPlan is editTOML's edits as they are found.
type tomlPlan struct {
	d           *tomlDoc
	nl          string // the file's own line ending
	edits       []textEdit
	added       map[string][]string // table → its new "key = value" lines, in key order
	addedTables map[string][]string // table → its path, for each table that gets lines or a header
}

// changed rewrites each value want changes where it stands, and notes the keys it adds.
func (p *tomlPlan) changed(oldLeaves, newLeaves map[string]any) error {
	for _, k := range slices.Sorted(maps.Keys(newLeaves)) {
		v := newLeaves[k]
		old, had := oldLeaves[k]
		if had && reflect.DeepEqual(old, v) {
			continue
		}
		path := strings.Split(k, "\x00")
		text, ok := tomlValue(v)
		if !ok {
			return editErr("%s: this kind of value is not edited in place", tomlKeyPath(path))
		}
		if e := p.d.find(path); e != nil {
			p.edits = append(p.edits, textEdit{e.valStart, e.valEnd, text})
			continue
		}
		table := path[:len(path)-1]
		tk := pathKey(table)
		p.added[tk] = append(p.added[tk], tomlKey(path[len(path)-1])+" = "+text)
		p.addedTables[tk] = table
	}
	return nil
}

// removed drops the line of each value want lacks, unless it is a default a person wrote out.
func (p *tomlPlan) removed(oldLeaves, newLeaves map[string]any) error {
	for _, k := range slices.Sorted(maps.Keys(oldLeaves)) {
		if _, ok := newLeaves[k]; ok || isZeroValue(oldLeaves[k]) {
			continue
		}
		path := strings.Split(k, "\x00")
		e := p.d.find(path)
		if e == nil {
			return editErr("%s is set with dotted keys or an inline table", tomlKeyPath(path))
		}
		p.edits = append(p.edits, textEdit{e.lineStart, e.lineEnd, ""})
	}
	return nil
}

// newTables gives a header to each table want adds, even an empty one, but not to one that
// only holds tables ([profiles] above [profiles.p]): TOML makes those without a line.
func (p *tomlPlan) newTables(oldTables, newTables map[string][]string) {
	for tk, table := range newTables {
		if _, ok := oldTables[tk]; ok {
			continue
		}
		parentOnly := false
		for _, other := range newTables {
			if len(other) > len(table) && hasPrefix(other, table) {
				parentOnly = true
				break
			}
		}
		if !parentOnly || len(p.added[tk]) > 0 {
			p.addedTables[tk] = table
		}
	}
}

// insert places the added lines at the end of their tables, and tables the file lacks at
// its end.
func (p *tomlPlan) insert() error {
	nl, src := p.nl, p.d.src
	var tail strings.Builder
	for _, tk := range slices.Sorted(maps.Keys(p.addedTables)) {
		table := p.addedTables[tk]
		lines := p.added[tk]
		at, err := p.d.insertPoint(table)
		if err != nil {
			return err
		}
		if at >= 0 {
			if len(lines) == 0 {
				continue // the table is there already
			}
			text := strings.Join(lines, nl) + nl
			if at > 0 && src[at-1] != '\n' {
				text = nl + text
			}
			p.edits = append(p.edits, textEdit{at, at, text})
			continue
		}
		tail.WriteString(nl + "[" + tomlKeyPath(table) + "]" + nl)
		for _, l := range lines {
			tail.WriteString(l + nl)
		}
	}
	if tail.Len() > 0 {
		text := tail.String()
		if len(src) > 0 && src[len(src)-1] != '\n' {
			text = nl + text
		}
		p.edits = append(p.edits, textEdit{len(src), len(src), text})
	}
	return nil
}

// apply makes the edits from the end back, so offsets hold; at one offset a removal before an
// insertion, so the insertion is not removed with it.
func (p *tomlPlan) apply() []byte {
	slices.SortFunc(p.edits, func(a, b textEdit) int {
		if a.start != b.start {
			return b.start - a.start
		}
		return b.end - a.end
	})
	out := slices.Clone(p.d.src)
	for _, e := range p.edits {
		out = slices.Concat(out[:e.start], []byte(e.text), out[e.end:])
	}
	return out
}
