package main

import (
	"os"
	"strings"
	"testing"
)

// The README's inline screen sample is the 80x24 list capture that `make captures` writes, so
// it cannot go stale unseen (issue 19, item 22): run `make captures` after changing the screen.
func TestREADMESampleIsTheCapture(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	capture, err := os.ReadFile("docs/captures/list-80x24.txt")
	if err != nil {
		t.Fatal(err)
	}
	const begin = "<!-- make captures writes the sample below from docs/captures/list-80x24.txt; a test checks it -->\n```\n"
	const end = "```\n<!-- end of the sample -->"
	_, rest, ok := strings.Cut(string(readme), begin)
	if !ok {
		t.Fatal("README.md lacks the sample's opening marker")
	}
	sample, _, ok := strings.Cut(rest, end)
	if !ok {
		t.Fatal("README.md lacks the sample's closing marker")
	}
	if sample != string(capture) {
		t.Fatalf("the README's sample differs from docs/captures/list-80x24.txt: run `make captures`\nREADME:\n%s\ncapture:\n%s", sample, capture)
	}
}
