// Command byova manages Webex BYODS data sources, Service App tokens and webhooks, in a
// terminal UI or as scriptable commands.
package main

import (
	"os"

	"github.com/byova/byova/cli"
)

// version is set at build time (-ldflags "-X main.version=…").
var version = "dev"

// stopProfile ends the profile a build with -tags pprof starts (main_pprof.go); a no-op in
// the release build.
var stopProfile = func() {}

func main() {
	cli.Version = version
	code := cli.Main()
	stopProfile()
	os.Exit(code)
}
