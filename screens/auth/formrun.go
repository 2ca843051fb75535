package auth

import (
	"time"

	"charm.land/bubbles/v2/key"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// formRunner drives an embedded huh form. huh moves to the next field with a command, so keys
// typed right after enter or tab would land in the field being left; they wait in a queue
// until the move has happened, and fast typing and pasting end up where the person meant.
type formRunner struct {
	form     *huh.Form
	pages    []page // what the form shows, for the headings
	settling bool
	from     huh.Field
	seq      int
	queue    []tea.KeyPressMsg
}

// settleMsg ends a wait for a field move that never came (it should not happen).
type settleMsg struct {
	runner *formRunner
	seq    int
}

// settleTimeout bounds the wait for huh's move.
const settleTimeout = 250 * time.Millisecond

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
	r := &formRunner{form: f, pages: pages}
	r.setSize(w, h)
	return r, f.Init()
}

// formTheme is the part of the styles the form needs.
type formTheme interface{ Form() huh.Theme }

func (r *formRunner) setSize(w, h int) {
	w = max(min(w, formWidth), 20) // a zero-width text input cannot draw its placeholder
	r.form.WithWidth(w)
	r.form.Update(tea.WindowSizeMsg{Width: w, Height: max(h, 4)})
}

// page is the page on screen: huh shows one group at a time.
func (r *formRunner) page() page {
	f := r.form.GetFocusedField()
	for _, p := range r.pages {
		for _, fld := range p.fields {
			if fld == f {
				return p
			}
		}
	}
	return r.pages[0]
}

func (r *formRunner) state() huh.FormState { return r.form.State }

func (r *formRunner) step(msg tea.Msg) tea.Cmd {
	m, cmd := r.form.Update(msg)
	if f, ok := m.(*huh.Form); ok {
		r.form = f
	}
	return cmd
}

// key gives a key to huh, or queues it while a move is under way.
func (r *formRunner) key(msg tea.KeyPressMsg) tea.Cmd {
	if r.settling {
		r.queue = append(r.queue, msg)
		return nil
	}
	cmd := r.step(msg)
	if r.state() != huh.StateNormal {
		return cmd
	}
	switch msg.String() {
	case "enter", "tab", "shift+tab":
		// A field that refused its value keeps the focus: nothing to wait for.
		if from := r.form.GetFocusedField(); cmd != nil && from.Error() == nil {
			r.settling, r.from = true, from
			r.seq++
			seq := r.seq
			cmd = tea.Batch(cmd, tea.Tick(settleTimeout, func(time.Time) tea.Msg { return settleMsg{r, seq} }))
		}
	}
	return cmd
}

// update passes any other message (huh's own) and replays queued keys once a move is done.
func (r *formRunner) update(msg tea.Msg) tea.Cmd {
	if s, ok := msg.(settleMsg); ok {
		if s.runner != r || s.seq != r.seq || !r.settling {
			return nil
		}
		return r.release()
	}
	cmd := r.step(msg)
	if r.settling && r.form.GetFocusedField() != r.from {
		return tea.Batch(cmd, r.release())
	}
	return cmd
}

func (r *formRunner) release() tea.Cmd {
	r.settling = false
	var cmds []tea.Cmd
	for len(r.queue) > 0 && !r.settling && r.state() == huh.StateNormal {
		k := r.queue[0]
		r.queue = r.queue[1:]
		cmds = append(cmds, r.key(k))
	}
	if r.state() != huh.StateNormal {
		r.queue = nil // keys typed ahead never submit anything on their own
	}
	return tea.Batch(cmds...)
}

// selectFiltering reports that the focused picker is filtering: esc ends the filter then.
func (r *formRunner) selectFiltering() bool {
	sel, ok := r.form.GetFocusedField().(*huh.Select[string])
	return ok && sel.GetFiltering()
}

func (r *formRunner) view() string { return r.form.View() }

// keys are huh's keys that work now, each once.
func (r *formRunner) keys() []key.Binding {
	var out []key.Binding
	seen := map[string]bool{}
	for _, b := range r.form.KeyBinds() {
		h := b.Help()
		if !b.Enabled() || h.Key == "" || seen[h.Key+h.Desc] {
			continue
		}
		seen[h.Key+h.Desc] = true
		out = append(out, b)
	}
	return out
}
