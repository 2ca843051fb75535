package uitest

import "testing"

func TestWaitTextPollsUntilEverythingShows(t *testing.T) {
	n := 0
	screen := func() string {
		n++
		if n < 3 {
			return "loading"
		}
		return "3 rows · sort expiry"
	}
	if got := WaitText(t, screen, "rows", "expiry"); got != "3 rows · sort expiry" || n != 3 {
		t.Fatalf("got %q after %d polls", got, n)
	}
}
