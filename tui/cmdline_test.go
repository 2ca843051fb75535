package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/config"
	"github.com/byova/byova/ui/common"
	fixture "github.com/byova/byova/ui/uitest"
)

// typeIn sends text key by key.
func typeIn(m *Model, text string) {
	for _, k := range fixture.Type(text) {
		m.Update(k)
	}
}

func TestCommandLineSwitchesScreens(t *testing.T) {
	m := bare(t, 100, 30)
	for _, c := range []struct {
		line string
		want int
	}{{"schemas", ScreenSchemas}, {"wh", ScreenWebhooks}, {"auth", ScreenAuth}, {"ds", ScreenDataSources}, {"webhooks", ScreenWebhooks}, {"activity", ScreenActivity}, {"datasources", ScreenDataSources}} {
		hit(m, ":")
		if m.cmdline == nil || !strings.Contains(plain(m), ":") {
			t.Fatal(": opens the command line in the footer")
		}
		typeIn(m, c.line)
		hit(m, "enter")
		if m.active != c.want || m.cmdline != nil {
			t.Fatalf(":%s: screen %d (line open %v), want %d", c.line, m.active, m.cmdline != nil, c.want)
		}
	}
	hit(m, ":")
	typeIn(m, "q")
	if !isQuit(hit(m, "enter")) {
		t.Error(":q quits")
	}
}

func TestCommandLineCompletes(t *testing.T) {
	m := bare(t, 100, 30)
	hit(m, ":")
	typeIn(m, "sc")
	hit(m, "tab")
	if v := m.cmdline.input.Value(); v != "schemas" {
		t.Errorf("tab after sc: %q, want schemas", v)
	}
	m.cmdline.set("")
	typeIn(m, "e")
	hit(m, "tab")
	hit(m, "tab")
	if v := m.cmdline.input.Value(); v != "extend --within " {
		t.Errorf("tab tab after e: %q, want the --within option", v)
	}
	m.cmdline.set("")
	typeIn(m, "w")
	hit(m, "tab")
	if v := m.cmdline.input.Value(); v != "w" || !strings.Contains(plain(m), "wh webhooks") {
		t.Errorf("an ambiguous word lists the candidates: %q\n%s", v, plain(m))
	}
	hit(m, "esc")
	if m.cmdline != nil {
		t.Error("esc closes the command line")
	}
}

func TestCommandLineSaysWhatIsWrong(t *testing.T) {
	m := bare(t, 100, 30)
	for line, want := range map[string]string{
		"nope":                 "unknown command :nope",
		"org":                  "usage: :org NAME",
		"org not-an-org":       "give an alias, the org's name, its UUID",
		"extend --within soon": "want a positive duration",
		"extend 2h":            "usage: :extend --within DURATION",
		"ds now":               ":ds takes no arguments",
	} {
		hit(m, ":")
		typeIn(m, line)
		msgs := fixture.Run(hit(m, "enter"))
		n, ok := fixture.Find[common.NoticeMsg](msgs)
		if !ok || !strings.Contains(n.Text, want) {
			t.Errorf(":%s says %q, want %q", line, n.Text, want)
		}
	}
}

func TestColonInTheFilterIsText(t *testing.T) {
	srv := fixture.NewServer()
	defer srv.Close()
	d := newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), NoColor: true}, 100, 30)
	d.press("/", ":")
	if d.m.cmdline != nil {
		t.Fatal(": typed into the filter is text, not the command line")
	}
}

func TestCommandLineExtendWithin(t *testing.T) {
	srv := fixture.NewServer()
	defer srv.Close()
	d := newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), NoColor: true}, 100, 30)
	d.press("2", ":")
	d.typeText("extend --within 2h")
	d.press("enter")
	if d.m.active != ScreenDataSources {
		t.Fatalf(":extend goes to the data sources: screen %d", d.m.active)
	}
	d.mustShow("Extend 2 tokens (expiring within 2h00m)?")
}

