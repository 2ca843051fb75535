// Command byova manages Webex BYODS data sources, Service App tokens and webhooks, in a
// terminal UI or as scriptable commands.
package main

import (
	"os"

	"github.com/byova/byova/cli"
)

// version is set at build time (-ldflags "-X main.version=…").
var version = "dev"

func main() {
	cli.Version = version
	os.Exit(cli.Main())
}
