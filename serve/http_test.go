package serve

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/keeper"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestHealthAndReadiness(t *testing.T) {
	now := time.Now()
	r := newRig(t, func(o *Options) {
		o.Settings.KeepInterval = time.Minute
		o.Now = func() time.Time { return now }
	})
	base := "http://" + r.srv.HTTPAddr()
	if code, body := get(t, base+"/healthz"); code != 200 || strings.TrimSpace(body) != "ok" {
		t.Fatalf("/healthz %d %q", code, body)
	}
	if code, body := get(t, base+"/readyz"); code != 503 || !strings.Contains(body, "no completed run yet") {
		t.Fatalf("/readyz before a keeper run: %d %q", code, body)
	}
	if rep := r.srv.Keeper().RunOnce(context.Background()); rep.Result != keeper.RunOK {
		t.Fatalf("keeper %s %+v", rep.Result, rep.Orgs)
	}
	if code, body := get(t, base+"/readyz"); code != 200 {
		t.Fatalf("/readyz after a run: %d %q", code, body)
	}
	now = now.Add(2*time.Minute + time.Second)
	if code, body := get(t, base+"/readyz"); code != 503 || !strings.Contains(body, "more than two intervals") {
		t.Fatalf("/readyz two intervals later: %d %q", code, body)
	}
	now = now.Add(-2 * time.Minute)
	if err := os.WriteFile(r.sess.Store.Path(), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, body := get(t, base+"/readyz"); code != 503 || !strings.Contains(body, "token store") {
		t.Fatalf("/readyz with a broken store: %d %q", code, body)
	}
	if code, body := get(t, base+"/metrics"); code != 200 || !strings.Contains(body, "byova_keeper_runs_total") {
		t.Fatalf("/metrics %d", code)
	}
}

// One org deauthorized is that org's problem, shown by byova_keeper_org_up; serve stays ready
// for every other customer.
func TestReadyWithOneOrgDeauthorized(t *testing.T) {
	r := newRig(t, func(o *Options) { o.Settings.KeepInterval = time.Minute })
	cr := r.fake.Creds()
	if err := r.sess.SaveToken(config.KindServiceApp, cr.OtherOrgID, cr.ServiceAppClientID, cr.ServiceAppClientSecret,
		api.Token{RefreshToken: cr.OtherOrgServiceAppRefreshToken}); err != nil {
		t.Fatal(err)
	}
	if err := r.fake.DeauthorizeOrg(cr.OtherOrgID); err != nil {
		t.Fatal(err)
	}
	if rep := r.srv.Keeper().RunOnce(context.Background()); rep.Result != keeper.RunPartial {
		t.Fatalf("keeper %s %+v, want partial", rep.Result, rep.Orgs)
	}
	base := "http://" + r.srv.HTTPAddr()
	if code, body := get(t, base+"/readyz"); code != 200 {
		t.Fatalf("/readyz with one org deauthorized: %d %q, want 200", code, body)
	}
	_, body := get(t, base+"/metrics")
	for _, want := range []string{
		`byova_keeper_org_up{org="` + cr.OrgID + `"} 1`,
		`byova_keeper_org_up{org="` + cr.OtherOrgID + `"} 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// Its tokens removed (the receiver saw the deauthorization), the org's series go: an alert
	// must not fire for ever on an org nobody keeps.
	if err := r.sess.Store.Update(func(tk *config.Tokens) error {
		delete(tk.Profiles["default"].Orgs, cr.OtherOrgID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if rep := r.srv.Keeper().RunOnce(context.Background()); rep.Result != keeper.RunOK {
		t.Fatalf("keeper %s %+v, want ok", rep.Result, rep.Orgs)
	}
	if _, body := get(t, base+"/metrics"); strings.Contains(body, cr.OtherOrgID) {
		t.Errorf("/metrics still has series of the removed org %s", cr.OtherOrgID)
	}
}

func TestWebhookReceiverMountedWithASecret(t *testing.T) {
	r := newRig(t, func(o *Options) { o.WebhookSecret = "s3cret-value" })
	base := "http://" + r.srv.HTTPAddr()
	res, err := http.Post(base+"/webex", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("an unsigned delivery: %d, want 401 from the receiver", res.StatusCode)
	}
	big := strings.NewReader(strings.Repeat("x", maxRequestBody+10))
	res, err = http.Post(base+"/webex", "application/json", big)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("an oversized body: %d", res.StatusCode)
	}
}

func TestWebhookReceiverOffWithoutASecret(t *testing.T) {
	r := newRig(t, nil)
	res, err := http.Post("http://"+r.srv.HTTPAddr()+"/webex", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("receiver without a secret answered %d", res.StatusCode)
	}
}

func TestOneServePerDataFolder(t *testing.T) {
	r := newRig(t, nil)
	_, err := New(Options{Session: r.sess, Settings: r.srv.o.Settings, DataDir: r.dataDir, ManualKeeper: true})
	if !errors.Is(err, ErrRunning) || !strings.Contains(err.Error(), "PID "+strconv.Itoa(os.Getpid())) {
		t.Fatalf("a second serve: %v", err)
	}
	fp, created := r.srv.HostKeyFingerprint()
	if !created || !strings.HasPrefix(fp, "SHA256:") {
		t.Fatalf("host key %q created=%v", fp, created)
	}
	fi, err := os.Stat(filepath.Join(r.dataDir, HostKeyName))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key mode %v %v", fi.Mode(), err)
	}
	if err := r.srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	// After a stop the folder is free again and the host key is kept.
	again, err := New(Options{Session: r.sess, Settings: r.srv.o.Settings, DataDir: r.dataDir, ManualKeeper: true})
	if err != nil {
		t.Fatal(err)
	}
	defer again.unlock()
	if fp2, created := again.HostKeyFingerprint(); fp2 != fp || created {
		t.Fatalf("restart made a new host key: %s (was %s)", fp2, fp)
	}
}

func TestUsersAreChecked(t *testing.T) {
	k := newKey(t)
	cases := map[string][]string{
		"not an authorized_keys line": {"ssh-ed25519 nonsense"},
		"has options":                 {`from="10.0.0.1" ` + k.line},
	}
	for want, keys := range cases {
		_, err := LoadUsers(usersWith(keys))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", want, err)
		}
	}
	two := append(usersWith([]string{k.line}), usersWith([]string{k.line})...)
	two[1].Name = "mallory"
	if _, err := LoadUsers(two); err == nil || !strings.Contains(err.Error(), "both") {
		t.Errorf("a key for two users: %v", err)
	}
	file := filepath.Join(t.TempDir(), "keys")
	os.WriteFile(file, []byte("# alice's laptop\n\n"+k.line+"\n"), 0o600)
	u, err := LoadUsers([]configUser{{Name: "alice", Role: "operator", KeysFile: file}})
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := u.Lookup(k.signer.PublicKey()); !ok || got.Name != "alice" {
		t.Fatalf("keys_file user: %+v %v", got, ok)
	}
}

// A stop right after the start (before the serving goroutines have run) still returns.
func TestStopRightAfterStart(t *testing.T) {
	r := newRig(t, nil)
	if err := r.srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	for range 20 {
		srv, err := New(Options{Session: r.sess, Settings: r.srv.o.Settings, DataDir: r.dataDir, ManualKeeper: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.Start(); err != nil {
			t.Fatal(err)
		}
		if err := srv.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}
