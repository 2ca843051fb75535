package auth

import (
	"errors"
	"os"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
	"github.com/byova/byova/signin"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/dialog"
	"github.com/byova/byova/ui/listview"
	"github.com/byova/byova/ui/signintext"
)

// mode is what the screen shows.
type mode int

const (
	modeList mode = iota
	modeWizard
	modeConfirm
	modePicker
)

// requestTimeout bounds a refresh or a check.
const requestTimeout = 30 * time.Second

// Screen is the auth & orgs screen (screen 4). It implements common.Screen.
type Screen struct {
	c             *common.Common
	env           signin.Env
	width, height int
	mode          mode

	snap    snapshot
	loaded  bool
	loadErr error
	loadSeq uint64
	dirty   bool // another screen's request ended: a token may have been refreshed
	cursor  int
	offset  int
	drawn   listview.Rows // where listView put the rows, for a click

	wizard  *Wizard
	confirm *dialog.Confirm
	picker  *picker
	back    int // the screen (1-based) to return to after the picker; 0: stay

	// used is how Webex last answered each token: "caller", "org:UUID" (from any screen's
	// requests) or a row's key (this screen's own checks).
	used map[string]common.TokenUsedMsg
}

// New builds the screen with the system's browser, environment and clock.
func New(c *common.Common) *Screen {
	return &Screen{c: c, env: signin.Env{Getenv: os.Getenv, OpenURL: signin.SystemBrowser}}
}

// SetEnv replaces how the wizard reaches the browser and the environment (tests).
func (s *Screen) SetEnv(e signin.Env) { s.env = e }

// Title is the screen's name in the tabs.
func (s *Screen) Title() string { return "Auth & orgs" }

// Init loads the stored tokens.
func (s *Screen) Init() tea.Cmd { return s.load() }

// Capturing reports that the wizard, a confirmation or the picker takes keys.
func (s *Screen) Capturing() bool { return s.mode != modeList }

// SetSize gives the screen its body size.
func (s *Screen) SetSize(w, h int) {
	s.width, s.height = w, h
	if s.wizard != nil {
		s.wizard.SetSize(w, h)
	}
	s.clamp()
}

// OpenPickerMsg asks the screen to open the org/profile picker (the global o key). From is
// the screen (1-based) to return to once an org is chosen or the picker is closed.
type OpenPickerMsg struct{ From int }

// SwitchMsg switches the session to an org or a profile by name, as choosing it in the picker
// does (the root's :org and :profile). One of the two is set.
type SwitchMsg struct{ Org, Profile string }

// loadedMsg is the answer to a read of the stored tokens. Reads are quick and frequent (after
// any other screen's request, which may have refreshed a token), so they do not turn the
// spinner.
type loadedMsg struct {
	seq  uint64
	snap snapshot
	err  error
}

// refreshedMsg ends a refresh (or a check) of one token.
type refreshedMsg struct {
	row tokenRow
	res RefreshResult
}

// loggedOutMsg ends a log out.
type loggedOutMsg struct {
	row tokenRow
}

// profileMsg carries the session of the profile chosen in the picker.
type profileMsg struct {
	name string
	sess *session.Session
}

func (s *Screen) load() tea.Cmd {
	sess := s.c.Session
	if sess == nil || sess.Store == nil {
		s.loaded, s.loadErr = true, &api.SignInError{Reason: "no session: byova has nowhere to keep tokens"}
		return nil
	}
	s.loadSeq++
	seq := s.loadSeq
	s.dirty = false
	return func() tea.Msg {
		snap, err := readSnapshot(sess)
		return loadedMsg{seq: seq, snap: snap, err: err}
	}
}

