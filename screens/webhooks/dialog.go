package webhooks

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/dialog"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/styles"
)

// closeConfirm takes the answered dialog away (dialog.Confirm's Key and Clicked call it).
func (s *Screen) closeConfirm() { s.confirm, s.mode = nil, s.back() }

// resultDialog is shown after a write when there is something to read before going on: the
// secret byova generated (in full, this once), or what ensure found and did.
type resultDialog struct {
	title  string
	rows   [][2]string // label, value
	lines  []string    // under the rows, wrapped
	secret string      // shown in full until the dialog closes, then forgotten
}

func (d *resultDialog) keyMap(k *common.KeyMap) []key.Binding {
	keys := []key.Binding{common.Either("close", k.Accept, k.Dismiss)}
	if d.secret != "" {
		keys = append([]key.Binding{common.As(k.Copy, "copy the secret")}, keys...)
	}
	return keys
}

func (s *Screen) resultKey(msg tea.KeyPressMsg) tea.Cmd {
	d := s.result
	if d == nil {
		s.mode = s.back()
		return nil
	}
	k := s.c.Keys
	switch {
	case key.Matches(msg, k.Copy):
		if d.secret != "" {
			return common.CopySecret(d.secret, config.Mask(d.secret), "the secret")
		}
	case key.Matches(msg, k.Accept, k.Dismiss, k.Quit):
		d.secret = ""
		s.result = nil
		s.mode = s.back()
	}
	return nil
}

func (d *resultDialog) view(st *styles.Styles, k *common.KeyMap, w, h int) string {
	inner := dialog.Inner(w)
	lines := []string{st.Bold.Render(format.Cut(d.title, inner)), ""}
	lines = append(lines, dialog.Labelled(st, d.rows, inner)...)
	if len(d.rows) > 0 && len(d.lines) > 0 {
		lines = append(lines, "")
	}
	for _, l := range d.lines {
		lines = append(lines, strings.Split(lipgloss.Wrap(l, inner, " "), "\n")...)
	}
	if d.secret != "" {
		lines = append(lines, "", "  "+st.Bold.Render(d.secret), "")
		note := "This is the only time byova shows this secret in full; from now on it is masked. " +
			"Copy it now (" + k.Copy.Help().Key + ", over OSC 52) for the receiver that checks the signatures."
		lines = append(lines, strings.Split(lipgloss.Wrap(note, inner, " "), "\n")...)
	}
	lines = append(lines, "")
	lines = append(lines, dialog.Hint(st, d.keyMap(k)))
	return dialog.Box(st, lines, w, h)
}

// openReveal shows the secret byova generated for wh, once.
func (s *Screen) openReveal(wh *api.Webhook, secret string, created bool) {
	verb := "Saved"
	if created {
		verb = "Created"
	}
	s.result = &resultDialog{
		title:  verb + " webhook " + nameOf(wh),
		lines:  []string{"Its secret, which Webex signs every delivery with:"},
		secret: secret,
	}
	s.mode = modeResult
}
