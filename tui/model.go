package tui

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/safetext"
	"github.com/byova/byova/screens/activity"
	"github.com/byova/byova/screens/auth"
	"github.com/byova/byova/screens/datasources"
	"github.com/byova/byova/screens/schemas"
	"github.com/byova/byova/screens/webhooks"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/format"
)

// MinWidth and MinHeight are the smallest terminal byova draws in: half a tmux split. Under
// 80 columns the screens use their compact layout.
const (
	MinWidth  = 60
	MinHeight = 20
)

// noticeFor is how long a footer notice ("copied …") stays.
const noticeFor = 3 * time.Second

// Model is the root tea.Model: it routes keys and messages to the screens and draws the
// header, the error banner and the footer around the active one.
type Model struct {
	c    *common.Common
	opts Options
	// started is Init's commands, already running (Run starts them before the terminal is
	// set up); the program's call of Init takes them.
	started tea.Cmd
	// waiting says the other screens' first loads wait for the active screen's first answer (a
	// common.Answer: a start screen must answer with one) or a switch of screen, whichever is
	// first (Update): on two cores they would share the CPU with the list the first frame shows.
	waiting bool
	first   int // the screen whose Init ran at start
	// firstShown is Options.FirstShown until it has run: once, a frame delay after the first
	// screen's first answer, when that frame is on the terminal.
	firstShown    func()
	firstShownDue bool // its message is on its way

	screens []common.Screen
	active  int

	spin     spinner.Model
	spinning bool
	// inNormal: the last frame was drawn in the normal screen (see normalScreen); clearing:
	// one empty frame is drawn there before the full screen comes back.
	inNormal, clearing bool
	help               help.Model
	helpView           *helpView // non-nil while the ? help is open
	cmdline            *cmdLine  // non-nil while the : command line is open

	banner *banner

	notice        string
	noticeShorter []string // the notice in fewer words, for a narrow footer
	userBelow     bool     // the SSH user is on the header's second line, so the tabs keep their names
	noticeUntil   time.Time

	// The one tick on its way: when it is due and its sequence number (see schedule).
	tickDue time.Time
	tickSeq uint64

	// Rendered once and reused while their inputs stay the same.
	footerSig, footerLine string
	tabsSig, tabsLine     string
	tabSpans              [][2]int // cells of each tab on the header's first line (mouse.go)
	bodyTop               int      // the line the body was last drawn on (mouse.go)

	ready bool // a WindowSizeMsg arrived
}

// firstShownMsg says the first screen's first answer has been on the terminal a while (see
// Model.firstShown).
type firstShownMsg struct{}

// Screen indexes, as on the keyboard minus one.
const (
	ScreenDataSources = iota
	ScreenSchemas
	ScreenWebhooks
	ScreenAuth
	ScreenActivity
)

func newModel(c *common.Common, o Options) *Model {
	m := &Model{c: c, opts: o}
	m.screens = []common.Screen{
		datasources.New(c),
		schemas.New(c),
		webhooks.New(c),
		auth.New(c),
		activity.New(c),
	}
	m.spin = spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(c.Styles.Spinner))
	m.help = help.New()
	m.help.Styles = c.Styles.Help()
	return m
}

// Common exposes the shared context (tests).
func (m *Model) Common() *common.Common { return m.c }

// Active is the index of the active screen.
func (m *Model) Active() int { return m.active }

// Screen returns screen i.
func (m *Model) Screen(i int) common.Screen { return m.screens[i] }

// Init starts the clock and every screen.
func (m *Model) Init() tea.Cmd {
	if c := m.started; c != nil { // Run called Init already, to start its loads early
		m.started = nil
		return c
	}
	cmds := []tea.Cmd{m.schedule(m.c.Now()), m.c.FetchOrgName(m.c.Org)}
	m.first = m.active
	first := m.screens[m.active].Init()
	if first == nil {
		m.shown() // nothing to load: nothing to wait for
		return m.afterUpdate(tea.Batch(append(cmds, m.initOthers())...))
	}
	m.waiting = true
	return m.afterUpdate(tea.Batch(append(cmds, first)...))
}

// shown runs firstShown, once.
func (m *Model) shown() {
	if f := m.firstShown; f != nil {
		m.firstShown = nil
		f()
	}
}

// initOthers starts the first loads of every screen but the first active one (see waiting).
func (m *Model) initOthers() tea.Cmd {
	m.waiting = false
	var cmds []tea.Cmd
	for i, s := range m.screens {
		if i != m.first {
			cmds = append(cmds, s.Init())
		}
	}
	return tea.Batch(cmds...)
}

