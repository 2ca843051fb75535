package cli_test

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"

	"github.com/byova/byova/cli"
	"github.com/byova/byova/ui/uitest"
)

// A network failure gets the same hint on stderr as in the UI's banner (fleet.Describe); the
// CLI used to give none.
func TestNetworkErrorHasAHint(t *testing.T) {
	uitest.Isolate(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	env := map[string]string{"WEBEX_BASE_URL": "http://" + addr + "/v1", "WEBEX_ACCESS_TOKEN": "tok",
		"WEBEX_ORG_ID": "da940bfe-8800-4147-b0bb-4b5c443d1549"}
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), []string{"schemas", "list"}, strings.NewReader(""), &out, &errOut,
		func(k string) string { return env[k] })
	if code != cli.ExitError {
		t.Fatalf("exit %d, want %d: %s", code, cli.ExitError, errOut.String())
	}
	if !strings.Contains(errOut.String(), "\n  hint: check the network or the base URL, then run the command again") {
		t.Fatalf("stderr has no hint:\n%s", errOut.String())
	}
}
