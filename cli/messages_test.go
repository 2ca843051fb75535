package cli_test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config/xdgtest"
	"github.com/byova/byova/safetext"
)

// byova's own sentences keep their line breaks on stderr; only Webex's words are made one
// safe line (issue 19, item 6).
func TestOwnMessagesKeepTheirLines(t *testing.T) {
	xdgtest.Isolate(t)
	code, _, errOut := runCLI(func(string) string { return "" }, "auth", "login")
	if code != 2 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Contains(errOut, safetext.Newline) || !strings.Contains(errOut, "\n  Run it in a terminal") {
		t.Fatalf("byova's own multi-line message is printed on several lines:\n%s", errOut)
	}
}

func TestWebexWordsStayOneSafeLine(t *testing.T) {
	s := webexfake.New(webexfake.Options{Seed: 1})
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	target, _ := url.Parse(s.URL())
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1/dataSources") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"message":"bad\nbyova: forged line\u001b]52;c;aGk=\u0007","trackingId":"T_MULTI"}`))
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
	code, _, errOut := runCLI(func(k string) string { return env[k] }, "ds", "list")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Contains(errOut, "\nbyova: forged") || strings.ContainsAny(errOut, "\x1b\x07") {
		t.Fatalf("Webex's message broke out of its line:\n%q", errOut)
	}
	if !strings.Contains(errOut, "bad"+safetext.Newline+"byova: forged line") || !strings.Contains(errOut, "T_MULTI") {
		t.Fatalf("Webex's message is shown, one line:\n%q", errOut)
	}
}
