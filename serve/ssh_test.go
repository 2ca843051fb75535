package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/ui/uitest"
)

// firstAudience is what the data sources screen shows on its first row (sorted by expiry).
func (r *rig) audiences(t *testing.T) []string {
	t.Helper()
	c, _, err := r.sess.CurrentOrgClient()
	if err != nil {
		t.Fatal(err)
	}
	items, err := c.ListDataSources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range items {
		out = append(out, d.Audience)
	}
	r.fake.ResetRequests()
	return out
}

func anyOf(s string, words []string) bool {
	for _, w := range words {
		if w != "" && strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func TestOperatorExtendsOverSSH(t *testing.T) {
	r := newRig(t, nil)
	auds := r.audiences(t)
	con := r.open(t, r.operator, 80, 24)
	uitest.WaitFor(t, "the data sources screen for alice", con.screen, func(s string) bool {
		return strings.Contains(s, "alice · operator") && anyOf(s, auds)
	})
	if strings.Contains(con.screen(), "READ-ONLY") {
		t.Fatal("an operator sees READ-ONLY")
	}
	// A window change reaches this session's program: the header is redrawn at the new width.
	if err := con.resize(100, 30); err != nil {
		t.Fatal(err)
	}
	uitest.WaitFor(t, "a redraw at 100 columns", con.screen, func(s string) bool {
		for line := range strings.SplitSeq(s, "\n") {
			if len([]rune(line)) > 80 {
				return true
			}
		}
		return false
	})

	con.press(t, "x")
	uitest.WaitText(t, con.screen, "Extend the token")
	con.press(t, "y")
	uitest.WaitFor(t, "the PUT at the fake", func() string { return strings.Repeat("x", puts(r.fake)) }, func(s string) bool { return len(s) == 1 })

	// The audit line names alice and her key.
	uitest.WaitFor(t, "the audit line", func() string { b, _ := os.ReadFile(r.sess.AuditPath); return string(b) },
		func(s string) bool { return strings.Contains(s, "datasources.extend") })
	f, err := os.Open(r.sess.AuditPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	var e config.AuditEntry
	if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
		t.Fatal(err)
	}
	if e.Actor != "alice" || e.ActorKey != gossh.FingerprintSHA256(r.operator.signer.PublicKey()) || e.Result != config.AuditOK {
		t.Fatalf("audit entry %+v: want actor alice with her key's fingerprint", e)
	}
}

func TestViewerCannotWrite(t *testing.T) {
	r := newRig(t, nil)
	auds := r.audiences(t)
	con := r.open(t, r.viewer, 80, 24)
	uitest.WaitFor(t, "the data sources screen for bob", con.screen, func(s string) bool {
		return strings.Contains(s, "bob · viewer") && strings.Contains(s, "READ-ONLY") && anyOf(s, auds)
	})
	con.press(t, "x")
	uitest.WaitText(t, con.screen, "read-only")
	con.press(t, "y")
	if strings.Contains(con.screen(), "Extend the token") {
		t.Fatal("a viewer got the extend dialog")
	}
	// Drain: the program has handled both keys once the notice is up; a reload proves it
	// still answers, and nothing but reads reached the fake.
	con.press(t, "r")
	uitest.WaitFor(t, "a reload", func() string { return "" }, func(string) bool {
		return uitest.Requests(r.fake, http.MethodGet, "/v1/dataSources") > 0
	})
	if n := puts(r.fake); n != 0 {
		t.Fatalf("a viewer's session sent %d writes", n)
	}
}

func TestUnknownKeyIsRefused(t *testing.T) {
	r := newRig(t, nil)
	_, err := r.dial(t, newKey(t))
	if err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("an unknown key: %v", err)
	}
	if !strings.Contains(r.log.String(), `"event":"ssh_auth"`) {
		t.Errorf("the refusal is not logged:\n%s", r.log)
	}
	// Password and keyboard-interactive are not even offered.
	_, err = gossh.Dial("tcp", r.srv.SSHAddr(), &gossh.ClientConfig{User: "alice",
		Auth: []gossh.AuthMethod{gossh.Password("alice"), gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
			return []string{"alice"}, nil
		})},
		HostKeyCallback: gossh.InsecureIgnoreHostKey()})
	if err == nil || !strings.Contains(err.Error(), "[none]") && !strings.Contains(err.Error(), "publickey") {
		t.Fatalf("password auth: %v", err)
	}
}