// schedule keeps one tick on its way: on the next whole second while something shown needs
// seconds, else on the next whole minute, so every countdown changes at the same moment and
// an idle screen repaints at most once a minute. A tick already due no later is kept; an
// earlier one replaces it (the later one arrives with an old Seq and is dropped).
func (m *Model) schedule(now time.Time) tea.Cmd {
	unit := time.Minute
	if m.needsSeconds(now) {
		unit = time.Second
	}
	d := now.Truncate(unit).Add(unit).Sub(now)
	if d <= 0 {
		d = unit
	}
	due := now.Add(d)
	if !m.tickDue.IsZero() && !m.tickDue.After(due) {
		return nil
	}
	m.tickSeq++
	m.tickDue = due
	seq := m.tickSeq
	return tea.Tick(d, func(t time.Time) tea.Msg { return common.TickMsg{Time: t, Seq: seq} })
}

// needsSeconds says whether anything shown changes each second: the header's token countdown
// under format.SecondsBelow, a notice waiting to expire, or a screen that says so.
func (m *Model) needsSeconds(now time.Time) bool {
	if m.notice != "" {
		return true
	}
	if left := m.c.TokenExpiry.Sub(now); !m.c.TokenExpiry.IsZero() && left > 0 && left < format.SecondsBelow {
		return true
	}
	for _, s := range m.screens {
		if n, ok := s.(common.SecondsNeeder); ok && n.NeedsSeconds(now) {
			return true
		}
	}
	return false
}

// Update routes a message (see update) and brings the next tick forward when what it changed
// now shows seconds.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg.(type) {
	case common.FrameDrawnMsg:
		m.clearing = false // the empty frame is on the terminal: back to the full screen
		return m, nil
	case firstShownMsg:
		m.shown()
		return m, nil
	}
	mm, cmd := m.update(msg)
	if m.waiting && m.active != m.first {
		cmd = tea.Batch(cmd, m.initOthers()) // the person moved on before the first answer
	}
	cmd = tea.Batch(cmd, m.leaveNormalScreen())
	if _, ok := msg.(common.TickMsg); ok {
		return mm, cmd // update scheduled the next one
	}
	return mm, tea.Batch(cmd, m.schedule(m.c.Now()))
}

