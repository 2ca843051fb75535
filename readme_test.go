package main

import (
	"os"
	"os/exec"
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

// `make run` says, before the first build starts, that it downloads and compiles the
// dependencies, and the README says how long that takes (issue 19, item 25).
func TestMakeRunSaysItBuildsFirst(t *testing.T) {
	// Under `make test` the parent's MAKEFLAGS and MAKELEVEL make the child print "Entering
	// directory" first: run it as a person would, from a shell with no make around it.
	cmd := exec.Command("make", "--no-print-directory", "-n", "run")
	cmd.Env = withoutMake(os.Environ())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("make -n run: %v", err)
	}
	first, _, _ := strings.Cut(string(out), "\n")
	if !strings.HasPrefix(first, "echo ") || !strings.Contains(first, "the first build downloads and compiles the dependencies") {
		t.Fatalf("make run's first step is not the note about the first build: %q", first)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "The first build downloads and compiles the dependencies: about 2 minutes") {
		t.Fatal("the README does not say how long the first build takes")
	}
}

// withoutMake is env less the variables a parent make passes to its children.
func withoutMake(env []string) []string {
	var out []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES":
			continue
		}
		out = append(out, kv)
	}
	return out
}
