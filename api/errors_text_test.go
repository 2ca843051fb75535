package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/byova/byova/api"
)

// Webex often puts every errors[].description into message as well: each is said once.
func TestErrorTextIsNotRepeated(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"message":"Unknown resource: bogus. Unknown event: whatever.","errors":[{"description":"Unknown resource: bogus."},{"description":"Unknown event: whatever."}]}`,
			": Unknown resource: bogus. Unknown event: whatever. (trackingId"},
		{`{"message":"Bad request.","errors":[{"description":"Bad request."},{"description":"url is required"},{"description":"url is required"}]}`,
			": Bad request.; url is required (trackingId"},
		{`{"errors":[{"description":"name is required"},{"description":"name is required"}]}`,
			": name is required (trackingId"},
		{`{"message":"x","errors":[{"description":""},{"description":"  "}]}`,
			": x (trackingId"},
	} {
		base := newRawServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Trackingid", "T1")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, tc.body)
		})
		c, _ := api.New(api.Options{BaseURL: base + "/v1"})
		_, err := c.GetWebhook(ctx(t), "w1")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("body %s:\n got %v\nwant …%s…", tc.body, err, tc.want)
		}
	}
}