func TestCommandLineVerify(t *testing.T) {
	fixture.Isolate(t)
	fake, sess := fixture.FakeSession(t, webexfake.Options{Seed: 1})
	d := newDriver(t, Options{Session: sess, NoColor: true}, 100, 30)
	d.press("j", "space", "space")
	fake.ResetRequests()
	d.press(":")
	d.typeText("verify")
	d.press("enter")
	if n := fixture.Requests(fake, "GET", "/v1/dataSources"); n != 0 {
		t.Errorf("verify reads each data source, not the list: %d lists", n)
	}
	gets := 0
	for _, r := range fake.Requests() {
		if r.Method == "GET" && strings.HasPrefix(r.Path, "/v1/dataSources/") {
			gets++
		}
	}
	if gets != 2 {
		t.Errorf("%d GETs of a data source, want the 2 marked", gets)
	}
	p := d.plain()
	if strings.Count(p, "\n✓ ")+strings.Count(p, "\n✗ ") != 2 {
		t.Fatalf("a verdict per marked row:\n%s", p)
	}
}

func TestHelpEnterRunsTheKey(t *testing.T) {
	m := bare(t, 100, 30)
	hit(m, "?")
	hit(m, "/")
	typeIn(m, "webhooks")
	hit(m, "enter")
	if m.helpView != nil || m.active != ScreenWebhooks {
		t.Fatalf("enter on the help's \"3 webhooks\" closes it and goes there: screen %d", m.active)
	}
	hit(m, "?")
	hit(m, "/")
	typeIn(m, "schemas")
	hit(m, "down") // one entry only: down stays on it
	hit(m, "enter")
	if m.active != ScreenSchemas {
		t.Fatalf("enter ran %d", m.active)
	}
}

func TestCommandLineOrgAndProfile(t *testing.T) {
	fixture.Isolate(t)
	srv := fixture.NewServer()
	defer srv.Close()
	d := newDriver(t, Options{Session: fixture.ServerSession(t, srv.URL+"/v1", false), NoColor: true}, 100, 30)
	gen := d.m.c.Gen
	const other = "11111111-2222-4333-8444-555555555555"
	d.press(":")
	d.typeText("org " + other)
	d.press("enter")
	if d.m.c.Gen == gen || d.m.c.Session.Settings.Org != other {
		t.Fatalf(":org switches the session's org: gen %d→%d, org %q", gen, d.m.c.Gen, d.m.c.Session.Settings.Org)
	}
	d.press(":")
	d.typeText("profile nope")
	d.press("enter")
	d.mustShow(`no profile "nope"`)
	if d.m.c.Session.Settings.Profile != "default" {
		t.Error("a profile that is not in config.toml is not opened")
	}
}

func TestCommandLineCompletesNames(t *testing.T) {
	fixture.Isolate(t)
	srv := fixture.NewServer()
	defer srv.Close()
	const remembered = "99999999-2222-4333-8444-555555555555"
	sess := fixture.ServerSession(t, srv.URL+"/v1", false)
	f := &config.File{Profiles: map[string]*config.Profile{"default": {Orgs: []string{remembered}}, "oncall": {}}}
	if err := f.Save(sess.ConfigPath); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Options{Session: sess, NoColor: true}, 100, 30)
	d.press(":")
	d.typeText("profile on")
	d.press("tab")
	if v := d.m.cmdline.input.Value(); v != "profile oncall" {
		t.Errorf("tab after :profile on: %q", v)
	}
	d.m.cmdline.set("org ")
	d.press("tab")
	if p := d.plain(); !strings.Contains(p, fixture.Org) || !strings.Contains(p, remembered) {
		t.Errorf(":org tab lists the stored and the remembered org:\n%s", p)
	}
	d.typeText("9")
	d.press("tab")
	if v := d.m.cmdline.input.Value(); v != "org "+remembered {
		t.Errorf("one match completes: %q", v)
	}
}

