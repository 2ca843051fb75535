package serve

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byova/byova/config"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/uitest"
)

// writesAtAll counts every request to the fake that could change something, token requests
// included: a viewer's console sends none.
func writesAtAll(r *rig) []string {
	var out []string
	for _, q := range r.fake.Requests() {
		if q.Method != http.MethodGet && q.Method != http.MethodHead {
			out = append(out, q.Method+" "+q.Path)
		}
	}
	return out
}

// A viewer over SSH tries every way to store, remove or pin something: on the auth screen n
// (the sign-in wizard, also rebound to +), d (log out), r and enter (refresh), clicks on a
// row; :profile to another profile and the same there; :org. tokens.json and config.toml keep
// their bytes and the fake sees no write.
func TestViewerWritesNothing(t *testing.T) {
	var cfgPath string
	r := newRig(t, func(o *Options) {
		dir := t.TempDir()
		cfgPath = filepath.Join(dir, "config.toml")
		cr := o.Session.Settings
		if err := os.WriteFile(cfgPath, fmt.Appendf(nil, "# the operators' own notes\n[profiles.default]\nbase_url = %q\norg = %q\n\n[profiles.other]\nbase_url = %q\norg = %q\n",
			cr.BaseURL, cr.Org, cr.BaseURL, cr.Org), 0o600); err != nil {
			t.Fatal(err)
		}
		o.Session.ConfigPath = cfgPath
		k := common.DefaultKeyMap()
		if err := k.Rebind([]common.Rebinding{{Action: "new", Keys: []string{"+"}}}); err != nil {
			t.Fatal(err)
		}
		o.Keys = k
	})
	cr := r.fake.Creds()
	read := func(p string) []byte {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tokens, cfg := read(r.sess.Store.Path()), read(cfgPath)

	con := r.open(t, r.viewer, 100, 30)
	uitest.WaitText(t, con.screen, "bob · viewer", "READ-ONLY")
	con.press(t, "4")
	uitest.WaitText(t, con.screen, "Auth & orgs", "profile default · 2 credentials")
	// Each step waits for its own notice, so the next key's notice is not overtaken by it.
	try := func(keys string, want ...string) {
		t.Helper()
		con.press(t, keys)
		uitest.WaitText(t, con.screen, want...)
	}
	try("+", "viewer: read-only for bob: signing in is for operators")
	try("d", "viewer: read-only for bob: logging out is off")
	try("r", "viewer: read-only for bob: refreshing tokens is off")
	// Clicks on the rows (twice: a click on the selected row refreshes it) change nothing
	// either; what they reach is checked by the bytes at the end.
	for y := 3; y <= 8; y++ {
		con.press(t, strings.Repeat(fmt.Sprintf("\x1b[<0;10;%dM\x1b[<0;10;%dm", y, y), 2))
	}
	try(":profile other\r", "signing in is for operators; ask one to sign this profile in")
	uitest.WaitText(t, con.screen, "bob · viewer", "READ-ONLY", "profile other")
	try("+", "viewer: read-only for bob: signing in is for operators")
	try(":profile default\r", "profile default · 1 credential", "profile default for this session") // rows loaded: d has one to act on
	try("d", "viewer: read-only for bob: logging out is off")
	try(":org "+cr.OtherOrgID+"\r", "switched to org "+cr.OtherOrgID[:8]) // its notice is up: the next one replaces it
	try("+", "viewer: read-only for bob: signing in is for operators")
	// A reload proves the program has handled every key above.
	con.press(t, ":org "+cr.OrgID+"\r")
	n := uitest.Requests(r.fake, http.MethodGet, "/v1/dataSources")
	con.press(t, "1")
	con.press(t, "r")
	uitest.WaitFor(t, "a reload", con.screen, func(string) bool {
		return uitest.Requests(r.fake, http.MethodGet, "/v1/dataSources") > n
	})
	for _, w := range writesAtAll(r) {
		if w != "POST /v1/access_token" { // the refresh grant, checked below: nothing stored
			t.Errorf("a viewer's console sent %s", w)
		}
	}
	if got := read(r.sess.Store.Path()); !bytes.Equal(got, tokens) {
		t.Errorf("tokens.json changed:\n%s\nwas\n%s", got, tokens)
	}
	if got := read(cfgPath); !bytes.Equal(got, cfg) {
		t.Errorf("config.toml changed:\n%s\nwas\n%s", got, cfg)
	}
	if audit, _ := os.ReadFile(r.sess.AuditPath); strings.Contains(string(audit), `"result":"ok"`) {
		t.Errorf("the audit log has a write:\n%s", audit)
	}
}

// The other org has no stored token: a viewer's console may get one with the sandbox refresh
// token to read it (the refresh grant), but stores nothing; only GETs and that grant go out.
func TestViewerOrgSwitchStoresNothing(t *testing.T) {
	r := newRig(t, nil)
	cr := r.fake.Creds()
	tokens, err := os.ReadFile(r.sess.Store.Path())
	if err != nil {
		t.Fatal(err)
	}
	con := r.open(t, r.viewer, 80, 24)
	uitest.WaitText(t, con.screen, "bob · viewer", "Data sources 8")
	n := uitest.Requests(r.fake, http.MethodGet, "/v1/dataSources")
	con.press(t, ":org "+cr.OtherOrgID+"\r")
	uitest.WaitFor(t, "the other org's list", con.screen, func(s string) bool {
		return strings.Contains(s, cr.OtherOrgID[:8]) && strings.Contains(s, "Data sources 8") &&
			uitest.Requests(r.fake, http.MethodGet, "/v1/dataSources") > n
	})
	if now, _ := os.ReadFile(r.sess.Store.Path()); !bytes.Equal(now, tokens) {
		t.Errorf("tokens.json changed:\n%s", now)
	}
	for _, w := range writesAtAll(r) {
		if w != "POST /v1/access_token" {
			t.Errorf("a viewer's console sent %s", w)
		}
	}
	_ = config.RoleViewer
}
