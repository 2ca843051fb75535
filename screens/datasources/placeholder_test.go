package datasources

import (
	"strings"
	"testing"

	fixture "github.com/byova/byova/tui/uitest"
)

// Issue 11, bug 8: the lifetime's placeholder shows whole ("minutes, 1 to 1440"), not "minut".
func TestLifetimePlaceholderIsWhole(t *testing.T) {
	s := newScreen(t, 80, 24)
	loaded(s, fixture.DataSources())
	press(s, "n")
	fill(s, "https://gw.example.com/x", "Aud", "Sub")
	for range 4 {
		press(s, "backspace")
	}
	if v := view(s); !strings.Contains(v, "minutes, 1 to 1440") {
		t.Fatalf("the lifetime placeholder is cut:\n%s", v)
	}
}