// Update handles keys (when the screen is active) and results (always).
func (s *Screen) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.TokenUsedMsg:
		key := "caller"
		if !msg.Caller {
			key = "org:" + msg.Org
		}
		s.recordUse(key, msg)
		return s, nil
	case loadedMsg:
		if msg.seq != s.loadSeq {
			return s, nil // an older read: a newer one is on its way
		}
		s.loaded, s.loadErr = true, msg.err
		if msg.err == nil {
			s.snap = msg.snap
		}
		s.clamp()
		if s.picker != nil {
			s.picker.setItems(s.pickItems())
		}
		return s, s.fetchOrgNames()
	case common.Reply[refreshedMsg]:
		return s, s.onRefreshed(msg)
	case common.Reply[loggedOutMsg]:
		return s, s.onLoggedOut(msg)
	case common.Reply[profileMsg]:
		return s, s.onProfile(msg)
	case common.Reply[signedInMsg]:
		s.dirty = true // a token may have been stored
		return s, s.wizardUpdate(msg)
	case common.OrgChangedMsg:
		return s, s.load()
	case common.TickMsg:
		if s.dirty && s.mode != modeWizard {
			return s, tea.Batch(s.load(), s.wizardUpdate(msg))
		}
		return s, s.wizardUpdate(msg)
	case OpenPickerMsg:
		return s, s.openPicker(msg.From)
	case SwitchMsg:
		return s, s.switchByName(msg)
	case tea.KeyPressMsg:
		return s, s.handleKey(msg)
	case tea.MouseClickMsg:
		return s, s.handleClick(msg)
	}
	if _, ok := msg.(common.RequestEndedMsg); ok {
		s.dirty = true // another screen's request: a token may have been refreshed
		return s, nil
	}
	// Everything else may belong to the wizard (huh's messages, its requests' answers).
	return s, s.wizardUpdate(msg)
}

func (s *Screen) wizardUpdate(msg tea.Msg) tea.Cmd {
	if s.wizard == nil {
		return nil
	}
	return tea.Batch(s.wizard.Update(msg), s.afterWizard())
}

// closeConfirm takes the answered dialog away (dialog.Confirm's Key and Clicked call it).
func (s *Screen) closeConfirm() { s.confirm, s.mode = nil, modeList }

func (s *Screen) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	switch s.mode {
	case modeWizard:
		cmd := s.wizard.Update(msg)
		return tea.Batch(cmd, s.afterWizard())
	case modeConfirm:
		return s.confirm.Key(s.c.Keys, msg, s.closeConfirm)
	case modePicker:
		return s.pickerKey(msg)
	}
	k := s.c.Keys
	switch {
	case key.Matches(msg, k.Up):
		s.move(-1)
	case key.Matches(msg, k.Down):
		s.move(1)
	case key.Matches(msg, k.Top):
		s.cursor = 0
		s.clamp()
	case key.Matches(msg, k.Bottom):
		s.cursor = len(s.snap.rows) - 1
		s.clamp()
	case key.Matches(msg, k.New):
		return s.openWizard()
	case key.Matches(msg, k.Open), key.Matches(msg, k.Reload):
		return s.refresh()
	case key.Matches(msg, k.Delete):
		return s.startLogout()
	case key.Matches(msg, k.SwitchOrg):
		return s.openPicker(0)
	case key.Matches(msg, k.Copy):
		if r := s.selected(); r != nil && r.org != "" {
			return common.Copy(r.org, "org")
		}
	case key.Matches(msg, k.Edit):
		// A stored credential has nothing to edit: say what does the job instead.
		return common.Notice("e: a sign-in has nothing to edit: n signs in again, r refreshes, d logs out")
	}
	return nil
}

// handleClick: a click on a row selects it, on the selected row does what enter does; in a
// confirmation it answers.
func (s *Screen) handleClick(msg tea.MouseClickMsg) tea.Cmd {
	if msg.Button != tea.MouseLeft {
		return nil
	}
	switch s.mode {
	case modeConfirm:
		return s.confirm.Clicked(msg, s.closeConfirm)
	case modeList:
	default:
		return nil
	}
	p, ok := s.drawn.At(msg.Y)
	if !ok || p >= len(s.snap.rows) {
		return nil
	}
	if p == s.cursor {
		return s.refresh() // what enter does here
	}
	s.cursor = p
	s.clamp()
	return nil
}