// :org <TAB> offers the aliases and the orgs' names, and :org runs with either; :extend
// completes to its flag in one tab (issue 19, item 19).
func TestCommandLineOffersAliasesAndNames(t *testing.T) {
	fixture.Isolate(t)
	srv := fixture.NewServer()
	defer srv.Close()
	const other = "99999999-2222-4333-8444-555555555555"
	sess := fixture.ServerSession(t, srv.URL+"/v1", false)
	sess.OrgNamesPath = filepath.Join(t.TempDir(), "org-names.json")
	names := `{"` + sess.Settings.BaseURL + ` ` + other + `":{"name":"Wayne Utilities","fetched":"` + time.Now().UTC().Format(time.RFC3339) + `"}}`
	if err := os.WriteFile(sess.OrgNamesPath, []byte(names), 0o600); err != nil {
		t.Fatal(err)
	}
	f := &config.File{Profiles: map[string]*config.Profile{"default": {Aliases: map[string]string{"acme": fixture.Org}, Orgs: []string{other}}}}
	if err := f.Save(sess.ConfigPath); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, Options{Session: sess, NoColor: true}, 100, 30)
	d.press(":")
	d.typeText("org ")
	d.press("tab")
	if p := d.plain(); !strings.Contains(p, "acme") || !strings.Contains(p, "Wayne Utilities") || strings.Contains(p, other) {
		t.Errorf(":org tab offers the alias and the name (not the UUID they stand for):\n%s", p)
	}
	d.typeText("W")
	d.press("tab")
	if v := d.m.cmdline.input.Value(); v != "org Wayne Utilities" {
		t.Fatalf("a name completes: %q", v)
	}
	if d.m.cmdline.names.orgOf["Wayne Utilities"] != other || d.m.cmdline.names.orgOf["acme"] != fixture.Org {
		t.Fatalf("names resolve to their orgs: %v", d.m.cmdline.names.orgOf)
	}
	d.press("esc")

	d.press(":")
	d.typeText("ext")
	d.press("tab")
	if v := d.m.cmdline.input.Value(); v != "extend --within " {
		t.Errorf(":ext tab completes to the flag, waiting for the value: %q", v)
	}
}

// TestHelpFitsANarrowTerminal: at 60 columns the help shows the columns that fit, says more
// are there, and follows the selection to them; no line is wider than the terminal.
func TestHelpFitsANarrowTerminal(t *testing.T) {
	m := bare(t, 60, 20)
	hit(m, "?")
	check := func() string {
		t.Helper()
		v := ansi.Strip(m.View().Content)
		for _, l := range strings.Split(v, "\n") {
			if w := ansi.StringWidth(l); w > 60 {
				t.Fatalf("a help line is %d wide at 60 columns: %q", w, l)
			}
		}
		return v
	}
	if v := check(); !strings.Contains(v, "more column") || strings.Contains(v, "previous screen") {
		t.Fatalf("the first columns and a note that more are there:\n%s", v)
	}
	for range 40 {
		hit(m, "down")
	}
	if v := check(); !strings.Contains(v, "previous screen") {
		t.Fatalf("moving down reaches the global keys:\n%s", v)
	}
}

// The table is the one place a command lives: each entry says what it does, so a command
// added to the hints cannot be one that enter ignores.
func TestEveryCommandHasItsAction(t *testing.T) {
	for _, c := range commands {
		if c.run == nil {
			t.Errorf(":%s is offered but does nothing", c.name)
		}
		if c.nargs > 0 && c.args == "" {
			t.Errorf(":%s takes %d words but its hint names none", c.name, c.nargs)
		}
	}
}

// The : line's hint is shown whole at every width down to 60 columns: a shorter form, never a
// cut one (issue 19, item 15).
func TestCommandLineHintIsNeverCut(t *testing.T) {
	for _, w := range []int{60, 80, 120} {
		m := bare(t, w, 24)
		hit(m, ":")
		hint := m.cmdline.input.Placeholder
		if hint == "" || !strings.Contains(hint, "tab") {
			t.Fatalf("at %d columns the : line has no hint (%q)", w, hint)
		}
		lines := strings.Split(plain(m), "\n")
		last := lines[len(lines)-1]
		if !strings.Contains(last, hint) {
			t.Errorf("at %d columns the footer shows %q, not the whole hint %q", w, last, hint)
		}
		if ansi.StringWidth(last) > w {
			t.Errorf("at %d columns the footer is %d wide", w, ansi.StringWidth(last))
		}
	}
}
