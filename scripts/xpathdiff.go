//go:build ignore

// xpathdiff reads the coverage profiles scripts/xpath.sh wrote (loadN.cov, xN.cov in one
// folder) and prints the files, and their packages, whose blocks every x run covered and no
// load run did.
package main

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

const module = "github.com/byova/byova/"

// covered is the set of blocks a profile counts at least once.
func covered(file string) map[string]bool {
	f, err := os.Open(file)
	if err != nil {
		fail(err)
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text()) // "file:a.b,c.d statements count"
		if len(fields) != 3 || fields[2] == "0" {
			continue
		}
		out[fields[0]] = true
	}
	if err := sc.Err(); err != nil {
		fail(err)
	}
	return out
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "xpathdiff:", err)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 2 {
		fail(fmt.Errorf("usage: go run scripts/xpathdiff.go DIR"))
	}
	loads, _ := filepath.Glob(filepath.Join(os.Args[1], "load*.cov"))
	xs, _ := filepath.Glob(filepath.Join(os.Args[1], "x*.cov"))
	if len(loads) == 0 || len(xs) == 0 {
		fail(fmt.Errorf("no profiles in %s", os.Args[1]))
	}
	inLoad := map[string]bool{}
	for _, p := range loads {
		for b := range covered(p) {
			inLoad[b] = true
		}
	}
	var inAllX map[string]bool
	for _, p := range xs {
		c := covered(p)
		if inAllX == nil {
			inAllX = c
			continue
		}
		for b := range inAllX {
			if !c[b] {
				delete(inAllX, b)
			}
		}
	}
	files := map[string]int{}
	for b := range inAllX {
		if inLoad[b] {
			continue
		}
		file := strings.TrimPrefix(b[:strings.LastIndex(b, ":")], module)
		if strings.HasPrefix(file, "api/webexfake/") || strings.HasPrefix(file, "ui/uitest/") {
			continue
		}
		files[file]++
	}
	names := make([]string, 0, len(files))
	pkgs := map[string]bool{}
	for f := range files {
		names = append(names, f)
		pkgs[path.Dir(f)] = true
	}
	sort.Strings(names)
	for _, f := range names {
		fmt.Printf("%4d blocks  %s\n", files[f], f)
	}
	fmt.Printf("%d files in %d packages\n", len(names), len(pkgs))
}
