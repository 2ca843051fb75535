package common

import (
	"errors"
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
)

func TestDeleted(t *testing.T) {
	refused := errors.New("refused")
	cases := []struct {
		name    string
		stale   bool
		err     error
		want    string
		removed bool
	}{
		{"done", false, nil, "notice deleted webhook w", true},
		{"already gone", false, fmt.Errorf("x: %w", api.ErrNotFound), "notice webhook w was already gone", true},
		{"refused", false, refused, "failed refused", false},
		{"stale done", true, nil, "notice deleted webhook w for the previous org", false},
		{"stale refused", true, refused, "error deleting webhook w (previous org): refused", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			removed := false
			cmd := Deleted(c.stale, c.err, Deletion{What: "webhook w", Previous: "previous org", In: "for",
				Remove: func() { removed = true },
				Failed: func(err error) tea.Cmd { return func() tea.Msg { return "failed " + err.Error() } }})
			var got string
			switch m := cmd().(type) {
			case NoticeMsg:
				got = "notice " + m.Text
			case ErrorMsg:
				got = "error " + m.Op + ": " + m.Err.Error()
			case string:
				got = m
			}
			if got != c.want || removed != c.removed {
				t.Errorf("%q removed=%v, want %q removed=%v", got, removed, c.want, c.removed)
			}
		})
	}
}