func (s *Screen) move(d int) {
	s.cursor += d
	s.clamp()
}

// clamp keeps the cursor on a row and the row in view.
func (s *Screen) clamp() {
	n := len(s.snap.rows)
	s.cursor = max(min(s.cursor, n-1), 0)
	h := s.tableHeight()
	if s.cursor < s.offset {
		s.offset = s.cursor
	}
	if s.cursor >= s.offset+h {
		s.offset = s.cursor - h + 1
	}
	s.offset = max(min(s.offset, n-h), 0)
}

func (s *Screen) selected() *tokenRow {
	if s.cursor < 0 || s.cursor >= len(s.snap.rows) {
		return nil
	}
	return &s.snap.rows[s.cursor]
}

// currentOrg is the org the other screens work in, as a UUID ("" when none).
func (s *Screen) currentOrg() string {
	if s.c.Org != "" {
		return s.c.Org
	}
	if s.c.Session != nil {
		if u, err := api.OrgUUID(s.c.Session.Settings.Org); err == nil {
			return u
		}
	}
	return ""
}

// openWizard starts the sign-in wizard in the screen.
func (s *Screen) openWizard() tea.Cmd {
	if s.c.Viewer() { // the session refuses the sign-in too; this only says so up front
		return common.Notice(s.c.ReadOnlyNote() + ": signing in is for operators")
	}
	s.wizard = NewWizard(s.c, s.env, "")
	s.wizard.SetSize(s.width, s.height)
	s.mode = modeWizard
	return s.wizard.Init()
}

// afterWizard reacts to a sign-in that just succeeded and to the wizard closing.
func (s *Screen) afterWizard() tea.Cmd {
	w := s.wizard
	if w == nil {
		return nil
	}
	var cmds []tea.Cmd
	if o := w.TakeSignedIn(); o != nil && s.c.Session != nil {
		// A new session value with the new credentials: requests in flight keep theirs.
		v := w.v
		switch o.Method {
		case signin.MethodServiceApp:
			// The person added an org to work in it: every screen moves there.
			sess := s.c.Session.With(func(st *config.Settings) {
				st.ServiceAppClientID, st.Org = o.ClientID, o.Org
				if v != nil && v.SAClientSecret != "" {
					st.ServiceAppClientSecret = v.SAClientSecret
				}
			})
			cmds = append(cmds, s.c.SetSession(sess), common.Notice("signed in to org "+o.Org+": the other screens show it now"))
		default:
			sess := s.c.Session.With(func(st *config.Settings) {
				if o.Method == signin.MethodIntegration {
					st.IntegrationClientID = o.ClientID
					if v != nil {
						st.IntegrationClientSecret, st.IntegrationRedirectURI = v.ClientSecret, v.RedirectURI
					}
				}
			})
			// The caller token changed: screens that use it reload.
			cmds = append(cmds, s.c.SetSession(sess), common.Notice(signintext.Headline(*o)))
		}
	}
	if w.Closed() {
		s.wizard = nil
		s.mode = modeList
		cmds = append(cmds, s.load())
		if _, err := w.Result(); err != nil && w.outcome == nil {
			cmds = append(cmds, common.Notice("sign-in closed: nothing was stored"))
		}
	}
	return tea.Batch(cmds...)
}

// writable refuses refresh and log out in read-only mode.
func (s *Screen) writable(what string) (bool, tea.Cmd) {
	if s.c.ReadOnly() {
		return false, common.Notice(s.c.ReadOnlyNote() + ": " + what + " is off")
	}
	return true, nil
}

