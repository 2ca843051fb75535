package tui

import (
	"errors"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/styles"
)

// maxBannerLines bounds the banner so a long Webex message never pushes the list off screen.
const maxBannerLines = 3

// banner is the dismissible error strip under the header: what failed, Webex's message, the
// trackingId support asks for, and what to do.
type banner struct {
	op       string
	err      error
	headline string
	hint     string
	tracking string
}

func newBanner(k *common.KeyMap, op string, err error) *banner {
	h, hint := common.Describe(k, err)
	if se := (*api.SignInExpiredError)(nil); errors.As(err, &se) {
		hint = "then press " + k.Reload.Help().Key // the headline names the one sign-in that fixes it
	}
	return &banner{op: safetext.Line(op), err: err, headline: h, hint: hint, tracking: safetext.Line(api.TrackingIDOf(err))}
}

// copy sends the error to the clipboard (OSC 52) and says what was sent: the trackingId,
// when Webex gave one, is what support asks for, so it leads the notice.
func (b *banner) copy() tea.Cmd {
	if b.tracking != "" {
		return tea.Batch(tea.SetClipboard(b.clip()), common.NoticeOr("trackingId "+b.tracking+
			" · the error and its trackingId sent to the clipboard (OSC 52; if it did not arrive, select it here)",
			"trackingId "+b.tracking+" · error and trackingId copied (or select them)",
			"trackingId "+b.tracking+" · copied"))
	}
	return tea.Batch(tea.SetClipboard(b.clip()), common.NoticeOr("the error (it has no trackingId) sent to the clipboard (OSC 52; if it did not arrive, select it in the banner)",
		"the error copied (OSC 52; not pasted? select it in the banner)", "the error copied (or select it above)"))
}

// clip is what y copies: the whole error, trackingId included.
func (b *banner) clip() string {
	s := b.err.Error()
	if b.op != "" {
		s = b.op + ": " + s
	}
	if b.tracking != "" && !strings.Contains(s, b.tracking) {
		s += " (trackingId " + b.tracking + ")"
	}
	return s
}

func (b *banner) lines(w int) []string {
	first := styles.GlyphError + " "
	if b.op != "" {
		first += capitalize(b.op) + " failed: "
	}
	first += b.headline
	wrapped := strings.Split(lipgloss.Wrap(first, w-2, " "), "\n")
	var second []string
	if b.tracking != "" {
		second = append(second, "trackingId "+b.tracking)
	}
	if b.hint != "" {
		second = append(second, b.hint)
	}
	second = append(second, "esc dismiss · y copy")
	out := append(wrapped, "  "+strings.Join(second, " · "))
	if len(out) > maxBannerLines {
		out = append(out[:maxBannerLines-1], out[len(out)-1])
	}
	return out
}

func (b *banner) height(w int) int { return len(b.lines(w)) }

func (b *banner) view(st *styles.Styles, w int) string {
	ls := b.lines(w)
	for i, l := range ls {
		ls[i] = st.Banner.Render(format.Fit(" "+l, w))
	}
	return strings.Join(ls, "\n")
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