func TestExecAndShellWithoutTerminalAreRefused(t *testing.T) {
	r := newRig(t, nil)
	c, err := r.dial(t, r.operator)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start("cat /etc/passwd"); err == nil {
		t.Fatal("exec was accepted")
	}
	s.Close()

	s2, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.Shell(); err == nil {
		t.Fatal("a shell without a terminal was accepted")
	}
	s2.Close()

	s3, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s3.RequestSubsystem("sftp"); err == nil {
		t.Fatal("the sftp subsystem was accepted")
	}
	s3.Close()

	if _, err := c.Dial("tcp", r.srv.HTTPAddr()); err == nil {
		t.Fatal("port forwarding was accepted")
	}
	if n := puts(r.fake); n != 0 {
		t.Fatalf("%d writes", n)
	}
}

func TestMaxSessions(t *testing.T) {
	r := newRig(t, func(o *Options) { o.Settings.MaxSessions = 1 })
	con := r.open(t, r.operator, 80, 24)
	uitest.WaitText(t, con.screen, "alice · operator")
	c, err := r.dial(t, r.viewer)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.NewSession(); err == nil || !strings.Contains(err.Error(), "all 1 SSH connections (max_sessions) are taken") {
		t.Fatalf("the connection over max_sessions got %v", err)
	}
	_ = c.Wait() // and serve closes it
}

func TestShutdownTellsSessions(t *testing.T) {
	r := newRig(t, nil)
	con := r.open(t, r.operator, 80, 24)
	uitest.WaitText(t, con.screen, "alice · operator")
	if err := r.srv.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-con.done
	if out := con.rawOutput(); !strings.Contains(out, "server stopping") {
		t.Fatalf("no stop line; the session ended with %q", out[max(0, len(out)-200):])
	}
}

// An org switch in one console leaves every other console in its org: each session works on
// a session value of its own.
func TestOrgSwitchStaysInItsSession(t *testing.T) {
	r := newRig(t, nil)
	cr := r.fake.Creds()
	if err := r.sess.SaveToken(config.KindServiceApp, cr.OtherOrgID, cr.ServiceAppClientID, cr.ServiceAppClientSecret,
		api.Token{RefreshToken: cr.OtherOrgServiceAppRefreshToken}); err != nil {
		t.Fatal(err)
	}
	// The header and the picker name the orgs as Webex does.
	primary, other := "org "+r.fake.OrgName(cr.OrgID), "org "+r.fake.OrgName(cr.OtherOrgID)
	alice := r.open(t, r.operator, 100, 30)
	bob := r.open(t, r.viewer, 100, 30)
	uitest.WaitText(t, alice.screen, "alice · operator", primary)
	uitest.WaitText(t, bob.screen, "bob · viewer", primary)

	alice.press(t, "o")
	uitest.WaitText(t, alice.screen, r.fake.OrgName(cr.OtherOrgID))
	alice.press(t, "j")
	alice.press(t, "\r")
	uitest.WaitText(t, alice.screen, other)

	bob.press(t, "r") // a redraw after alice's switch
	uitest.WaitFor(t, "bob's reload", func() string { return "" }, func(string) bool {
		return uitest.Requests(r.fake, http.MethodGet, "/v1/dataSources") >= 2
	})
	s := uitest.WaitText(t, bob.screen, primary)
	if strings.Contains(s, other) {
		t.Fatalf("bob's console moved to alice's org:\n%s", s)
	}
	if r.sess.Settings.Org != cr.OrgID {
		t.Fatalf("the served session's org changed to %s", r.sess.Settings.Org)
	}
}

func TestIdleSessionIsClosed(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	r := newRig(t, func(o *Options) { o.Now = clock })
	r.srv.idleTick = 5 * time.Millisecond
	con := r.open(t, r.operator, 80, 24)
	uitest.WaitText(t, con.screen, "alice · operator")
	mu.Lock()
	now = now.Add(29 * time.Minute)
	mu.Unlock()
	con.press(t, "j") // a key resets the idle clock
	uitest.WaitFor(t, "the key to count", func() string { return "" }, func(string) bool {
		st := r.srv.anySeat()
		return st != nil && st.lastInput.Load() == clock().UnixNano()
	})
	mu.Lock()
	now = now.Add(30*time.Minute + time.Second)
	mu.Unlock()
	_ = con.sess.Wait()
	<-con.done
	if out := con.rawOutput(); !strings.Contains(out, "no key pressed for 30m0s; session closed") {
		t.Fatalf("the idle session ended with %q", out[max(0, len(out)-200):])
	}
}
