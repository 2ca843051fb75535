package formhost

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/byova/byova/ui/common"
)

// SettleTimeout bounds the wait for huh's move to another field, should its message never come.
const SettleTimeout = 250 * time.Millisecond

// settleTimeoutMsg ends the wait for move seq of the host with id host.
type settleTimeoutMsg struct {
	host *Host
	seq  int
}

// Host holds one huh form. The screen owns what the form means (its values, what completing
// or leaving it does); the host only makes huh's asynchronous field moves safe to type through.
type Host struct {
	Form *huh.Form

	settling   bool              // huh is moving to another field: keys wait in queue
	movingFrom huh.Field         // the field focused when the move began
	settleSeq  int               // which move a settleTimeoutMsg belongs to
	queue      []tea.KeyPressMsg // keys typed during the move
}

// Reset replaces the form (a new one, or the same values rebuilt) and forgets queued keys.
func (h *Host) Reset(f *huh.Form) {
	h.Form = f
	h.Drop()
}

// Drop forgets the keys typed ahead: keys typed ahead never confirm a write, so a screen calls
// it when the form completes.
func (h *Host) Drop() { h.settling, h.queue = false, nil }

// Settling reports that huh is moving to another field and keys are being held.
func (h *Host) Settling() bool { return h.settling }

// Queued is how many keys wait for huh's move.
func (h *Host) Queued() int { return len(h.queue) }

// State is huh's: normal while the person is editing, then completed or aborted.
func (h *Host) State() huh.FormState { return h.Form.State }

// Key gives a key to huh, or holds it while huh is moving to another field. After enter or
// tab starts a move, the keys that follow wait until huh's focus has changed (see Update).
func (h *Host) Key(msg tea.KeyPressMsg) tea.Cmd {
	if h.settling {
		h.queue = append(h.queue, msg)
		return nil
	}
	cmd := h.step(msg)
	if h.Form.State != huh.StateNormal {
		return cmd
	}
	// huh's own keys for the next and previous field (its keymap, not byova's).
	switch msg.String() {
	case "enter", "tab", "shift+tab":
		// A field that refused its value stays focused: nothing to wait for.
		if from := h.Form.GetFocusedField(); cmd != nil && from.Error() == nil {
			h.settling, h.movingFrom = true, from
			h.settleSeq++
			t := settleTimeoutMsg{host: h, seq: h.settleSeq}
			cmd = tea.Batch(cmd, tea.Tick(SettleTimeout, func(time.Time) tea.Msg { return t }))
		}
	}
	return cmd
}

// Update gives huh any message but a key press. moved reports that a field move huh was
// making has happened (or timed out): the screen then calls Release, after it has looked at
// State.
func (h *Host) Update(msg tea.Msg) (cmd tea.Cmd, moved bool) {
	if t, ok := msg.(settleTimeoutMsg); ok {
		return nil, t.host == h && t.seq == h.settleSeq && h.settling
	}
	cmd = h.step(msg)
	return cmd, h.settling && h.Form.State == huh.StateNormal && h.Form.GetFocusedField() != h.movingFrom
}

// Release replays the keys typed during a move through key (the screen's own form keys,
// which end in Key), one by one while open holds, until one starts another move.
func (h *Host) Release(open func() bool, key func(tea.KeyPressMsg) tea.Cmd) tea.Cmd {
	h.settling = false
	var cmds []tea.Cmd
	for len(h.queue) > 0 && !h.settling && open() {
		k := h.queue[0]
		h.queue = h.queue[1:]
		cmds = append(cmds, key(k))
	}
	return tea.Batch(cmds...)
}

// SelectFiltering reports that the focused picker is filtering its options, or still shows a
// filter it kept (huh's first esc keeps the filter, its second clears it): esc then belongs to
// the filter, not the form.
func (h *Host) SelectFiltering() bool {
	if h.Form == nil {
		return false
	}
	sel, ok := h.Form.GetFocusedField().(*huh.Select[string])
	if !ok {
		return false
	}
	if sel.GetFiltering() {
		return true
	}
	// huh exposes a kept filter only through its enabled "clear filter" key.
	for _, b := range sel.KeyBinds() {
		if b.Enabled() && b.Help().Desc == "clear filter" {
			return true
		}
	}
	return false
}

func (h *Host) step(msg tea.Msg) tea.Cmd {
	m, cmd := h.Form.Update(msg)
	if f, ok := m.(*huh.Form); ok {
		h.Form = f
	}
	return cmd
}

// Events is what a screen does around its form: Key is the screen's own form keys (esc,
// shortcuts), which end in Send; Open reports that this form is still the one on screen (held
// keys are replayed only then); Completed and Aborted run once huh is done with the form.
type Events struct {
	Key       func(tea.KeyPressMsg) tea.Cmd
	Open      func() bool
	Completed func() tea.Cmd
	Aborted   func() tea.Cmd
}

// Send gives a key to the form (held during a move) and ends the form when huh is done.
func (h *Host) Send(msg tea.KeyPressMsg, ev Events) tea.Cmd {
	cmd := h.Key(msg)
	if done, c := h.done(ev); done {
		return tea.Batch(cmd, c)
	}
	return cmd
}

// Step gives any other message to the form: it ends the form when huh is done, and replays the
// keys typed during a move once the move has happened.
func (h *Host) Step(msg tea.Msg, ev Events) tea.Cmd {
	cmd, moved := h.Update(msg)
	if done, c := h.done(ev); done {
		return tea.Batch(cmd, c)
	}
	if moved {
		return tea.Batch(cmd, h.Release(ev.Open, ev.Key))
	}
	return cmd
}

func (h *Host) done(ev Events) (bool, tea.Cmd) {
	switch h.State() {
	case huh.StateCompleted:
		// Keys typed ahead never confirm a write: the person must see the dialog.
		h.Drop()
		return true, ev.Completed()
	case huh.StateAborted:
		return true, ev.Aborted()
	}
	return false, nil
}

// Cancels reports that msg leaves the form without sending: dismiss (esc), unless it ends a
// picker's filter.
func (h *Host) Cancels(k *common.KeyMap, msg tea.KeyPressMsg) bool {
	return key.Matches(msg, k.Dismiss) && !h.SelectFiltering()
}

// KeyMap is a form's keys for the footer and the help: dismiss to cancel, the screen's own
// (extra), then huh's for the field in focus.
func (h *Host) KeyMap(k *common.KeyMap, extra ...key.Binding) []key.Binding {
	out := append([]key.Binding{common.As(k.Dismiss, "cancel")}, extra...)
	if h.Form != nil {
		out = append(out, h.Form.KeyBinds()...)
	}
	return out
}
