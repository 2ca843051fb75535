package cli_test

import (
	"net"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdHoldPort listens on ADDR until the script ends, so a command can meet a busy port.
func cmdHoldPort(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: holdport ADDR")
	}
	l, err := net.Listen("tcp", args[0])
	if err != nil {
		ts.Fatalf("holdport %s: %v", args[0], err)
	}
	ts.Defer(func() { l.Close() })
}
