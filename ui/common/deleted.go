package common

import (
	"errors"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
)

// Deletion is one list screen's answer to a delete, in its words.
type Deletion struct {
	What     string              // "data source <id>", "webhook <name>"
	Previous string              // the stale answer's place, "the previous org"
	In       string              // how a stale success names it: "in", "for"
	Remove   func()              // takes the row off the list
	Failed   func(error) tea.Cmd // the banner for a refused delete
}

// Deleted is what a list screen does with the answer to a delete, the same for every list:
// an answer for another org or profile (stale) is only news; not found means it was already
// gone, so the row goes; a refusal is d.Failed's banner; a success takes the row off.
func Deleted(stale bool, err error, d Deletion) tea.Cmd {
	if stale {
		if err != nil {
			return Error("deleting "+d.What+" ("+d.Previous+")", err)
		}
		return Notice("deleted " + d.What + " " + d.In + " the " + d.Previous)
	}
	if err != nil {
		if errors.Is(err, api.ErrNotFound) {
			d.Remove()
			return Notice(d.What + " was already gone")
		}
		return d.Failed(err)
	}
	d.Remove()
	return Notice("deleted " + d.What)
}
