package cli_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/cli"
	"github.com/byova/byova/config/xdgtest"
)

// hostileProxy forwards to a fake Webex (sign-in works) but answers the data source paths
// with body, as a broken Webex or something between might.
func hostileProxy(t *testing.T, body string) (getenv func(string) string) {
	t.Helper()
	s := webexfake.New(webexfake.Options{Seed: 1})
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	target, _ := url.Parse(s.URL())
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1/dataSources") && !strings.HasPrefix(r.URL.Path, "/v1/dataSources/schemas") {
			w.Header().Set("Trackingid", "TRK_HOSTILE")
			w.Write([]byte(body))
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	xdgtest.Isolate(t)
	cr := s.Creds()
	env := map[string]string{"WEBEX_BASE_URL": srv.URL + target.Path, "WEBEX_SA_CLIENT_ID": cr.ServiceAppClientID,
		"WEBEX_SA_CLIENT_SECRET": cr.ServiceAppClientSecret, "WEBEX_SA_REFRESH_TOKEN": cr.ServiceAppRefreshToken,
		"WEBEX_ORG_ID": cr.OrgID, "NO_COLOR": "1"}
	return func(k string) string { return env[k] }
}

func runCLI(getenv func(string) string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = cli.Run(context.Background(), args, strings.NewReader(""), &out, &errb, getenv)
	return code, out.String(), errb.String()
}

// An empty or null answer where a list or an object is due is exit 1 with a message, never
// an empty success: a cron `extend --all` must not "succeed" having seen nothing.
func TestNullAnswersAreErrors(t *testing.T) {
	for _, body := range []string{"", "null", "{}", `{"items":null}`, `{"items":[null]}`} {
		getenv := hostileProxy(t, body)
		for _, args := range [][]string{
			{"datasources", "list"}, {"datasources", "list", "--json"}, {"datasources", "get", "0d5e0000-0000-4000-8000-000000000001"},
			{"datasources", "get", "0d5e0000-0000-4000-8000-000000000001", "--json"}, {"datasources", "extend", "--all"},
		} {
			if body == `{"items":[null]}` && args[1] == "get" {
				continue // an object with items is an id-less object: covered by "{}"
			}
			code, stdout, stderr := runCLI(getenv, args...)
			if code != 1 || !strings.Contains(stderr, "TRK_HOSTILE") || strings.Contains(stderr, "No data sources yet") {
				t.Errorf("%q answering %v: exit %d, stdout %q, stderr %q; want exit 1 naming the trackingId", body, args, code, stdout, stderr)
			}
		}
	}
}

func TestEmptyItemsIsAnEmptyOrg(t *testing.T) {
	getenv := hostileProxy(t, `{"items":[]}`)
	if code, _, stderr := runCLI(getenv, "datasources", "list"); code != 0 || !strings.Contains(stderr, "No data sources yet") {
		t.Errorf("empty org: exit %d, stderr %q", code, stderr)
	}
	if code, stdout, _ := runCLI(getenv, "datasources", "list", "--json"); code != 0 || stdout != "[]\n" {
		t.Errorf("empty org --json: exit %d, stdout %q", code, stdout)
	}
}

// A list that breaks half-way leaves the JSON unterminated, so jq fails rather than reading
// a short list as the whole org.
func TestBrokenListLeavesInvalidJSON(t *testing.T) {
	getenv := hostileProxy(t, `{"items":[{"id":"a"},{"id":"b"},null]}`)
	code, stdout, stderr := runCLI(getenv, "datasources", "list", "--json")
	if code != 1 || !strings.Contains(stderr, "item 3") || !strings.HasPrefix(stdout, `[{"id":"a"`) || strings.HasSuffix(strings.TrimSpace(stdout), "]") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
