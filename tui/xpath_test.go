//go:build xpath

package tui

import (
	"os"
	"testing"

	"github.com/byova/byova/api/webexfake"
)

// TestXPath is the journey scripts/xpath.sh measures (make xpath): the data sources load, and
// with BYOVA_XPATH=x the first row's token is extended (x, then y). The files whose code runs
// only in the second are the ones a reader follows from the key to Webex and back.
func TestXPath(t *testing.T) {
	_, s := fakeWebex(t, webexfake.Options{Seed: 1})
	j := startJourney(t, s, 100, 30)
	j.waitText("Data sources 8", "✗ expired")
	j.idle()
	if os.Getenv("BYOVA_XPATH") == "x" {
		j.press("x")
		j.waitText("Extend the token of")
		j.press("y")
		j.waitText("extended the token of")
		j.idle()
	}
	j.quit()
}
