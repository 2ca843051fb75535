package listview

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/ui/common"
)

// StartFilter focuses the filter input, holding the query in use so typing refines it.
func (m *Model) StartFilter(query string) tea.Cmd {
	m.Filtering = true
	m.Input.SetValue(query)
	m.Input.CursorEnd()
	return m.Input.Focus()
}

// ClearFilter empties the input (the screen clears its rows' query itself).
func (m *Model) ClearFilter() { m.Input.SetValue("") }

// FilterKey handles a key while the filter has focus: typing filters as you go (apply gets
// the new query), enter keeps the filter, esc clears it, and the arrows and page keys still
// move through the n rows that match.
// Of the movement keys only those that type no text (arrows, ctrl+…) move here.
func (m *Model) FilterKey(k *common.KeyMap, msg tea.KeyPressMsg, n int, apply func(query string)) tea.Cmd {
	switch {
	case key.Matches(msg, k.Dismiss):
		m.Filtering = false
		m.Input.Blur()
		m.Input.SetValue("")
		apply("")
		return nil
	case key.Matches(msg, k.Accept):
		m.Filtering = false
		m.Input.Blur()
		return nil
	case key.Matches(msg, common.Untyped(k.Up)):
		m.Move(-1, n)
		return nil
	case key.Matches(msg, common.Untyped(k.Down)):
		m.Move(1, n)
		return nil
	case key.Matches(msg, common.Untyped(k.PageUp)):
		m.Move(-m.height, n)
		return nil
	case key.Matches(msg, common.Untyped(k.PageDown)):
		m.Move(m.height, n)
		return nil
	}
	var cmd tea.Cmd
	m.Input, cmd = m.Input.Update(msg)
	apply(m.Input.Value())
	return cmd
}

// UpdateInput passes a message that is not a key to the filter input: its own blink, or a
// paste (tea.PasteMsg), which filters as typing does (apply gets the new query).
func (m *Model) UpdateInput(msg tea.Msg, apply func(query string)) tea.Cmd {
	before := m.Input.Value()
	var cmd tea.Cmd
	m.Input, cmd = m.Input.Update(msg)
	if v := m.Input.Value(); v != before {
		apply(v)
	}
	return cmd
}

// FilterKeyMap is the keys the footer offers while the filter has focus.
func FilterKeyMap(k *common.KeyMap) []key.Binding {
	return []key.Binding{common.As(k.Accept, "keep filter"), common.As(k.Dismiss, "clear filter")}
}
