package auth_test

import (
	"strings"
	"testing"

	"github.com/byova/byova/signin"
)

// At 60 columns the wrapped IDs and sentences take more lines than the detail has: the scopes
// still show (the "obtained" line goes first), and a cut list says that more follows.
func TestNarrowDetailKeepsTheScopes(t *testing.T) {
	redirect, _ := freeRedirect(t)
	d := newDriver(t, goldenSession(t, redirect, false), signin.Env{NewState: func() string { return goldenState }}, 60, 20)
	d.press("4", "j", "j")
	d.checkFits()
	v := d.plain()
	if !strings.Contains(v, "  scopes   spark-admin:datasource_read") {
		t.Fatalf("the detail lost its scopes at 60x20:\n%s", v)
	}
	for _, l := range strings.Split(v, "\n") {
		if strings.HasPrefix(l, "  scopes ") && !strings.Contains(v, "spark-admin:datasource_write") && !strings.HasSuffix(l, " …") {
			t.Errorf("a shortened scope list does not say so: %q\n%s", l, v)
		}
	}
}
