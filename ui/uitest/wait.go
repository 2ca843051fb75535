package uitest

import (
	"strings"
	"testing"
	"time"
)

// WaitFor polls screen until cond holds (10 s at most) and returns that screen; otherwise it
// fails t with the last screen it saw. Every journey helper waits through it.
func WaitFor(t testing.TB, what string, screen func() string, cond func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		last = screen()
		if cond(last) {
			return last
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("waiting for %s; the screen is:\n%s", what, last)
	return ""
}

// WaitText waits until the screen shows every string of want.
func WaitText(t testing.TB, screen func() string, want ...string) string {
	t.Helper()
	return WaitFor(t, strings.Join(want, ", "), screen, func(s string) bool {
		for _, w := range want {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	})
}