func (s *Screen) refresh() tea.Cmd {
	r := s.selected()
	if r == nil {
		return s.load()
	}
	if ok, cmd := s.writable("refreshing tokens"); !ok {
		return cmd
	}
	row := *r
	what := "refreshing " + row.what()
	if row.kind == config.KindPAT || row.kind == kindEnvCaller {
		what = "checking " + row.what()
	}
	req := s.c.Request(Owner, common.KindWrite, what, requestTimeout) // a refresh stores the new token
	return func() tea.Msg {
		defer req.Cancel()
		var res RefreshResult
		err := common.Safely(func() (err error) { res, err = refreshRow(req.Ctx, req.Session, row); return err })
		return common.ReplyTo(req, refreshedMsg{row: row, res: res}, err)
	}
}

func (s *Screen) onRefreshed(rep common.Reply[refreshedMsg]) tea.Cmd {
	msg := rep.Payload
	r := msg.row
	s.recordUse(r.key(), common.TokenUsedMsg{What: "token check", Err: rep.Err, At: s.c.Now()})
	if rep.Err != nil {
		op := "refreshing " + r.what()
		if msg.res.Grant == "check" || r.kind == config.KindPAT || r.kind == kindEnvCaller {
			op = "checking " + r.what()
		}
		return tea.Batch(common.Error(op, rep.Err), s.load())
	}
	note := ""
	switch {
	case msg.res.Grant == "check":
		note = signintext.Capital(r.short()) + " is valid"
		if msg.res.Who != "" {
			note += " (" + msg.res.Who + ")"
		}
		note += "; it cannot be refreshed"
	default:
		note = "refreshed " + r.short() + " with " + msg.res.Grant + " · expires in " + signintext.Life(msg.res.Expiry.Sub(s.c.Now()))
	}
	cmds := []tea.Cmd{common.Notice(note), s.load()}
	if r.kind == config.KindServiceApp && r.org == s.currentOrg() {
		s.c.ForgetClient() // the next request reads the new token from the store
	}
	return tea.Batch(cmds...)
}

func (s *Screen) startLogout() tea.Cmd {
	r := s.selected()
	if r == nil {
		return nil
	}
	if ok, cmd := s.writable("logging out"); !ok {
		return cmd
	}
	if r.env != "" {
		return common.Notice(r.env + " sets this token: unset it to stop using it")
	}
	row := *r
	title := "Log out: forget " + row.what() + "?"
	if row.kind == config.KindServiceApp {
		title = "Log out of org " + row.org + "?"
	}
	d := &dialog.Confirm{
		Title: title, Action: "log out", Destructive: true,
		Rows: [][2]string{{"kind", row.kind}, {"profile", s.c.Profile()}},
		Note: "byova deletes it from the token store (and its client secret when nothing else uses it). Webex has no way to revoke it: it stays valid until it expires.",
	}
	if row.org != "" {
		d.Rows = append(d.Rows, [2]string{"org", row.org})
		if row.org == s.currentOrg() {
			d.Note = "This is the org the other screens show; they switch to another stored org. " + d.Note
		}
	}
	if row.clientID != "" {
		d.Rows = append(d.Rows, [2]string{"client", row.clientID})
	}
	d.OnConfirm = func() tea.Cmd {
		sess := s.c.Session
		env := s.c.BeginFor(Owner, common.KindWrite, "logging out")
		return func() tea.Msg {
			return common.Reply[loggedOutMsg]{Envelope: env, Err: logOut(sess, row), Payload: loggedOutMsg{row: row}}
		}
	}
	s.confirm, s.mode = d, modeConfirm
	return nil
}

func (s *Screen) onLoggedOut(rep common.Reply[loggedOutMsg]) tea.Cmd {
	if rep.Err != nil {
		return tea.Batch(common.Error("logging out", rep.Err), s.load())
	}
	r := rep.Payload.row
	cmds := []tea.Cmd{common.Notice("logged out: forgot " + r.short())}
	switch {
	case r.kind == config.KindServiceApp && r.org == s.currentOrg():
		next := ""
		for _, o := range s.snap.rows {
			if o.kind == config.KindServiceApp && o.org != r.org && o.env == "" {
				next = o.org
				break
			}
		}
		cmds = append(cmds, s.c.SwitchOrg(next))
	case r.kind != config.KindServiceApp:
		cmds = append(cmds, s.c.SetSession(s.c.Session.Clone())) // the caller token changed
	default:
		cmds = append(cmds, s.load())
	}
	return tea.Batch(cmds...)
}

