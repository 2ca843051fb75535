package webhooks

import (
	"github.com/byova/byova/ui/listview"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/api"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/styles"
)

// row is one webhook as the table needs it, computed once per load.
type row struct {
	wh      *api.Webhook
	status  string // "active", "inactive", or what Webex said
	name    string
	target  string // without https://, which every target has
	created time.Time
	hay     string // lower-case text the filter searches
}

func newRow(wh *api.Webhook) row {
	r := row{wh: wh, status: statusOf(wh), name: safetext.Line(wh.Name), target: safetext.Line(strings.TrimPrefix(wh.TargetURL, "https://"))}
	if r.name == "" {
		r.name = "—"
	}
	if t, err := api.ParseTime(wh.Created); err == nil {
		r.created = t
	}
	r.hay = strings.ToLower(strings.Join([]string{statusText(r.status), wh.Name, wh.Resource, wh.Event, wh.TargetURL, wh.Filter, wh.ID}, "\x00"))
	return r
}

// statusOf is the webhook's status in lower case; Webex omits it on some answers, and a
// webhook is active unless it says otherwise.
func statusOf(wh *api.Webhook) string {
	st := safetext.Line(strings.ToLower(strings.TrimSpace(wh.Status)))
	if st == "" {
		return "active"
	}
	return st
}

// statusText is a glyph and a word, so the status reads without colour.
func statusText(status string) string {
	switch status {
	case "active":
		return styles.GlyphActive + " active"
	case "inactive":
		return styles.GlyphDisabled + " inactive"
	}
	return styles.GlyphUnknown + " " + status
}

func statusStyle(st *styles.Styles, status string) lipgloss.Style {
	switch status {
	case "active":
		return st.StatusActive
	case "inactive":
		return st.StatusDisabled
	}
	return st.ExpiryUnknown
}

// table holds the rows in Webex's order (oldest first) and the filtered view.
type table struct {
	listview.Table[row, *row]
	widest [4]int // name, resource, event, target
}

func (t *table) set(items []api.Webhook) {
	rows := make([]row, len(items))
	t.widest = [4]int{}
	for i := range items {
		r := newRow(&items[i])
		rows[i] = r
		for j, v := range [4]string{r.name, safetext.Line(r.wh.Resource), safetext.Line(r.wh.Event), r.target} {
			t.widest[j] = max(t.widest[j], ansi.StringWidth(v))
		}
	}
	t.Set(rows)
}

// Hay is what the filter searches; Key finds the row again (listview.Row).
func (r *row) Hay() string { return r.hay }
func (r *row) Key() string { return r.wh.ID }

// Column widths. Status and created are fixed; resource and event fit their widest value
// (capped); name and target URL share the rest, the URL cut in the middle so both its host
// and its last path segment stay readable.
const (
	gutterW   = 2
	statusW   = 10 // "✗ inactive"
	createdW  = 8  // "200d ago"
	resCap    = 13
	eventCap  = 12 // "deauthorized"
	nameCap   = 34
	minNameW  = 10
	minURLW   = 14
	gapsCount = 5
)

type layout struct {
	name, resource, event, url int
	status                     int
	compact                    bool // under 80 columns: the status as its glyph, no CREATED
	header                     string
}

func newLayout(w int, widest [4]int) layout {
	l := layout{
		resource: min(max(widest[1], len("RESOURCE")), resCap),
		event:    min(max(widest[2], len("EVENT")), eventCap),
		status:   statusW,
		compact:  w < 80,
	}
	fixed := statusW + createdW + gapsCount
	if l.compact {
		l.status = 1
		fixed = l.status + gapsCount - 1
	}
	flex := max(w-gutterW-fixed-l.resource-l.event, minNameW+minURLW)
	nameWant := min(max(widest[0], len("NAME")), nameCap)
	urlWant := max(widest[3], len("TARGET URL"))
	switch {
	case nameWant+urlWant <= flex:
		l.name = nameWant
	default:
		// The URL is what people match against their receiver: it gets the larger share.
		l.name = max(min(nameWant, flex*2/5), minNameW)
		if spare := flex - l.name - urlWant; spare > 0 {
			l.name += spare
		}
	}
	l.url = flex - l.name
	statusHead := "STATUS"
	if l.compact {
		statusHead = ""
	}
	l.header = strings.Repeat(" ", gutterW) + format.Fit(statusHead, l.status) + " " + format.Fit("NAME", l.name) + " " +
		format.Fit("RESOURCE", l.resource) + " " + format.Fit("EVENT", l.event) + " " + format.Fit("TARGET URL", l.url)
	if !l.compact {
		l.header += " " + "CREATED"
	}
	return l
}

// statusCell is the status column: a glyph and a word, or the glyph alone when compact.
func (l *layout) statusCell(status string) string {
	t := statusText(status)
	if l.compact {
		t, _, _ = strings.Cut(t, " ")
	}
	return format.Fit(t, l.status)
}

func (l *layout) cells(r *row, now time.Time) string {
	created := "—"
	if !r.created.IsZero() {
		created = format.Ago(now, r.created)
	}
	line := fitName(r.name, l.name) + " " + format.Fit(orDash(safetext.Line(r.wh.Resource)), l.resource) + " " +
		format.Fit(orDash(safetext.Line(r.wh.Event)), l.event) + " " + format.FitMiddle(r.target, l.url)
	if l.compact {
		return line
	}
	return line + " " + format.Fit(created, createdW)
}

func orDash(v string) string {
	if v == "" {
		return "—"
	}
	return v
}

// fitName cuts a name at its end, the way people read names ("BYOVA Service…"), except that a
// trailing number is kept ("Generated webh… 0130"): in a numbered series the number is what
// tells the rows apart.
func fitName(name string, w int) string {
	if format.Width(name) <= w {
		return format.Fit(name, w)
	}
	if i := strings.LastIndexByte(name, ' '); i > 0 {
		last := name[i+1:]
		if strings.ContainsAny(last, "0123456789") && len(last) <= 8 && w >= len(last)+6 {
			return format.Fit(format.Cut(name[:i], w-len(last)-1)+" "+last, w)
		}
	}
	return format.Fit(name, w)
}
