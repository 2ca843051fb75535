package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/cli"
)

func TestMain(m *testing.M) {
	// A race-built binary sleeps atexit_sleep_ms (1 s by default) before it exits, and every
	// `exec byova` of a script, every child a test starts, is this binary: 120-odd seconds of
	// nothing under -race. The children inherit this (testscript passes GORACE on); a race
	// is still reported when it happens and still fails the child (exit 66). A GORACE that
	// sets the sleep itself wins.
	if g := os.Getenv("GORACE"); !strings.Contains(g, "atexit_sleep_ms") {
		os.Setenv("GORACE", strings.TrimSpace("atexit_sleep_ms=0 "+g))
	}
	testscript.Main(cleanupM{m}, map[string]func(){
		"byova": func() { os.Exit(cli.Main()) },
	})
}

// cleanupM removes what the benchmarks built once all have run (testscript.Main exits).
type cleanupM struct{ m *testing.M }

func (c cleanupM) Run() int {
	code := c.m.Run()
	if peakBin.dir != "" {
		os.RemoveAll(peakBin.dir)
	}
	return code
}

// TestScripts runs the CLI scripts in testdata/script. Each script gets its own fake Webex
// (command `fake`), its own XDG folders under $WORK, and these commands:
//
//	fake [seed] [control]       start the fake (with its control surface) and export the environment
//	                            `byova fake serve` prints, plus OTHER_ORG and UNAUTHORIZED_ORG
//	fakelog METHOD PATH         print the bodies of logged requests (one per line) matching method and path prefix
//	fakecount METHOD PATH N     assert N logged requests match
//	fakefault STATUS PATH [N]   inject a fault
//	dsids                       export DS_EXPIRED, DS_SOON, DS_DISABLED, DS_LATER (a data source expiring later), DS_COUNT
//	nosecrets DIR...            fail if any file under DIR holds one of the fake's secrets
//	deliver URL SECRET EVENT ORG   POST a serviceApp event signed with SECRET; prints the status
//	waitport ADDR               wait (up to 10 s) until something listens on ADDR
//	exitcode N PROG ARGS...     run PROG and assert its exit code is N (stdout/stderr kept for checks)
//	fakeorg authorize|deauthorize ORG   (de)authorize the Service App in ORG on the fake (deliveries to dead targets ignored)
//	waitready URL               wait (up to 10 s) until GET URL answers 200
//	holdport ADDR               listen on ADDR until the script ends (a busy port)
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			for _, k := range []string{"CONFIG", "DATA", "STATE", "CACHE"} {
				env.Setenv("XDG_"+k+"_HOME", filepath.Join(env.WorkDir, "xdg", strings.ToLower(k)))
			}
			env.Setenv("NO_COLOR", "1")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"fake":      cmdFake,
			"fakelog":   cmdFakeLog,
			"fakecount": cmdFakeCount,
			"fakefault": cmdFakeFault,
			"dsids":     cmdDSIDs,
			"nosecrets": cmdNoSecrets,
			"exitcode":  cmdExitCode,
			"waitport":  cmdWaitPort,
			"deliver":   cmdDeliver,
			"fakeorg":   cmdFakeOrg,
			"waitready": cmdWaitReady,
			"holdport":  cmdHoldPort,
			"fakeagent": cmdFakeAgent,
		},
	})
}

// fakes is shared by the scripts, which run in parallel.
var (
	fakesMu sync.Mutex
	fakes   = map[*testscript.TestScript]*webexfake.Server{}
)

func fakeOf(ts *testscript.TestScript) *webexfake.Server {
	fakesMu.Lock()
	s := fakes[ts]
	fakesMu.Unlock()
	if s == nil {
		ts.Fatalf("no fake running: call `fake` first")
	}
	return s
}

func cmdFake(ts *testscript.TestScript, neg bool, args []string) {
	seed := int64(1)
	if len(args) > 0 {
		seed, _ = strconv.ParseInt(args[0], 10, 64)
	}
	// PageSize 3 keeps the scripts paging every list, though Webex documents data sources unpaged.
	s := webexfake.New(webexfake.Options{Seed: seed, PageSize: 3, Control: len(args) > 1 && args[1] == "control"})
	if err := s.Start(); err != nil {
		ts.Fatalf("start fake: %v", err)
	}
	fakesMu.Lock()
	fakes[ts] = s
	fakesMu.Unlock()
	ts.Defer(func() {
		s.Close()
		fakesMu.Lock()
		delete(fakes, ts)
		fakesMu.Unlock()
	})
	cr := s.Creds()
	for k, v := range map[string]string{
		"WEBEX_BASE_URL": s.URL(), "FAKE_URL": s.URL(), "WEBEX_ACCESS_TOKEN": cr.PersonalAccessToken,
		"WEBEX_SA_CLIENT_ID": cr.ServiceAppClientID, "WEBEX_SA_CLIENT_SECRET": cr.ServiceAppClientSecret,
		"WEBEX_SA_REFRESH_TOKEN": cr.ServiceAppRefreshToken, "WEBEX_ORG_ID": cr.OrgID, "OTHER_ORG": cr.OtherOrgID,
		"UNAUTHORIZED_ORG": cr.UnauthorizedOrgID,
	} {
		ts.Setenv(k, v)
	}
}

func matching(ts *testscript.TestScript, method, prefix string) []webexfake.Request {
	var out []webexfake.Request
	for _, r := range fakeOf(ts).Requests() {
		if r.Method == method && strings.HasPrefix(r.Path, prefix) {
			out = append(out, r)
		}
	}
	return out
}

