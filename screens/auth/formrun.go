package auth

import (
	"charm.land/bubbles/v2/key"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/byova/byova/ui/formhost"
)

// formRunner drives an embedded huh form through formhost, which holds the keys typed while
// huh moves to the next field, so fast typing and pasting end up where the person meant. It
// adds what the wizard needs: pages (for the headings) and huh's keys for the footer.
type formRunner struct {
	host  formhost.Host
	pages []page // what the form shows, for the headings
}

// formWidth caps the form's width: long inputs are hard to read.
const formWidth = 100

func newFormRunner(c formTheme, pages []page, w, h int) (*formRunner, tea.Cmd) {
	groups := make([]*huh.Group, 0, len(pages))
	for _, p := range pages {
		g := huh.NewGroup(p.fields...)
		if p.hidden != nil {
			g = g.WithHideFunc(p.hidden)
		}
		groups = append(groups, g)
	}
	f := huh.NewForm(groups...).WithTheme(c.Form()).WithShowHelp(false).WithShowErrors(true)
	r := &formRunner{pages: pages}
	r.host.Reset(f)
	r.setSize(w, h)
	return r, f.Init()
}

// formTheme is the part of the styles the form needs.
type formTheme interface{ Form() huh.Theme }

func (r *formRunner) setSize(w, h int) {
	w = max(min(w, formWidth), 20) // a zero-width text input cannot draw its placeholder
	r.host.Form.WithWidth(w)
	r.host.Form.Update(tea.WindowSizeMsg{Width: w, Height: max(h, 4)})
}

// page is the page on screen: huh shows one group at a time.
func (r *formRunner) page() page {
	f := r.host.Form.GetFocusedField()
	for _, p := range r.pages {
		for _, fld := range p.fields {
			if fld == f {
				return p
			}
		}
	}
	return r.pages[0]
}

func (r *formRunner) state() huh.FormState { return r.host.State() }

// key gives a key to huh, or holds it while a move is under way.
func (r *formRunner) key(msg tea.KeyPressMsg) tea.Cmd { return r.host.Key(msg) }

// update passes any other message (huh's own) and replays held keys once a move is done; the
// wizard looks at the form's state itself afterwards.
func (r *formRunner) update(msg tea.Msg) tea.Cmd {
	none := func() tea.Cmd { return nil }
	return r.host.Step(msg, formhost.Events{Key: r.key, Open: func() bool { return r.state() == huh.StateNormal },
		Completed: none, Aborted: none})
}

// selectFiltering reports that the focused picker is filtering: esc ends the filter then.
func (r *formRunner) selectFiltering() bool { return r.host.SelectFiltering() }

func (r *formRunner) view() string { return r.host.Form.View() }

// keys are huh's keys that work now, each once.
func (r *formRunner) keys() []key.Binding {
	var out []key.Binding
	seen := map[string]bool{}
	for _, b := range r.host.Form.KeyBinds() {
		h := b.Help()
		if !b.Enabled() || h.Key == "" || seen[h.Key+h.Desc] {
			continue
		}
		seen[h.Key+h.Desc] = true
		out = append(out, b)
	}
	return out
}
