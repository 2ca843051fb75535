package detailview

import (
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/styles"
)

// Fields builds a detail text: bold section names and "label  value" lines whose values wrap
// under themselves. Set the layout fields, then call Section, Field and Add.
type Fields struct {
	Styles *styles.Styles
	Width  int    // the pane's
	LabelW int    // label column, after a two-space indent
	Gap    int    // spaces between the label column and the value
	Breaks string // where long values may break besides the width, for lipgloss.Wrap (" /")
	Lines  []string
}

// Section starts a titled block, after a blank line unless it is the first.
func (f *Fields) Section(name string) {
	if len(f.Lines) > 0 {
		f.Lines = append(f.Lines, "")
	}
	f.Lines = append(f.Lines, f.Styles.Bold.Render(name))
}

// Field adds one labelled value from Webex (or anywhere else untrusted), shown as
// safetext.Line shows it: on one line, whatever it holds. An empty value shows as a muted dash.
func (f *Fields) Field(label, value string) { f.Styled(label, safetext.Line(value)) }

// Text adds a labelled multi-line value from Webex (a description): its line breaks stay,
// everything else is shown as safetext.Text shows it.
func (f *Fields) Text(label, value string) {
	lines := safetext.Lines(value)
	f.Styled(label, lines[0])
	for _, l := range lines[1:] {
		if l == "" {
			l = " " // Styled shows "" as a dash; a blank line of prose is blank
		}
		f.Styled("", l)
	}
}

// Styled adds a labelled value byova built and styled itself: it is drawn as it is, so any
// Webex text inside it must have been through safetext already.
func (f *Fields) Styled(label, value string) {
	if value == "" {
		value = f.Styles.Muted.Render("—")
	}
	indent := f.LabelW + 2 + f.Gap
	valW := max(f.Width-indent, 10)
	for i, w := range strings.Split(lipgloss.Wrap(value, valW, f.Breaks), "\n") {
		l := strings.Repeat(" ", indent)
		if i == 0 {
			l = "  " + f.Styles.FieldName.Render(format.Fit(label, f.LabelW)) + strings.Repeat(" ", f.Gap)
		}
		f.Lines = append(f.Lines, l+w)
	}
}

// Add adds lines as they are.
func (f *Fields) Add(lines ...string) { f.Lines = append(f.Lines, lines...) }

// TimeText shows an instant in UTC, unambiguous for people on call in different zones.
func TimeText(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") }

// Stamp is a Webex timestamp in UTC and how long ago it was; what Webex sent when it is not
// one, and "" for none.
func Stamp(v string, now time.Time) string {
	if v == "" {
		return ""
	}
	t, err := api.ParseTime(v)
	if err != nil {
		return safetext.Line(v)
	}
	return TimeText(t) + "  (" + format.Ago(now, t) + ")"
}
