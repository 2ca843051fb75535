package fleet_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/fleet"
	"github.com/byova/byova/session"
)

func TestLifetime(t *testing.T) {
	cases := []struct {
		name      string
		ds        *api.DataSource
		override  int
		want      int
		defaulted bool
	}{
		{"Webex's own", &api.DataSource{TokenLifetimeMinutes: 180}, 0, 180, false},
		{"the override wins", &api.DataSource{TokenLifetimeMinutes: 180}, 30, 30, false},
		{"unknown: 1440, said", &api.DataSource{}, 0, 1440, true},
		{"out of range: 1440, said", &api.DataSource{TokenLifetimeMinutes: 5000}, 0, 1440, true},
		{"no source at all", nil, 0, 1440, true},
	}
	for _, c := range cases {
		if got := fleet.Lifetime(c.ds, c.override); got.Minutes != c.want || got.Defaulted != c.defaulted {
			t.Errorf("%s: %+v, want %d defaulted=%v", c.name, got, c.want, c.defaulted)
		}
	}
}

func TestDescribe(t *testing.T) {
	cases := []struct {
		name                  string
		err                   error
		headline, hint, track string
		retryable             bool
	}{
		{"network", &api.NetError{Op: "GET", Host: "webexapis.com", Err: errors.New("connection refused")},
			"Webex is unreachable: connection refused", "check the network or the base URL, then press r", "", true},
		{"timeout", fmt.Errorf("listing: %w", context.DeadlineExceeded), "Webex did not answer in time", "press r", "", true},
		{"rate limited", &api.Error{Status: 429, Message: "slow down", TrackingID: "T1"},
			"slow down", "Webex is rate limiting: wait a little and try again", "T1", true},
		{"bad request", &api.Error{Status: 400, Message: "url invalid", Details: []string{"url invalid", "must be https"}},
			"url invalid; must be https", "", "", false},
		{"not signed in", &api.SignInError{Reason: "no token"}, "", "sign in with `byova auth login`", "", false},
		{"plain", errors.New("boom"), "boom", "", "", false},
		{"not tried after a 429", &fleet.ThrottledError{Org: "o", Cause: &api.Error{Status: 429, TrackingID: "T2"}},
			"not tried: Webex throttled the org earlier in this run", "wait a little, then press r", "", true},
	}
	for _, c := range cases {
		d := fleet.Describe(c.err)
		if (c.headline != "" && d.Headline != c.headline) || d.HintWith("press r") != c.hint || d.TrackingID != c.track || d.Retryable != c.retryable {
			t.Errorf("%s: %+v (hint %q), want %q / %q / %q / %v", c.name, d, d.HintWith("press r"), c.headline, c.hint, c.track, c.retryable)
		}
	}
	if d := fleet.Describe(nil); d != (fleet.Description{}) {
		t.Errorf("nil: %+v", d)
	}
}