// update routes a message: global keys first, then the focused form/filter, then the screen.
func (m *Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if a, ok := msg.(common.Answer); ok {
		if cmd, ok := m.routeAnswer(a); ok {
			return m, cmd
		}
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.ready = true
		m.c.Width, m.c.Height = msg.Width, msg.Height
		m.resize()
		return m, nil

	case tea.KeyPressMsg:
		return m, m.afterUpdate(m.handleKey(msg))

	case tea.MouseMsg:
		return m, m.mouse(msg)

	case tea.PasteMsg:
		return m, m.paste(msg)

	case spinner.TickMsg:
		if busy, _ := m.c.Busy(); !busy {
			m.spinning = false // let the tick chain end
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd

	case common.TickMsg:
		return m, m.tick(msg)

	case common.ErrorMsg:
		m.banner = newBanner(m.c.Keys, msg.Op, msg.Err)
		m.resize()
		m.c.Logger.Debug("error shown", "op", msg.Op, "err", msg.Err)
		return m, nil

	case common.NoticeMsg:
		m.showNotice(msg)
		return m, nil

	case common.SwitchScreenMsg:
		return m, m.afterUpdate(m.switchTo(msg.Screen - 1))

	case common.OrgResolvedMsg:
		m.c.ApplyOrg(msg)
		return m, tea.Batch(m.tokenInfo(), m.c.FetchOrgName(m.c.Org))

	case common.OrgNameMsg:
		m.c.ApplyOrgName(msg)
		return m, nil

	case namesMsg:
		if m.cmdline != nil {
			return m, m.updateCmdLine(msg)
		}
		return m, nil

	case common.TokenInfoMsg:
		if msg.Err != nil {
			m.c.Logger.Debug("token info", "err", msg.Err)
		} else if msg.Org == m.c.Org {
			m.c.TokenExpiry = msg.Expiry
		}
		return m, nil
	}

	cmd := m.broadcast(msg)
	if a, ok := msg.(common.Answer); ok && a.Head().ID != 0 {
		// A request just finished: its token may have been refreshed.
		cmd = tea.Batch(cmd, m.tokenInfo())
	}
	return m, m.afterUpdate(cmd)
}

// routeAnswer gives a request's answer to the screen whose owner began it; the others hear
// that a request ended. ok false: nobody's (it is broadcast).
func (m *Model) routeAnswer(a common.Answer) (tea.Cmd, bool) {
	id := a.Head().ID
	i, ok := m.ownerScreen(id)
	if !ok {
		return nil, false
	}
	cmd := m.updateScreen(i, a)
	if m.waiting && i == m.first {
		cmd = tea.Batch(cmd, m.initOthers())
	}
	if m.firstShown != nil && i == m.first && !m.firstShownDue {
		m.firstShownDue = true
		cmd = tea.Batch(cmd, tea.Tick(common.FrameDelay, func(time.Time) tea.Msg { return firstShownMsg{} }))
	}
	ended := common.RequestEndedMsg{ID: id}
	for j := range m.screens {
		if j != i {
			cmd = tea.Batch(cmd, m.updateScreen(j, ended))
		}
	}
	// A request just finished: its token may have been refreshed.
	return m.afterUpdate(tea.Batch(cmd, m.tokenInfo())), true
}

// mouse hands a mouse message on when the mouse is on and no help covers the screen: a click
// to the root's own targets (tabs, rows), the rest to the active screen.
func (m *Model) mouse(msg tea.MouseMsg) tea.Cmd {
	if !m.opts.Mouse || m.helpView != nil {
		return nil
	}
	if c, ok := msg.(tea.MouseClickMsg); ok {
		return m.afterUpdate(m.click(c))
	}
	return m.afterUpdate(m.updateActive(msg))
}

// paste goes to what has the keys: the : line, the help's filter, else the active screen.
func (m *Model) paste(msg tea.PasteMsg) tea.Cmd {
	if m.cmdline != nil {
		return m.updateCmdLine(msg)
	}
	if m.helpView != nil {
		return m.helpView.update(msg)
	}
	return m.afterUpdate(m.updateActive(msg))
}

// tick moves the clock: the notice expires, every screen hears it, the next one is scheduled.
func (m *Model) tick(msg common.TickMsg) tea.Cmd {
	if msg.Seq != 0 {
		if msg.Seq != m.tickSeq {
			return nil // replaced by an earlier tick, which has come or is coming
		}
		m.tickDue = time.Time{}
	}
	if !m.noticeUntil.IsZero() && !m.c.Now().Before(m.noticeUntil) {
		m.notice, m.noticeUntil = "", time.Time{}
	}
	cmd := m.broadcast(msg)
	if msg.Seq != 0 || m.tickDue.IsZero() {
		cmd = tea.Batch(cmd, m.schedule(m.c.Now()))
	}
	return m.afterUpdate(cmd)
}

// showNotice puts a notice in the footer for noticeFor.
func (m *Model) showNotice(msg common.NoticeMsg) {
	m.notice, m.noticeUntil = safetext.Line(msg.Text), m.c.Now().Add(noticeFor) // names and ids in it are Webex's
	m.noticeShorter = m.noticeShorter[:0]
	for _, t := range msg.Shorter {
		m.noticeShorter = append(m.noticeShorter, safetext.Line(t))
	}
}

// handleKey applies the global keys unless the screen is capturing keys, then hands the key on.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.Keys
	if key.Matches(msg, k.ForceQuit) {
		return tea.Quit
	}
	if !m.ready || m.tooSmall() {
		if key.Matches(msg, k.Quit) {
			return tea.Quit
		}
		return nil
	}
	if m.cmdline != nil {
		return m.updateCmdLine(msg)
	}
	if m.helpView != nil {
		cmd := m.helpView.update(msg)
		if m.helpView.closed {
			chosen := m.helpView.chosen
			quit := m.helpView.quit
			m.helpView = nil
			if quit {
				return tea.Quit
			}
			if chosen != nil && len(chosen.Keys()) > 0 {
				// enter on an entry does what its key does.
				if k, ok := keyPress(chosen.Keys()[0]); ok {
					return tea.Batch(cmd, m.handleKey(k))
				}
			}
		}
		return cmd
	}
	scr := m.screens[m.active]
	if scr.Capturing() {
		return m.updateActive(msg)
	}
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Command):
		m.cmdline = newCmdLine(m.c)
		return loadNames(m.c.Session)
	case key.Matches(msg, k.Help):
		m.helpView = newHelpView(m.c, m.helpGroups())
		m.helpView.setSize(m.bodySize())
		return nil
	case key.Matches(msg, k.Dismiss) && m.banner != nil:
		m.banner = nil
		m.resize()
		return nil
	case key.Matches(msg, k.Copy) && m.banner != nil:
		return m.banner.copy()
	case key.Matches(msg, k.NextScreen):
		return m.switchTo((m.active + 1) % len(m.screens))
	case key.Matches(msg, k.PrevScreen):
		return m.switchTo((m.active + len(m.screens) - 1) % len(m.screens))
	case key.Matches(msg, k.Screen1):
		return m.switchTo(ScreenDataSources)
	case key.Matches(msg, k.Screen2):
		return m.switchTo(ScreenSchemas)
	case key.Matches(msg, k.Screen3):
		return m.switchTo(ScreenWebhooks)
	case key.Matches(msg, k.Screen4):
		return m.switchTo(ScreenAuth)
	case key.Matches(msg, k.Screen5):
		return m.switchTo(ScreenActivity)
	case key.Matches(msg, k.SwitchOrg):
		// The auth & orgs screen owns the org/profile picker; the person comes back here after.
		from := m.active + 1
		m.switchTo(ScreenAuth)
		return m.updateActive(auth.OpenPickerMsg{From: from})
	}
	return m.updateActive(msg)
}

