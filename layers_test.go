package main

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/byova/byova/"

// floors are byova's packages from the top (the binary) down to the leaves. A package may
// import one on its own floor or below, never above: the front ends (cli, serve, tui) sit over
// the screens, the screens over the widgets, the widgets over ui/common and its styles, and all
// of them over the domain (fleet, keeper, gateway, …), which sits over session, api and config.
// A new package must be given a floor here, which is the point: say where it goes.
var floors = [][]string{
	{""}, // main
	{"cli"},
	{"serve"},
	{"tui"},           // the root model: screen routing, header, footer, help
	{"screens/"},      // one package per screen; never each other
	{"ui/listscreen"}, // the list screens' skeleton, over the widgets it drives
	{"ui/listview", "ui/detailview", "ui/dialog", "ui/formhost", "ui/signintext", "ui/uitest"},
	{"ui/common"},              // the screen contract and the shared context
	{"ui/styles", "ui/format"}, // no byova imports
	{"keeper", "receiver", "signin", "schemacache", "metrics", "gateway/gatewayfake"},
	{"fleet", "gateway"},     // domain rules, written once for every front end
	{"session", "etcdstore"}, // which token a call uses; the etcd token store
	{"api/webexfake"},        // the fake Webex: tests, --demo, fake serve
	{"api", "config", "config/xdgtest", "gateway/vapb", "safetext/hostile", "seal", "etcdstore/etcdtest"},
	{"safetext", "hugeheap"}, // no byova imports
}

func floorOf(pkg string) (int, bool) {
	best, at := -1, 0
	for i, f := range floors {
		for _, p := range f {
			match := pkg == p || (strings.HasSuffix(p, "/") && strings.HasPrefix(pkg, p))
			if match && len(p) >= best {
				best, at = len(p), i
			}
		}
	}
	return at, best >= 0
}

// TestImportsRunDown walks every package's non-test imports: none runs up a floor.
func TestImportsRunDown(t *testing.T) {
	seen := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "bin") {
			return filepath.SkipDir
		}
		p, err := build.ImportDir(path, 0)
		if err != nil || len(p.GoFiles) == 0 {
			return nil // no buildable Go files here, or tests only (e2e)
		}
		pkg := filepath.ToSlash(path)
		if pkg == "." {
			pkg = ""
		}
		if p.Name == "main" && pkg != "" {
			return nil // a helper program (scripts/)
		}
		from, ok := floorOf(pkg)
		if !ok {
			t.Errorf("package %q has no floor: add it to floors in layers_test.go", pkg)
			return nil
		}
		seen++
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			dep := strings.TrimPrefix(imp, module)
			to, ok := floorOf(dep)
			if !ok {
				continue // reported when its own folder is walked
			}
			if to < from {
				t.Errorf("%s imports %s, which sits above it: move the shared part down", pkg, dep)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 20 {
		t.Fatalf("walked only %d packages: the walk is broken", seen)
	}
}
