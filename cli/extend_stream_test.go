package cli_test

import (
	"context"
	"encoding/json"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/cli"
	"github.com/byova/byova/config/xdgtest"
	"github.com/byova/byova/ui/uitest"
)

// TestExtendPrintsEachRowAsItLands: with one extend held at Webex, the other's row is on
// stdout already, and the held one's follows once Webex answers; --json is the same, as one
// array that is whole at the end. Before, the table (and the JSON) came when the last
// extend was done.
func TestExtendPrintsEachRowAsItLands(t *testing.T) {
	for _, asJSON := range []bool{false, true} {
		fake := webexfake.New(webexfake.Options{Seed: 1})
		if err := fake.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { fake.Close() })
		gate := uitest.NewGate(t, fake)
		u, _ := url.Parse(fake.URL())
		xdgtest.Isolate(t)
		cr := fake.Creds()
		env := map[string]string{"WEBEX_BASE_URL": gate.URL + u.Path, "WEBEX_SA_CLIENT_ID": cr.ServiceAppClientID,
			"WEBEX_SA_CLIENT_SECRET": cr.ServiceAppClientSecret, "WEBEX_SA_REFRESH_TOKEN": cr.ServiceAppRefreshToken,
			"WEBEX_ORG_ID": cr.OrgID, "NO_COLOR": "1"}
		getenv := func(k string) string { return env[k] }

		code, out, errOut := runCLI(getenv, "datasources", "list", "--json")
		var listed []struct{ ID string }
		if err := json.Unmarshal([]byte(out), &listed); code != 0 || err != nil || len(listed) < 2 {
			t.Fatalf("list: exit %d, %v, %d items, stderr %q", code, err, len(listed), errOut)
		}
		first, held := listed[0].ID, listed[1].ID
		gate.Hold("PUT", u.Path+"/dataSources/"+held)

		args := []string{"datasources", "extend", first, held}
		if asJSON {
			args = append(args, "--json")
		}
		pr, pw := io.Pipe()
		exit := make(chan int, 1)
		go func() {
			code := cli.Run(context.Background(), args, strings.NewReader(""), pw, io.Discard, getenv)
			pw.Close()
			exit <- code
		}()
		seen := make(chan string, 64) // stdout so far, after each read
		go func() {
			var all []byte
			buf := make([]byte, 4096)
			for {
				n, err := pr.Read(buf)
				all = append(all, buf[:n]...)
				seen <- string(all)
				if err != nil {
					close(seen)
					return
				}
			}
		}()
		waitFor := func(what string, ok func(string) bool) string {
			t.Helper()
			deadline := time.After(uitest.Patience)
			for {
				select {
				case s, open := <-seen:
					if ok(s) {
						return s
					}
					if !open {
						t.Fatalf("json=%v: stdout ended without %s", asJSON, what)
					}
				case <-deadline:
					t.Fatalf("json=%v: no %s on stdout while the other extend is held at Webex", asJSON, what)
				}
			}
		}
		so := waitFor("row for "+first, func(s string) bool { return strings.Contains(s, first) })
		gate.Arrived()
		if strings.Contains(so, held) {
			t.Fatalf("json=%v: the held extend's row printed before Webex answered it:\n%s", asJSON, so)
		}
		gate.Release()
		final := waitFor("row for "+held, func(s string) bool { return strings.Contains(s, held) })
		for s := range seen {
			final = s
		}
		if code := <-exit; code != 0 {
			t.Fatalf("json=%v: exit %d\n%s", asJSON, code, final)
		}
		if !asJSON {
			if lines := strings.Split(strings.TrimSpace(final), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[0], "ID ") ||
				!strings.Contains(lines[1], first) || !strings.Contains(lines[2], held+" ") || !strings.Contains(lines[2], "extended") {
				t.Errorf("want the header, then %s's row, then %s's:\n%s", first, held, final)
			}
			continue
		}
		var got []struct{ ID, Result string }
		if err := json.Unmarshal([]byte(final), &got); err != nil || len(got) != 2 || got[0].ID != first || got[1].Result != "extended" {
			t.Errorf("--json is not one array of both results in the order they landed: %v %+v\n%s", err, got, final)
		}
	}
}