func (m *Model) switchTo(i int) tea.Cmd {
	if i < 0 || i >= len(m.screens) || i == m.active {
		return nil
	}
	m.active = i
	m.c.Logger.Debug("screen", "active", m.screens[i].Title())
	return nil
}

func (m *Model) updateActive(msg tea.Msg) tea.Cmd { return m.updateScreen(m.active, msg) }

// updateScreen gives msg to screen i.
func (m *Model) updateScreen(i int, msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	m.screens[i], cmd = m.screens[i].Update(msg)
	return cmd
}

// owners are the screens' request owners, by screen index: the answer to a request goes to
// the screen whose Owner began it, whichever screen was being updated at the time.
var owners = [...]common.Owner{
	ScreenDataSources: datasources.Owner,
	ScreenSchemas:     schemas.Owner,
	ScreenWebhooks:    webhooks.Owner,
	ScreenAuth:        auth.Owner,
	ScreenActivity:    activity.Owner,
}

// ownerScreen marks request id finished and returns the index of the screen that began it
// (ok false: unknown, nobody's, or no screen of the root's).
func (m *Model) ownerScreen(id uint64) (int, bool) {
	owner, ok := m.c.Finish(id)
	if !ok {
		return 0, false
	}
	for i, o := range owners {
		if o == owner && i < len(m.screens) {
			return i, true
		}
	}
	return 0, false
}

// broadcast hands a message that is no request's answer (org changes, ticks, huh's messages)
// to every screen; each ignores what is not its own.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(m.screens))
	for i := range m.screens {
		cmds = append(cmds, m.updateScreen(i, msg))
	}
	return tea.Batch(cmds...)
}

// afterUpdate starts the spinner when a request began.
func (m *Model) afterUpdate(cmd tea.Cmd) tea.Cmd {
	if busy, _ := m.c.Busy(); busy && !m.spinning {
		m.spinning = true
		return tea.Batch(cmd, m.spin.Tick)
	}
	return cmd
}

// tokenInfo reads the current token's expiry from the store, for the header countdown.
func (m *Model) tokenInfo() tea.Cmd {
	s, org := m.c.Session, m.c.Org
	if s == nil || org == "" {
		return nil
	}
	return func() tea.Msg {
		exp, err := common.TokenExpiry(s, org)
		return common.TokenInfoMsg{Org: org, Expiry: exp, Err: err}
	}
}

func (m *Model) tooSmall() bool { return m.c.Width < MinWidth || m.c.Height < MinHeight }

// bodySize is what is left for a screen between the header, the banner and the footer.
func (m *Model) bodySize() (int, int) {
	h := m.c.Height - headerHeight - footerHeight
	if m.banner != nil {
		h -= m.banner.height(m.c.Width)
	}
	return m.c.Width, max(h, 1)
}

func (m *Model) resize() {
	w, h := m.bodySize()
	for _, s := range m.screens {
		s.SetSize(w, h)
	}
	if m.helpView != nil {
		m.helpView.setSize(w, h)
	}
	m.help.SetWidth(w)
}