// orgClient is a client of the fake's primary org.
func orgClient(t *testing.T, fake *webexfake.Server) *api.Client {
	t.Helper()
	cr := fake.Creds()
	dir := t.TempDir()
	st := config.Settings{Profile: "default", BaseURL: fake.URL(), Org: cr.OrgID, Source: map[string]string{},
		ServiceAppClientID: cr.ServiceAppClientID, ServiceAppClientSecret: cr.ServiceAppClientSecret, ServiceAppRefreshToken: cr.ServiceAppRefreshToken}
	sess, err := session.New(st, config.NewStore(filepath.Join(dir, "tokens.json")), nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := sess.OrgClient(cr.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// After a 429 an org gets no further extend in the run; each result is reported once, as it
// lands, and each write is audited once with fleet's op name.
func TestRunBacksAnOrgOffAndReportsEachResult(t *testing.T) {
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	c := orgClient(t, fake)
	items, err := c.ListDataSources(context.Background())
	if err != nil || len(items) < 5 {
		t.Fatalf("list: %d %v", len(items), err)
	}
	fake.ResetRequests()
	fake.InjectFault(webexfake.Fault{Method: http.MethodPut, Path: "/v1/dataSources/" + items[0].ID, Status: 429, RetryAfter: "0", Times: 10})
	var jobs []fleet.Job
	for _, d := range items[:5] {
		jobs = append(jobs, fleet.Job{Org: "o", Client: c, ID: d.ID})
	}
	jobs = append(jobs, fleet.Job{Org: "gone", ID: "x", Err: errors.New("org gone: its token cannot be had")})
	var (
		mu      sync.Mutex
		audited []string
		landed  []fleet.Result
	)
	ex := fleet.Extender{Audit: func(org, op, id, tid string, err error) error {
		mu.Lock()
		defer mu.Unlock()
		audited = append(audited, op+" "+id)
		return nil
	}}
	// Limit 1: the 429 lands before the next job of the org starts.
	out := ex.Run(context.Background(), jobs, fleet.RunOptions{Limit: 1, Each: func(r fleet.Result) { landed = append(landed, r) }})
	if len(out) != len(jobs) || len(landed) != len(jobs) {
		t.Fatalf("%d results, %d reported, want %d each", len(out), len(landed), len(jobs))
	}
	if out[0].Outcome != fleet.Failed || !fleet.Throttled(out[0].Err) {
		t.Fatalf("first: %+v, want the 429", out[0])
	}
	for _, r := range out[1:5] {
		var te *fleet.ThrottledError
		if r.Outcome != fleet.Failed || !errors.As(r.Err, &te) || !strings.Contains(r.Err.Error(), "not tried") {
			t.Errorf("%s: %+v, want not tried after the 429", r.ID, r)
		}
	}
	if out[5].Outcome != fleet.Failed || out[5].Org != "gone" {
		t.Errorf("the failed org's job: %+v", out[5])
	}
	puts := 0
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPut {
			puts++
		}
	}
	if puts != 4 { // the client's own retries of the one 429: 1 + 3
		t.Errorf("%d PUTs, want only the throttled source's (with the client's retries)", puts)
	}
	if len(audited) != 1 || audited[0] != fleet.OpDataSourceExtend+" "+items[0].ID {
		t.Errorf("audit %v, want the one write", audited)
	}

	// Unthrottled, every job is extended.
	fake.ClearFaults()
	fake.ResetRequests()
	out = ex.Run(context.Background(), jobs[1:5], fleet.RunOptions{})
	for _, r := range out {
		if r.Outcome != fleet.Extended || r.DataSource == nil || !r.After.After(time.Now()) || r.TrackingID == "" {
			t.Errorf("%s: %+v", r.ID, r)
		}
	}
}

// panicky is a transport that panics: an answer the client did not expect, as far as Run sees.
type panicky struct{}

func (panicky) RoundTrip(*http.Request) (*http.Response, error) { panic("unexpected") }

// A job that panics is one failed row; the others run (Run's goroutines are its own, so no
// front end's recover would reach them).
func TestRunTurnsAPanicIntoOneFailedRow(t *testing.T) {
	bad, err := api.New(api.Options{BaseURL: "http://127.0.0.1:1/v1", Token: api.StaticToken{Value: "t"}, HTTPClient: &http.Client{Transport: panicky{}}})
	if err != nil {
		t.Fatal(err)
	}
	var ex fleet.Extender
	got := ex.Run(context.Background(), []fleet.Job{
		{Org: "o", Client: bad, ID: "a"},
		{Org: "o", ID: "b", Err: errors.New("no token")},
	}, fleet.RunOptions{})
	if len(got) != 2 || got[0].Outcome != fleet.Failed || !errors.Is(got[0].Err, fleet.ErrUnexpected) || got[1].Outcome != fleet.Failed {
		t.Fatalf("%+v", got)
	}
}
