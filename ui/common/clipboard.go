package common

import tea "charm.land/bubbletea/v2"

// Copy sends value to the terminal's clipboard with OSC 52 and says so. byova cannot know
// whether the terminal took it (many ignore OSC 52), so the notice says it was sent and
// shows the value first, where it can be selected by hand. Never for secrets: see CopySecret.
func Copy(value, what string) tea.Cmd {
	return tea.Batch(tea.SetClipboard(value), NoticeOr(value+" · "+what+" sent to the clipboard (OSC 52; if it did not arrive, select it here)",
		value+" · "+what+" copied (OSC 52; else select it here)",
		value+" · copied",
		value))
}

// CopySecret is Copy for a secret: the notice shows only its mask.
func CopySecret(value, masked, what string) tea.Cmd {
	return tea.Batch(tea.SetClipboard(value), Notice(what+" ("+masked+") sent to the clipboard (OSC 52)"))
}