func cmdFakeLog(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: fakelog METHOD PATH")
	}
	for _, r := range matching(ts, args[0], args[1]) {
		fmt.Fprintf(ts.Stdout(), "%s %s %d %s\n", r.Method, r.Path, r.Status, r.Body)
	}
}

func cmdFakeCount(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 {
		ts.Fatalf("usage: fakecount METHOD PATH N")
	}
	want, _ := strconv.Atoi(args[2])
	if got := len(matching(ts, args[0], args[1])); (got == want) == neg {
		ts.Fatalf("%d %s %s requests, want %d", got, args[0], args[1], want)
	}
}

func cmdFakeFault(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: fakefault STATUS PATH [TIMES]")
	}
	status, _ := strconv.Atoi(args[0])
	times := 1
	if len(args) > 2 {
		times, _ = strconv.Atoi(args[2])
	}
	fakeOf(ts).InjectFault(webexfake.Fault{Status: status, Path: args[1], Times: times})
}

func cmdDSIDs(ts *testscript.TestScript, neg bool, args []string) {
	s := fakeOf(ts)
	cr := s.Creds()
	base, _ := api.New(api.Options{BaseURL: s.URL()})
	src := api.NewSource(api.Token{RefreshToken: cr.ServiceAppRefreshToken},
		api.ServiceAppRefresher(base, api.ServiceApp{ClientID: cr.ServiceAppClientID, ClientSecret: cr.ServiceAppClientSecret}, cr.OrgID, nil))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	items, err := base.WithToken(src).ListDataSources(ctx)
	if err != nil {
		ts.Fatalf("list: %v", err)
	}
	now := time.Now()
	for _, d := range items {
		switch {
		case d.Status == "disabled":
			ts.Setenv("DS_DISABLED", d.ID)
		case d.Expiry().Before(now):
			ts.Setenv("DS_EXPIRED", d.ID)
		case d.Expiry().Before(now.Add(time.Hour)):
			ts.Setenv("DS_SOON", d.ID)
		case d.Expiry().After(now.Add(3 * time.Hour)):
			ts.Setenv("DS_LATER", d.ID)
		}
	}
	ts.Setenv("DS_COUNT", strconv.Itoa(len(items)))
	s.ResetRequests()
}

func cmdNoSecrets(ts *testscript.TestScript, neg bool, args []string) {
	cr := fakeOf(ts).Creds()
	secrets := []string{cr.PersonalAccessToken, cr.ServiceAppClientSecret, cr.ServiceAppRefreshToken, cr.IntegrationClientSecret}
	for _, dir := range args {
		filepath.Walk(ts.MkAbs(dir), func(p string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return nil
			}
			b, _ := os.ReadFile(p)
			for _, sec := range secrets {
				if strings.Contains(string(b), sec) {
					ts.Fatalf("%s holds a secret (%s…)", p, sec[:6])
				}
			}
			// Tokens the fake minted for us: any long access token value in a JSON file.
			var probe map[string]any
			if json.Unmarshal(b, &probe) == nil && strings.Contains(string(b), "accessToken") {
				ts.Fatalf("%s holds an accessToken field", p)
			}
			return nil
		})
	}
}

func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: exitcode N PROG ARGS...")
	}
	want, _ := strconv.Atoi(args[0])
	err := ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		got = ee.ExitCode()
	} else if err != nil {
		ts.Fatalf("%v", err)
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

func cmdWaitPort(ts *testscript.TestScript, neg bool, args []string) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", args[0], 200*time.Millisecond); err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	ts.Fatalf("nothing listens on %s", args[0])
}

func cmdWaitReady(ts *testscript.TestScript, neg bool, args []string) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(args[0]); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	ts.Fatalf("%s never answered 200", args[0])
}

func cmdDeliver(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 4 {
		ts.Fatalf("usage: deliver URL SECRET EVENT ORG")
	}
	body := []byte(`{"resource":"serviceApp","event":"` + args[2] + `","data":{"authorizerOrgId":"` + api.EncodeID(api.KindOrganization, args[3]) + `"}}`)
	req, _ := http.NewRequest(http.MethodPost, args[0], bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Spark-Signature", api.Signature(body, args[1]))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.Fatalf("deliver: %v", err)
	}
	res.Body.Close()
	fmt.Fprintln(ts.Stdout(), res.StatusCode)
}

func cmdFakeOrg(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: fakeorg authorize|deauthorize ORG, or fakeorg rename ORG NAME")
	}
	var err error
	switch args[0] {
	case "rename":
		name, qerr := strconv.Unquote(`"` + strings.Join(args[2:], " ") + `"`) // lets a script send \x1b
		if qerr != nil {
			ts.Fatalf("fakeorg rename: %v", qerr)
		}
		if err := fakeOf(ts).SetOrgName(args[1], name); err != nil {
			ts.Fatalf("fakeorg rename: %v", err)
		}
		return
	case "authorize":
		err = fakeOf(ts).AuthorizeOrg(args[1])
	case "deauthorize":
		err = fakeOf(ts).DeauthorizeOrg(args[1])
	default:
		ts.Fatalf("fakeorg: %q is neither authorize nor deauthorize", args[0])
	}
	if err != nil {
		fmt.Fprintln(ts.Stdout(), err) // a webhook target that is not listening; the org changed
	}
}
