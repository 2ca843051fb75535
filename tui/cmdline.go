package tui

import (
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/api"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/screens/auth"
	"github.com/byova/byova/screens/datasources"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/format"
)

// command is one word of the : command line: how it is offered and what it does.
type command struct {
	name    string
	aliases []string
	args    string // what follows, for the hints ("NAME", "--within DURATION")
	help    string
	nargs   int // how many words follow it; -1: run reads them itself
	run     func(m *Model, args []string, names namesMsg) tea.Cmd
}

// commands are what : accepts, in the order tab offers them.
var commands = []command{
	{name: "ds", aliases: []string{"datasources"}, help: "data sources", run: to(ScreenDataSources)},
	{name: "schemas", help: "schemas", run: to(ScreenSchemas)},
	{name: "wh", aliases: []string{"webhooks"}, help: "webhooks", run: to(ScreenWebhooks)},
	{name: "auth", aliases: []string{"orgs"}, help: "auth & orgs", run: to(ScreenAuth)},
	{name: "activity", help: "this profile's audit log", run: func(m *Model, _ []string, _ namesMsg) tea.Cmd {
		if len(m.screens) <= ScreenActivity {
			return common.Notice(":activity is not available in this build")
		}
		return m.switchTo(ScreenActivity)
	}},
	{name: "org", args: "NAME", help: "switch org for this session", nargs: -1, run: func(m *Model, args []string, names namesMsg) tea.Cmd {
		if len(args) == 0 {
			return common.Notice("usage: :org NAME")
		}
		arg := strings.Join(args, " ") // an org's name may hold spaces
		if u, ok := names.orgOf[arg]; ok {
			arg = u
		}
		org, err := api.OrgUUID(arg)
		if err != nil {
			return common.Notice(":org " + safetext.Line(arg) + ": give an alias, the org's name, its UUID or its base64 Webex ID (tab completes)")
		}
		return m.updateScreen(ScreenAuth, auth.SwitchMsg{Org: org})
	}},
	{name: "profile", args: "NAME", help: "switch profile for this session", nargs: 1, run: func(m *Model, args []string, _ namesMsg) tea.Cmd {
		return m.updateScreen(ScreenAuth, auth.SwitchMsg{Profile: args[0]})
	}},
	{name: "extend", args: "--within DURATION", help: "extend every token expiring within it", nargs: -1, run: func(m *Model, args []string, _ namesMsg) tea.Cmd {
		within, err := parseWithin(args)
		if err != nil {
			return common.Notice(err.Error())
		}
		return tea.Batch(m.switchTo(ScreenDataSources), m.updateScreen(ScreenDataSources, datasources.ExtendWithinMsg{Within: within}))
	}},
	{name: "verify", help: "check the marked (else the selected) tokens' signatures", run: onDataSources(datasources.VerifyMsg{})},
	{name: "probe", help: "probe the marked rows' endpoints, else every active Voice Virtual Agent one", run: onDataSources(datasources.ProbeMsg{})},
	{name: "q", aliases: []string{"quit"}, help: "quit", run: func(*Model, []string, namesMsg) tea.Cmd { return tea.Quit }},
}

// to is a command that opens a screen.
func to(screen int) func(*Model, []string, namesMsg) tea.Cmd {
	return func(m *Model, _ []string, _ namesMsg) tea.Cmd { return m.switchTo(screen) }
}

// onDataSources is a command that opens the data sources screen and asks it for msg.
func onDataSources(msg tea.Msg) func(*Model, []string, namesMsg) tea.Cmd {
	return func(m *Model, _ []string, _ namesMsg) tea.Cmd {
		return tea.Batch(m.switchTo(ScreenDataSources), m.updateScreen(ScreenDataSources, msg))
	}
}

// cmdLine is the : input in the footer; tab completes the command word (and --within).
type cmdLine struct {
	input   textinput.Model
	matches []string // what tab found, shown beside the input
	names   namesMsg // what :org and :profile complete (loadNames)
}

func newCmdLine(c *common.Common) *cmdLine {
	ti := textinput.New()
	ti.Prompt = ":"
	ti.SetWidth(max(c.Width-4, 10))
	ti.Placeholder = cmdPlaceholder(ti.Width())
	ti.SetStyles(c.Styles.TextInput())
	ti.Focus()
	return &cmdLine{input: ti}
}

// cmdPlaceholders are the : line's hint from the fullest to the shortest: the widest that fits
// is shown whole, never a cut one.
var cmdPlaceholders = []string{
	"ds, wh, org NAME, extend --within 2h, verify, probe, q (tab completes)",
	"ds, wh, org NAME, extend --within 2h, verify, q (tab completes)",
	"ds, wh, org NAME, extend, verify, probe, q (tab completes)",
	"ds, wh, org, extend, verify, probe, q (tab completes)",
	"ds, wh, org, extend, verify, q (tab)",
	"tab completes",
}

func cmdPlaceholder(width int) string {
	for _, p := range cmdPlaceholders {
		if ansi.StringWidth(p) < width {
			return p
		}
	}
	return ""
}

// find is the command named (or aliased) word.
func find(word string) (command, bool) {
	for _, c := range commands {
		if c.name == word || slices.Contains(c.aliases, word) {
			return c, true
		}
	}
	return command{}, false
}

