package uitest

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/byova/byova/api"
	"github.com/byova/byova/session"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/styles"
)

// Host runs one screen the way the root does, for journeys that must not depend on which
// screens the root registers: request bookkeeping, the error banner and the notice line, global
// keys only while the screen is not capturing. (The root itself is exercised by its own tests.)
type Host struct {
	C      *common.Common
	Screen common.Screen
	Banner string
	Notice string
}

func (h *Host) Init() tea.Cmd { return h.Screen.Init() }

func (h *Host) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if a, ok := msg.(common.Answer); ok {
		h.C.Finish(a.Head().ID)
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.C.Width, h.C.Height = msg.Width, msg.Height
		h.Screen.SetSize(msg.Width, msg.Height-3)
		return h, nil
	case common.ErrorMsg:
		head, hint := common.Describe(h.C.Keys, msg.Err)
		h.Banner = "✗ " + msg.Op + " failed: " + head
		if hint != "" {
			h.Banner += " — " + hint
		}
		if tid := api.TrackingIDOf(msg.Err); tid != "" {
			h.Banner += " (trackingId " + tid + ")"
		}
		return h, nil
	case common.NoticeMsg:
		h.Notice = msg.Text
		return h, nil
	case common.OrgResolvedMsg:
		h.C.ApplyOrg(msg)
		return h, nil
	case common.OrgNameMsg:
		h.C.ApplyOrgName(msg)
		return h, nil
	case tea.KeyPressMsg:
		k := h.C.Keys
		if key.Matches(msg, k.ForceQuit) || (key.Matches(msg, k.Quit) && !h.Screen.Capturing()) {
			return h, tea.Quit
		}
		if key.Matches(msg, k.Dismiss) && h.Banner != "" && !h.Screen.Capturing() {
			h.Banner = ""
			return h, nil
		}
	}
	s, cmd := h.Screen.Update(msg)
	h.Screen = s
	return h, cmd
}

func (h *Host) View() tea.View {
	w := h.C.Width
	var b strings.Builder
	b.WriteString(format.Cut(h.Banner, w) + "\n")
	lines := strings.Split(h.Screen.View(), "\n")
	for i := range max(h.C.Height-3, 0) {
		if i < len(lines) {
			b.WriteString(format.Cut(lines[i], w))
		}
		b.WriteByte('\n')
	}
	if h.Notice != "" {
		b.WriteString(format.Cut("• "+h.Notice, w) + "\n")
	} else {
		hm := help.New()
		hm.SetWidth(w)
		b.WriteString(hm.ShortHelpView(h.Screen.KeyMap()) + "\n")
	}
	return tea.NewView(b.String())
}

// Journey drives a Host in a teatest program and reads its screen.
type Journey struct {
	*Program[*Host]
}

// StartJourney runs a new screen on sess in a teatest program (no colour, w×h).
func StartJourney(t *testing.T, sess *session.Session, newScreen func(*common.Common) common.Screen, w, h int) *Journey {
	t.Helper()
	c := common.New(t.Context(), sess, styles.New(true), nil, nil)
	hm := &Host{C: c, Screen: newScreen(c)}
	return &Journey{StartProgram(t, hm, w, h, tea.WithColorProfile(colorprofile.Ascii))}
}

// Idle waits until every command has answered (so no request is in flight).
func (j *Journey) Idle() { j.t.Helper(); j.Settle() }

// WaitBanner waits until the error banner holds every string (the banner line on screen is
// cut to the width; this reads it whole).
func (j *Journey) WaitBanner(want ...string) {
	j.t.Helper()
	var b string
	j.Until("a banner with "+strings.Join(want, ", "), func() bool {
		j.Inspect(func(h *Host) { b = h.Banner })
		for _, w := range want {
			if !strings.Contains(b, w) {
				return false
			}
		}
		return true
	}, func() string { return b })
}

// Quit waits for the requests in flight (they write to the test's folders), then ends the
// program and returns what it drew.
func (j *Journey) Quit() []byte {
	j.t.Helper()
	j.Idle()
	return j.Program.Quit()
}
