package cli_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/cli"
	"github.com/byova/byova/config/xdgtest"
)

func TestDoctorSeesClockSkew(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", time.Now().Add(-10*time.Minute).UTC().Format(http.TimeFormat))
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer srv.Close()
	xdgtest.Isolate(t)
	env := map[string]string{"WEBEX_BASE_URL": srv.URL + "/v1"}
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), []string{"doctor"}, strings.NewReader(""), &out, &errOut, func(k string) string { return env[k] })
	if code != 1 || !strings.Contains(out.String(), "✗ clock: this machine's clock is 10m") || !strings.Contains(out.String(), "timedatectl") {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errOut.String())
	}
}
