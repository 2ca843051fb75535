package cli_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/cli"
	"github.com/byova/byova/config"
	"github.com/byova/byova/config/xdgtest"
)

// isolate points the XDG folders at a temp dir and returns the environment for cli.Run.
func isolate(t *testing.T, env map[string]string) func(string) string {
	t.Helper()
	xdgtest.Isolate(t)
	return func(k string) string { return env[k] }
}

// TestBothTokensRevoked: the org's Service App token and the stored Integration token (the
// caller that would fetch a new one) are both refused. Every command says which sign-in
// expired and how to renew it, with exit 3, at once: before, the nested refresh waited 10 s for
// the store lock its own process held, then blamed "another byova".
func TestBothTokensRevoked(t *testing.T) {
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	cr := fake.Creds()
	getenv := isolate(t, map[string]string{"WEBEX_BASE_URL": fake.URL(), "NO_COLOR": "1"})
	err := config.NewStore(config.TokenFile()).Update(func(tk *config.Tokens) error {
		ps := tk.Profile("default")
		ps.Integration = &config.Token{Kind: config.KindIntegration, ClientID: cr.IntegrationClientID,
			AccessToken: "revoked-integration", RefreshToken: "revoked-integration-refresh", Expiry: time.Now().Add(time.Hour)}
		ps.ClientSecrets[cr.IntegrationClientID] = cr.IntegrationClientSecret
		ps.Orgs[cr.OrgID] = &config.Token{Kind: config.KindServiceApp, Org: cr.OrgID, ClientID: cr.ServiceAppClientID,
			AccessToken: "revoked-sa", RefreshToken: "revoked-sa-refresh", Expiry: time.Now().Add(time.Hour)}
		ps.ClientSecrets[cr.ServiceAppClientID] = cr.ServiceAppClientSecret
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	orgFix := "sign-in expired for org " + cr.OrgID + ": run `byova auth login --method integration`"

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"ds", "list"}, orgFix},
		{[]string{"ds", "extend", "--all"}, orgFix},
		{[]string{"webhooks", "list"}, "sign-in expired for the Integration token: run `byova auth login --method integration`"},
	} {
		var out, errOut bytes.Buffer
		start := time.Now()
		code := cli.Run(context.Background(), tc.args, strings.NewReader(""), &out, &errOut, getenv)
		took := time.Since(start)
		if code != cli.ExitSignIn || strings.TrimSpace(errOut.String()) != "byova: "+tc.want {
			t.Errorf("%v: exit %d, want 3\nstderr %q\nwant   %q", tc.args, code, errOut.String(), "byova: "+tc.want)
		}
		if took > 2*time.Second {
			t.Errorf("%v took %s, want under 2 s", tc.args, took)
		}
	}

	var out, errOut bytes.Buffer
	start := time.Now()
	code := cli.Run(context.Background(), []string{"doctor"}, strings.NewReader(""), &out, &errOut, getenv)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("doctor took %s", took)
	}
	if code != cli.ExitSignIn {
		t.Errorf("doctor: exit %d, want 3\n%s%s", code, out.String(), errOut.String())
	}
	for _, want := range []string{
		"✗ org " + cr.OrgID + ": " + orgFix + "\n    fix: run `byova auth login --method integration`",
		"✗ caller token: sign-in expired for the Integration token",
		"✓ Webex reachable",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("doctor lacks %q:\n%s", want, out.String())
		}
	}
}

// TestNullOrgEntryIsAnErrorNotAPanic: a tokens.json with null where an org's token belongs
// made `auth status` and `orgs list` panic. Now they name the entry and the fix.
func TestNullOrgEntryIsAnErrorNotAPanic(t *testing.T) {
	getenv := isolate(t, map[string]string{"WEBEX_BASE_URL": "http://127.0.0.1:9/v1"})
	path := config.TokenFile()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	doc := `{"version":1,"profiles":{"default":{"orgs":{"63b02f90-9cc6-43b8-aa6d-cad425ac554c":null}}}}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"auth", "status"}, {"orgs", "list"}, {"auth", "status", "--json"}, {"doctor"}} {
		var out, errOut bytes.Buffer
		code := cli.Run(context.Background(), args, strings.NewReader(""), &out, &errOut, getenv)
		all := out.String() + errOut.String()
		if code != cli.ExitError || !strings.Contains(all, `profiles."default".orgs."63b02f90-9cc6-43b8-aa6d-cad425ac554c" is null`) ||
			!strings.Contains(all, "remove that entry") {
			t.Errorf("%v: exit %d\n%s", args, code, all)
		}
	}
}

// TestInterruptExits: a signal during a command that waits on Webex cancels it, and byova
// exits 128+signal at once, saying why: ^C (SIGINT) 130, SIGTERM 143, and SIGHUP 129 (a
// dropped SSH session or a closed terminal; it used to kill byova before any clean-up).
func TestInterruptExits(t *testing.T) {
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
		says string
	}{
		{syscall.SIGINT, cli.ExitInterrupted, "byova: interrupted"},
		{syscall.SIGTERM, 143, "byova: terminated"},
		{syscall.SIGHUP, 129, "byova: the terminal hung up"},
	} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			code, stderr := interruptDSList(t, false, tc.sig)
			if code != tc.code || !strings.Contains(stderr, tc.says) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tc.code, tc.says)
			}
		})
	}
	// Under nohup SIGHUP stays ignored: the ^C after it is what stops byova.
	t.Run("nohup", func(t *testing.T) {
		code, stderr := interruptDSList(t, true, syscall.SIGHUP, syscall.SIGINT)
		if code != cli.ExitInterrupted || strings.Contains(stderr, "hung up") {
			t.Errorf("exit %d, stderr %q; want SIGHUP ignored and exit 130", code, stderr)
		}
	})
}

// interruptDSList starts `byova ds list` (with SIGHUP ignored, as nohup does, if nohup)
// against a Webex that never answers, sends sigs in order once the request has arrived, and
// returns the exit code and stderr.
func interruptDSList(t *testing.T, nohup bool, sigs ...syscall.Signal) (int, string) {
	t.Helper()
	bin, err := exec.LookPath("byova") // testscript.Main put the test binary in PATH as byova
	if err != nil {
		t.Fatal(err)
	}
	asked, release := make(chan struct{}, 1), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // read it all, so the server notices the client leave
		select {
		case asked <- struct{}{}:
		default:
		}
		select { // Webex never answers
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	dir := t.TempDir()
	cmd := exec.Command(bin, "ds", "list")
	if nohup {
		cmd = exec.Command("sh", "-c", `trap "" HUP; exec "$0" ds list`, bin)
	}
	cmd.Env = append(os.Environ(), "WEBEX_BASE_URL="+srv.URL+"/v1", "WEBEX_ACCESS_TOKEN=x",
		"WEBEX_SA_CLIENT_ID=id", "WEBEX_SA_CLIENT_SECRET=secret", "WEBEX_SA_REFRESH_TOKEN=r",
		"WEBEX_ORG_ID=63b02f90-9cc6-43b8-aa6d-cad425ac554c",
		"XDG_CONFIG_HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_STATE_HOME="+dir, "XDG_CACHE_HOME="+dir)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-asked:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("byova never called Webex")
	}
	for _, sig := range sigs {
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("byova did not stop within 5 s of %v", sigs)
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), errOut.String()
}
