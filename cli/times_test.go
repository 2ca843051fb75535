package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/cli"
	"github.com/byova/byova/config/xdgtest"
)

// runFake runs byova in-process against a started fake, with its own XDG folders.
func runFake(t *testing.T, s *webexfake.Server, extra map[string]string, args ...string) (string, string, int) {
	t.Helper()
	cr := s.Creds()
	env := map[string]string{
		"WEBEX_BASE_URL": s.URL(), "WEBEX_ACCESS_TOKEN": cr.PersonalAccessToken,
		"WEBEX_SA_CLIENT_ID": cr.ServiceAppClientID, "WEBEX_SA_CLIENT_SECRET": cr.ServiceAppClientSecret,
		"WEBEX_SA_REFRESH_TOKEN": cr.ServiceAppRefreshToken, "WEBEX_ORG_ID": cr.OrgID, "NO_COLOR": "1",
	}
	for k, v := range extra {
		env[k] = v
	}
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), args, strings.NewReader(""), &out, &errOut, func(k string) string { return env[k] })
	return out.String(), errOut.String(), code
}

// tokenExpiryTime is written the same way by `get --json` (Webex sends it) and `list --json`
// (list items lack it; it comes from the token), and human output names its time zone.
func TestTokenExpiryTimeOneSpelling(t *testing.T) {
	xdgtest.Isolate(t)
	s := webexfake.New(webexfake.Options{Seed: 1})
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	out, errOut, code := runFake(t, s, nil, "ds", "list", "--json")
	if code != 0 {
		t.Fatalf("list: %d %s", code, errOut)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) == 0 {
		t.Fatalf("list --json: %v %s", err, out)
	}
	for _, item := range list[:3] {
		id := item["id"].(string)
		out, errOut, code := runFake(t, s, nil, "ds", "get", id, "--json")
		if code != 0 {
			t.Fatalf("get: %d %s", code, errOut)
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if got["tokenExpiryTime"] != item["tokenExpiryTime"] || !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`).MatchString(item["tokenExpiryTime"].(string)) {
			t.Errorf("%s: get --json says %v, list --json says %v", id, got["tokenExpiryTime"], item["tokenExpiryTime"])
		}
	}

	id := list[0]["id"].(string)
	out, _, _ = runFake(t, s, nil, "ds", "get", id)
	if !regexp.MustCompile(`token expires +\d{4}-\d\d-\d\d \d\d:\d\d UTC`).MatchString(out) {
		t.Errorf("human output without its zone:\n%s", out)
	}
	out, _, _ = runFake(t, s, nil, "ds", "get", id, "--local")
	if !regexp.MustCompile(`token expires +\d{4}-\d\d-\d\d \d\d:\d\d [A-Z+\-0-9]+ `).MatchString(out) {
		t.Errorf("--local output without its zone:\n%s", out)
	}
}
