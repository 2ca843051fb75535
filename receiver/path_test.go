package receiver_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/byova/byova/config"
	"github.com/byova/byova/receiver"
)

// One default path for `webhooks listen` and `serve` (/webex), and a delivery to another path
// is logged with a hint naming both (issue 19, item 20).
func TestDefaultPathAndTheHintOnAnother(t *testing.T) {
	var out bytes.Buffer
	h := &receiver.Handler{Out: &out}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}")))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("POST / answered %d, want 404: the default is %s", rec.Code, config.DefaultWebhooksPath)
	}
	log := out.String()
	for _, want := range []string{`"status":404`, "no receiver at /", "deliveries go to /webex", "targetUrl"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log line lacks %q: %s", want, log)
		}
	}
	out.Reset()
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, config.DefaultWebhooksPath, nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Fatalf("GET %s answered %d: the default path is the receiver's", config.DefaultWebhooksPath, rec.Code)
	}
}