// complete extends the line as far as every candidate agrees, and lists them when several do.
func (l *cmdLine) complete() {
	v := l.input.Value()
	word, rest, spaced := strings.Cut(strings.TrimLeft(v, " "), " ")
	l.matches = nil
	if spaced {
		c, ok := find(word)
		arg := strings.TrimSpace(rest)
		switch {
		case !ok:
		case c.name == "extend" && strings.HasPrefix("--within", arg) && !strings.HasPrefix(arg, "--within "):
			l.set("extend --within ")
		case c.name == "org":
			l.completeArg(word, arg, l.names.orgs)
		case c.name == "profile":
			l.completeArg(word, arg, l.names.profiles)
		}
		return
	}
	var names []string
	for _, c := range commands {
		for _, n := range append([]string{c.name}, c.aliases...) {
			if strings.HasPrefix(n, word) {
				names = append(names, n)
			}
		}
	}
	switch len(names) {
	case 0:
		return
	case 1:
		c, _ := find(names[0])
		if c.name == "extend" {
			l.set(names[0] + " --within ") // its one flag: what is left to type is the value
			return
		}
		if c.args != "" {
			l.set(names[0] + " ")
			return
		}
		l.set(names[0])
		return
	}
	l.show(names, "")
}

// completeArg completes the argument of :org or :profile from the names known.
func (l *cmdLine) completeArg(word, arg string, known []string) {
	var names []string
	for _, n := range known {
		if strings.HasPrefix(n, arg) {
			names = append(names, n)
		}
	}
	switch len(names) {
	case 0:
	case 1:
		l.set(word + " " + names[0])
	default:
		l.show(names, word+" ")
	}
}

// show lists several candidates beside the input and completes what they share.
func (l *cmdLine) show(names []string, before string) {
	l.matches = names
	l.set(before + commonPrefix(names))
	// The input pads itself to its width: narrow it so the candidates show beside it.
	l.input.SetWidth(ansi.StringWidth(l.input.Value()) + 1)
}

func (l *cmdLine) set(v string) {
	l.input.SetValue(v)
	l.input.CursorEnd()
}

func commonPrefix(words []string) string {
	p := words[0]
	for _, w := range words[1:] {
		for !strings.HasPrefix(w, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}

// view is the footer line while the command line is open.
func (l *cmdLine) view(m *Model) string {
	st, w := m.c.Styles, m.c.Width
	if len(l.matches) == 0 {
		return format.Cut(l.input.View(), w)
	}
	list := strings.Join(l.matches, " ")
	if ansi.StringWidth(l.input.View()+"  "+list) > w {
		// Shorter first: the commands' own names without their aliases (ds, not datasources).
		var names []string
		for _, n := range l.matches {
			if c, ok := find(n); !ok || c.name == n {
				names = append(names, n)
			}
		}
		list = strings.Join(names, " ")
	}
	return format.Cut(l.input.View()+st.Muted.Render("  "+list), w)
}

// updateCmdLine takes every key and paste while the command line is open.
func (m *Model) updateCmdLine(msg tea.Msg) tea.Cmd {
	l := m.cmdline
	if names, ok := msg.(namesMsg); ok {
		l.names = names
		return nil
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "esc":
			m.cmdline = nil
			return nil
		case "tab":
			l.complete()
			return nil
		case "enter":
			m.cmdline = nil
			return m.runCommand(l.input.Value(), l.names)
		case "backspace":
			if l.input.Value() == "" {
				m.cmdline = nil // as in vim: backspace past the colon closes it
				return nil
			}
		}
	}
	if l.matches != nil {
		l.matches = nil
		l.input.SetWidth(max(m.c.Width-4, 10))
	}
	var cmd tea.Cmd
	l.input, cmd = l.input.Update(msg)
	return cmd
}

// runCommand does what a command line says.
func (m *Model) runCommand(line string, names namesMsg) tea.Cmd {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return nil
	}
	word, args := fields[0], fields[1:]
	c, ok := find(word)
	if !ok {
		return common.Notice("unknown command :" + word + " (tab lists them)")
	}
	switch {
	case c.nargs == 0 && len(args) > 0:
		return common.Notice(":" + c.name + " takes no arguments")
	case c.nargs > 0 && len(args) != c.nargs:
		return common.Notice("usage: :" + c.name + " " + c.args)
	}
	return c.run(m, args, names)
}

// cmdLineError is a command line's usage problem, said in the footer.
type cmdLineError string

func (e cmdLineError) Error() string { return string(e) }

// parseWithin reads extend's arguments: --within DURATION (or --within=DURATION).
func parseWithin(args []string) (time.Duration, error) {
	const usage = cmdLineError("usage: :extend --within DURATION (a Go duration: 2h, 90m)")
	var v string
	switch {
	case len(args) == 2 && args[0] == "--within":
		v = args[1]
	case len(args) == 1 && strings.HasPrefix(args[0], "--within="):
		v = strings.TrimPrefix(args[0], "--within=")
	default:
		return 0, usage
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, cmdLineError(":extend --within " + v + ": want a positive duration like 2h or 90m")
	}
	return d, nil
}
