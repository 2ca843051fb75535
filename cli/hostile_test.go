package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/byova/byova/cli"
	"github.com/byova/byova/config/xdgtest"
	"github.com/byova/byova/safetext/hostile"
)

// TestHostileWebexNeverReachesTheTerminalRaw runs every command that prints Webex text against
// a Webex whose every string (and every error) carries escape sequences, controls and bidi
// overrides: nothing of it reaches stdout or stderr raw, with or without --json.
func TestHostileWebexNeverReachesTheTerminalRaw(t *testing.T) {
	srv := hostile.NewServer()
	defer srv.Close()
	xdgtest.Isolate(t)
	env := map[string]string{"WEBEX_BASE_URL": srv.URL + "/v1", "WEBEX_ORG_ID": "63b02f90-9cc6-43b8-aa6d-cad425ac554c",
		"WEBEX_SA_CLIENT_ID": "hostile-client", "WEBEX_SA_CLIENT_SECRET": "hostile-secret", "WEBEX_SA_REFRESH_TOKEN": "hostile-refresh",
		"WEBEX_ACCESS_TOKEN": "hostile-caller"} // the caller reads webhooks
	run := func(t *testing.T, noColor bool, args ...string) (int, string, string) {
		t.Helper()
		get := func(k string) string {
			if k == "NO_COLOR" && noColor {
				return "1"
			}
			return env[k]
		}
		var out, errb bytes.Buffer
		code := cli.Run(context.Background(), args, strings.NewReader(""), &out, &errb, get)
		return code, out.String(), errb.String()
	}
	commands := [][]string{
		{"datasources", "list"}, {"datasources", "list", "--json"},
		{"datasources", "get", hostile.DataSourceID}, {"datasources", "get", hostile.DataSourceID, "--json"},
		{"datasources", "get", hostile.CRDataSource},
		{"schemas", "list"}, {"schemas", "list", "--json"},
		{"schemas", "get", hostile.SchemaID}, {"schemas", "get", hostile.SchemaID, "--json"},
		{"webhooks", "list"}, {"webhooks", "list", "--json"}, {"webhooks", "get", hostile.WebhookID},
		{"webhooks", "get", hostile.WebhookID, "--json"},
		{"datasources", "extend", hostile.DataSourceID}, {"datasources", "extend", "--all", "--json"},
		{"datasources", "extend", "--all", "--dry-run"},
		{"datasources", "update", hostile.DataSourceID, "--audience", "new"},
		{"webhooks", "update", hostile.WebhookID, "--name", "new"},
		{"datasources", "delete", hostile.DataSourceID, "--yes"},
		{"webhooks", "delete", hostile.WebhookID, "--yes"},
		{"doctor"}, {"doctor", "--json"}, {"auth", "status"}, {"orgs", "list"},
	}
	faults := []struct {
		name  string
		fault hostile.Fault
	}{{"data", hostile.NoFault}, {"json_error", hostile.JSONError}, {"html_error", hostile.HTMLError}}
	for _, f := range faults {
		for _, noColor := range []bool{false, true} {
			for _, args := range commands {
				name := f.name + "/" + strings.Join(args, "_")
				if noColor {
					name += "/NO_COLOR"
				}
				t.Run(name, func(t *testing.T) {
					srv.Fail(f.fault)
					code, out, errOut := run(t, noColor, args...)
					for stream, text := range map[string]string{"stdout": out, "stderr": errOut} {
						if bad := hostile.Problems(text, false); len(bad) > 0 {
							t.Errorf("exit %d: %s holds %d raw controls, first: %s\n%s", code, stream, len(bad), bad[0], text)
						}
					}
					if out+errOut == "" {
						t.Errorf("exit %d and nothing printed", code)
					}
					if f.fault == hostile.NoFault && len(args) > 1 && (args[1] == "list" || args[1] == "get") && code != 0 {
						t.Errorf("exit %d: the hostile data was not shown\n%s", code, errOut)
					}
				})
			}
		}
	}
	srv.Fail(hostile.NoFault)

	t.Run("the escaped text is shown", func(t *testing.T) {
		_, out, _ := run(t, false, "datasources", "get", hostile.DataSourceID)
		for _, want := range []string{`aud\x1b]52;c;cHduZWQ=\a`, `\u009b2J`, `\u202egnp`, `\x1b[31mred\r\b`, `\x1b` + "\n"} {
			if !strings.Contains(out, want) {
				t.Errorf("get lacks %q:\n%s", want, out)
			}
		}
		_, out, _ = run(t, false, "datasources", "get", hostile.CRDataSource)
		if !strings.Contains(out, `https://real.example/a\rhttps://fake.example/b`) {
			t.Errorf("the CR url is not shown whole on one line:\n%s", out)
		}
	})
	t.Run("errors keep the trackingId, visible", func(t *testing.T) {
		srv.Fail(hostile.JSONError)
		defer srv.Fail(hostile.NoFault)
		code, _, errOut := run(t, false, "datasources", "list")
		if code != cli.ExitError || !strings.Contains(errOut, `trackingId ROUTER_\x1b]52`) || strings.Count(strings.TrimSpace(errOut), "\n") > 1 {
			t.Errorf("exit %d, stderr:\n%s", code, errOut)
		}
	})
	t.Run("--json keeps the data", func(t *testing.T) {
		_, out, _ := run(t, false, "datasources", "get", hostile.DataSourceID, "--json")
		var got map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		want := hostile.DataSource(hostile.DataSourceID)
		for _, k := range []string{"audience", "subject", "url", "errorMessage"} {
			if got[k] != want[k] {
				t.Errorf("%s = %q, want %q", k, got[k], want[k])
			}
		}
		if !strings.Contains(out, `\u009b`) || !strings.Contains(out, `\u202e`) || !strings.Contains(out, `\u001b`) {
			t.Errorf("--json does not escape C0, C1 and bidi controls:\n%s", out)
		}
	})
}