// helpGroups are the help sections: the active screen's keys, then the global ones.
func (m *Model) helpGroups() []helpGroup {
	k := m.c.Keys
	return []helpGroup{
		{Title: m.screens[m.active].Title(), Bindings: m.screens[m.active].KeyMap()},
		{Title: "Global", Bindings: []key.Binding{k.Screen1, k.Screen2, k.Screen3, k.Screen4, k.Screen5, k.NextScreen, k.PrevScreen,
			k.SwitchOrg, k.Command,
			common.As(k.Dismiss, "dismiss the error banner"), common.As(k.Copy, "copy error + trackingId"),
			k.Help, k.Quit, k.ForceQuit}},
	}
}

// View draws the frame. Every line is cut to the terminal width, and the body is padded so the
// footer stays on the last line.
func (m *Model) View() tea.View {
	var v tea.View
	v.AltScreen = m.opts.AltScreen
	if m.opts.Mouse {
		v.MouseMode = tea.MouseModeCellMotion
	}
	v.WindowTitle = "byova — " + m.screens[m.active].Title()
	if !m.ready {
		v.SetContent("")
		return v
	}
	if m.tooSmall() {
		v.SetContent(m.c.Styles.Glyphs(m.tooSmallView()))
		return v
	}
	if m.clearing {
		v.AltScreen, v.MouseMode = false, tea.MouseModeNone
		v.SetContent("")
		return v
	}
	if m.normalScreen() {
		// Drawn inline, short, in the normal screen: what the screen prints above it (an
		// address) is one line there that the terminal wraps, so it can be selected whole.
		v.AltScreen, v.MouseMode = false, tea.MouseModeNone
		var b strings.Builder
		body := strings.TrimRight(m.screens[m.active].View(), "\n ")
		writeBlock(&b, body, m.c.Width, strings.Count(body, "\n")+1)
		b.WriteString(m.footer())
		v.SetContent(m.c.Styles.Glyphs(b.String()))
		return v
	}
	w := m.c.Width
	var b strings.Builder
	b.Grow(w * m.c.Height * 2)
	m.writeHeader(&b)
	if m.banner != nil {
		b.WriteString(m.banner.view(m.c.Styles, w))
		b.WriteByte('\n')
	}
	_, bh := m.bodySize()
	m.bodyTop = strings.Count(b.String(), "\n")
	var body string
	if m.helpView != nil {
		body = m.helpView.view()
	} else {
		body = m.screens[m.active].View()
	}
	writeBlock(&b, body, w, bh)
	b.WriteString(m.footer())
	v.SetContent(m.c.Styles.Glyphs(b.String())) // one place turns every symbol to ASCII when asked
	return v
}

// leaveNormalScreen notices the active screen no longer asking for the normal screen. The app
// first draws one empty frame there, which wipes what it drew inline, so the terminal keeps
// what was printed above it (the address) and a shell prompt comes under that after byova
// exits; then it goes back to the full screen.
func (m *Model) leaveNormalScreen() tea.Cmd {
	was := m.inNormal
	m.inNormal = m.normalScreen()
	if !was || m.inNormal {
		return nil
	}
	m.clearing = true
	return tea.Tick(common.FrameDelay, func(time.Time) tea.Msg { return common.FrameDrawnMsg{} })
}

// normalScreen reports that the active screen asks to leave the full screen for now (the
// sign-in wizard while it shows an authorize address), with nothing drawn over it.
func (m *Model) normalScreen() bool {
	ns, ok := m.screens[m.active].(interface{ WantsNormalScreen() bool })
	return ok && m.helpView == nil && m.cmdline == nil && ns.WantsNormalScreen()
}

// writeBlock writes exactly h lines of body, each cut to w cells.
func writeBlock(b *strings.Builder, body string, w, h int) {
	n := 0
	for line := range strings.SplitSeq(body, "\n") {
		if n == h {
			break
		}
		b.WriteString(format.Cut(line, w))
		b.WriteByte('\n')
		n++
	}
	for ; n < h; n++ {
		b.WriteByte('\n')
	}
}

func (m *Model) tooSmallView() string {
	msg := "terminal too small (need " + strconv.Itoa(MinWidth) + "x" + strconv.Itoa(MinHeight) + ")"
	now := "now " + strconv.Itoa(m.c.Width) + "x" + strconv.Itoa(m.c.Height) + " · q quits"
	var b strings.Builder
	top := max((m.c.Height-2)/2, 0)
	for range top {
		b.WriteByte('\n')
	}
	for _, l := range []string{msg, now} {
		pad := max((m.c.Width-len(l))/2, 0)
		b.WriteString(format.Cut(strings.Repeat(" ", pad)+l, m.c.Width))
		b.WriteByte('\n')
	}
	return strings.TrimSuffix(b.String(), "\n")
}