// onProfile switches every screen to the chosen profile's session.
func (s *Screen) onProfile(r common.Reply[profileMsg]) tea.Cmd {
	msg := r.Payload
	if r.Err != nil {
		return common.Error("opening profile "+msg.name, r.Err)
	}
	s.cursor, s.offset = 0, 0
	return tea.Batch(s.c.SetSession(msg.sess),
		common.Notice("profile "+msg.name+" for this session (byova --profile "+msg.name+" opens it directly)"))
}

// KeyMap lists the keys that apply now.
func (s *Screen) KeyMap() []key.Binding {
	switch s.mode {
	case modeWizard:
		return s.wizard.KeyMap()
	case modeConfirm:
		return s.confirm.KeyMap(s.c.Keys)
	case modePicker:
		return s.picker.keyMap(s.c.Keys)
	}
	k := s.c.Keys
	keys := []key.Binding{k.Up, k.Down}
	if !s.c.Viewer() {
		keys = append(keys, common.As(k.New, "sign in / add org"))
	}
	if !s.c.ReadOnly() {
		keys = append(keys, common.Either("refresh now", k.Open, k.Reload), common.As(k.Delete, "log out"))
	}
	return append(keys, k.SwitchOrg, common.As(k.Copy, "copy org"), k.Top, k.Bottom)
}

// WantsNormalScreen reports that the app should leave the full screen for now: the sign-in
// wizard shows an authorize address (see Wizard.WantsNormalScreen).
func (s *Screen) WantsNormalScreen() bool {
	return s.mode == modeWizard && s.wizard != nil && s.wizard.WantsNormalScreen()
}

// View renders the screen body.
func (s *Screen) View() string {
	switch s.mode {
	case modeWizard:
		return s.wizard.View()
	case modeConfirm:
		return s.confirm.View(s.c.Styles, s.c.Keys, s.width, s.height)
	case modePicker:
		return s.picker.view(s.c.Styles, s.c.Keys, s.c.OrgDisplay, s.width, s.height)
	}
	return s.listView()
}

func (s *Screen) recordUse(key string, m common.TokenUsedMsg) {
	if m.Err != nil && !errors.Is(m.Err, api.ErrNotSignedIn) && !errors.Is(m.Err, api.ErrUnauthorized) && !errors.Is(m.Err, api.ErrForbidden) {
		return // the network or Webex failed: that says nothing about the token
	}
	if s.used == nil {
		s.used = map[string]common.TokenUsedMsg{}
	}
	s.used[key] = m
}

// lastUse is the newest answer Webex gave to r's token, if byova has used it this run.
func (s *Screen) lastUse(r *tokenRow) (common.TokenUsedMsg, bool) {
	keys := []string{r.key()}
	switch {
	case r.kind == config.KindServiceApp:
		keys = append(keys, "org:"+r.org)
	case s.isCaller(r):
		keys = append(keys, "caller")
	}
	var last common.TokenUsedMsg
	found := false
	for _, k := range keys {
		if m, ok := s.used[k]; ok && (!found || m.At.After(last.At)) {
			last, found = m, true
		}
	}
	return last, found
}

// isCaller reports that r is the token webhooks are managed with: WEBEX_ACCESS_TOKEN, else
// the Integration, else the personal access token (the session's order).
func (s *Screen) isCaller(r *tokenRow) bool {
	for _, kind := range []string{kindEnvCaller, config.KindIntegration, config.KindPAT} {
		for i := range s.snap.rows {
			if s.snap.rows[i].kind == kind {
				return r.kind == kind
			}
		}
	}
	return false
}
