package auth

import (
	"strings"
	"testing"
)

func TestHardWrapKeepsEveryCharacter(t *testing.T) {
	u := "http://127.0.0.1:9/v1/authorize?client_id=" + strings.Repeat("x", 100) + "&state=s"
	lines := hardWrap(u, 30)
	if strings.Join(lines, "") != u {
		t.Fatal("characters lost")
	}
	for _, l := range lines {
		if len(l) > 30 {
			t.Fatalf("line %q is longer than 30", l)
		}
	}
}
