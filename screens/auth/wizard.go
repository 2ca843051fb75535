package auth

import (
	"context"
	"errors"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/signin"
	"github.com/byova/byova/ui/common"
)

// wizStep is where the wizard is.
type wizStep int

const (
	wizPrefill wizStep = iota // reading the settings
	wizForm                   // a huh form: the method choice or the method's fields
	wizBusy                   // asking Webex
	wizWait                   // OAuth: waiting for the browser, or for a pasted address
	wizDone                   // signed in
	wizFailed                 // it did not work; enter tries again
)

// Wizard is the sign-in wizard as a Bubble Tea component (a plain struct: the auth screen and
// `byova auth login` host it). It never shows a secret: inputs are masked and summaries hold
// no token.
type Wizard struct {
	c   *common.Common
	env signin.Env

	step     wizStep
	method   string // fixed by --method; "" lets the person choose
	v        *signin.Values
	choosing bool // the form shows the method choice
	form     *formRunner

	gen      int // bumped on every attempt: answers to older ones are dropped
	attempt  *signin.OAuthAttempt
	cancel   context.CancelFunc
	started  time.Time
	deadline time.Time
	opened   bool  // the browser was opened for this attempt
	openErr  error // opening it failed
	paste    textinput.Model
	pasting  bool  // the paste field has the focus
	pasteErr error // the pasted text is not a redirect address

	busyID   uint64
	busyWhat string

	outcome  *signin.Outcome
	err      error
	announce bool // a sign-in just succeeded and the host has not been told
	closed   bool // the person left the wizard

	width, height int
	spinner       string            // the host's spinner frame, shown while busy
	early         []tea.KeyPressMsg // keys typed before the form was ready

	// printAbove: the authorize address is printed above the wizard as one unbroken line the
	// terminal wraps, so selecting it copies it whole. inline: the wizard is its own program
	// drawn inline (`byova auth login`), so the address is printed at once; in the full-screen
	// app it is printed once the app has left the full screen (see WantsNormalScreen).
	printAbove, inline bool
}

// printAddressMsg prints the authorize address of attempt gen, now that the app has left
// the full screen.
type printAddressMsg struct {
	w   *Wizard
	gen int
}

// addressText is the authorize address as printed above the wizard: one line of its own.
func addressText(url string) string {
	return "Open this address in a browser and approve byova's access:\n\n" + safetext.Line(url) + "\n"
}

// WantsNormalScreen reports that the full-screen app should leave the alternate screen for
// now: the authorize address is shown, and only text printed into the normal screen can be
// one unbroken line the terminal wraps (a full-screen view cuts lines at its width).
func (w *Wizard) WantsNormalScreen() bool {
	return !w.inline && !w.closed && w.step == wizWait && w.attempt != nil && w.attempt.URL != ""
}

// NewWizard builds the wizard; method may be "" (the person chooses). Init reads the settings.
func NewWizard(c *common.Common, env signin.Env, method string) *Wizard {
	ti := textinput.New()
	ti.Prompt = "> "
	ti.Placeholder = "http://127.0.0.1:8765/callback?code=…&state=…"
	ti.SetStyles(c.Styles.TextInput())
	ti.CharLimit = 4096
	return &Wizard{c: c, env: env, method: method, paste: ti, spinner: "…"}
}

// prefilledMsg carries the values read from the settings.
type prefilledMsg struct {
	w   *Wizard
	v   *signin.Values
	err error
}

// attemptMsg is an OAuth attempt ready to show (its listener bound, or not).
type attemptMsg struct {
	w   *Wizard
	gen int
	a   *signin.OAuthAttempt
}

// codeMsg is what the redirect listener got (or its timeout).
type codeMsg struct {
	w    *Wizard
	gen  int
	code string
	err  error
}

// openedMsg says whether the browser opened.
type openedMsg struct {
	w   *Wizard
	gen int
	err error
}

// signedInMsg ends a sign-in request.
type signedInMsg struct {
	w       *Wizard
	gen     int
	outcome signin.Outcome
}

// Init reads the settings into the form values.
func (w *Wizard) Init() tea.Cmd {
	sess, method := w.c.Session, w.method
	return func() tea.Msg {
		if sess == nil {
			return prefilledMsg{w: w, err: &api.SignInError{Reason: "no session to sign in with"}}
		}
		v, err := signin.Prefill(sess, method)
		return prefilledMsg{w: w, v: v, err: err}
	}
}

// SetSize gives the wizard its body size.
func (w *Wizard) SetSize(width, height int) {
	w.width, w.height = width, height
	if w.form != nil {
		w.form.setSize(w.formSize())
	}
	w.paste.SetWidth(max(min(width, formWidth)-8, 10))
}

// formSize leaves room above the form for the heading and the intro, below for huh's errors.
func (w *Wizard) formSize() (int, int) { return w.width, max(w.height-6, 4) }

// Closed reports that the person left the wizard (after signing in, or not).
func (w *Wizard) Closed() bool { return w.closed }

// Finished reports that the wizard has an outcome: signed in or failed.
func (w *Wizard) Finished() bool { return w.step == wizDone || w.step == wizFailed }

// Result is the outcome (nil unless signed in) and the error of the last attempt.
func (w *Wizard) Result() (*signin.Outcome, error) { return w.outcome, w.err }

// TakeSignedIn returns the outcome of a sign-in that just succeeded, once.
func (w *Wizard) TakeSignedIn() *signin.Outcome {
	if !w.announce {
		return nil
	}
	w.announce = false
	return w.outcome
}

// Done reports a sign-in that stored its tokens (the inline host then ends).
func (w *Wizard) Done() bool { return w.step == wizDone }

// SetSpinner is the host's spinner frame, shown while a request is in flight.
func (w *Wizard) SetSpinner(frame string) { w.spinner = frame }

// Close ends the wizard: it stops waiting on the browser and forgets its request.
func (w *Wizard) Close() { w.close() }

// Method is the sign-in method chosen ("" before the person chose one).
func (w *Wizard) Method() string {
	if w.v != nil {
		return w.v.Method
	}
	return w.method
}

// PrintAddressAbove makes the wizard print the authorize address above itself as one line,
// for a wizard drawn inline (no alternate screen), where the terminal wraps what is printed.
func (w *Wizard) PrintAddressAbove() { w.printAbove, w.inline = true, true }

// Busy reports whether a request is in flight (the host shows a spinner).
func (w *Wizard) Busy() bool { return w.step == wizBusy }

// Update handles a message; keys only when the wizard is on screen.
func (w *Wizard) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case prefilledMsg:
		return w.onPrefilled(msg)
	case attemptMsg:
		if msg.w != w || msg.gen != w.gen || w.step != wizBusy {
			msg.a.Close()
			return nil
		}
		return w.waitFor(msg.a)
	case codeMsg:
		if msg.w != w || msg.gen != w.gen || w.step != wizWait {
			return nil
		}
		if msg.err != nil {
			return w.fail(msg.err)
		}
		return w.exchange(msg.code)
	case printAddressMsg:
		if msg.w != w || msg.gen != w.gen || !w.WantsNormalScreen() {
			return nil
		}
		return tea.Println(addressText(w.attempt.URL))
	case openedMsg:
		if msg.w == w && msg.gen == w.gen {
			w.opened, w.openErr = msg.err == nil, msg.err
		}
		return nil
	case common.Reply[signedInMsg]:
		return w.onSignedIn(msg)
	case tea.KeyPressMsg:
		return w.handleKey(msg)
	case tea.PasteMsg:
		if w.step == wizWait {
			// Focus first: a blurred input ignores what it is given.
			w.pasting = true
			w.pasteErr = nil
			focus := w.paste.Focus()
			var cmd tea.Cmd
			w.paste, cmd = w.paste.Update(msg)
			return tea.Batch(focus, cmd)
		}
	}
	switch {
	case w.step == wizForm && w.form != nil:
		return w.formUpdate(msg)
	case w.step == wizWait && w.pasting:
		var cmd tea.Cmd
		w.paste, cmd = w.paste.Update(msg)
		return cmd
	}
	return nil
}

// openForm shows the method choice, or the chosen method's fields.
func (w *Wizard) openForm(choosing bool) tea.Cmd {
	fw, _ := w.formSize()
	k := kit{width: fw}
	pages := []page{k.methodPage(w.v)}
	if !choosing {
		pages = k.pages(w.v)
	}
	w.choosing, w.step = choosing, wizForm
	var cmd tea.Cmd
	fw, fh := w.formSize()
	w.form, cmd = newFormRunner(w.c.Styles, pages, fw, fh)
	return cmd
}

func (w *Wizard) formUpdate(msg tea.Msg) tea.Cmd {
	cmd := w.form.update(msg)
	return tea.Batch(cmd, w.formDone())
}

// formDone moves on when huh completed (or aborted) the form.
func (w *Wizard) formDone() tea.Cmd {
	switch w.form.state() {
	case huh.StateCompleted:
		if w.choosing {
			return w.openForm(false)
		}
		return w.start()
	case huh.StateAborted:
		return w.close()
	}
	return nil
}

func (w *Wizard) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := w.c.Keys
	switch w.step {
	case wizForm:
		if key.Matches(msg, k.Dismiss) && !w.form.selectFiltering() {
			if !w.choosing && w.method == "" {
				return w.openForm(true) // back to the choice
			}
			return w.close()
		}
		return tea.Batch(w.form.key(msg), w.formDone())
	case wizWait:
		return w.waitKey(msg)
	case wizDone:
		if key.Matches(msg, k.Accept, k.Dismiss, k.Quit) {
			return w.close()
		}
	case wizFailed:
		switch {
		case key.Matches(msg, k.Retry):
			return w.retry()
		case key.Matches(msg, k.Dismiss, k.Quit):
			return w.close()
		}
	case wizPrefill:
		if key.Matches(msg, k.Dismiss) {
			return w.close()
		}
		w.early = append(w.early, msg)
	case wizBusy:
		if key.Matches(msg, k.Dismiss) {
			return w.close()
		}
	}
	return nil
}

func (w *Wizard) close() tea.Cmd {
	w.stopAttempt()
	w.closed = true
	if w.busyID != 0 {
		w.c.Finish(w.busyID)
		w.busyID = 0
	}
	return nil
}

// retry returns to the method's fields with what was typed; a rejected token is cleared.
func (w *Wizard) retry() tea.Cmd {
	if w.v == nil {
		return w.Init()
	}
	var rej *signin.RejectedError
	if w.v.Method == signin.MethodPAT && errors.As(w.err, &rej) {
		w.v.PAT = ""
	}
	w.err = nil
	return w.openForm(false)
}

func (w *Wizard) fail(err error) tea.Cmd {
	w.stopAttempt()
	w.err, w.outcome, w.step = err, nil, wizFailed
	return nil
}

// start checks the values again and begins the sign-in.
func (w *Wizard) start() tea.Cmd {
	v := w.v
	if err := v.Check(); err != nil {
		return w.fail(&signin.InputError{Err: err})
	}
	w.gen++
	gen, sess := w.gen, w.c.Session
	ctx, cancel := w.c.Context(2 * signin.CheckTimeout)
	switch v.Method {
	case signin.MethodPAT:
		token := v.PAT
		return w.busy(cancel, "checking the token with Webex", func(env common.Envelope) tea.Msg {
			defer cancel()
			o, err := signin.SignInPAT(ctx, sess, token)
			return common.Reply[signedInMsg]{Envelope: env, Err: err, Payload: signedInMsg{w: w, gen: gen, outcome: o}}
		})
	case signin.MethodServiceApp:
		in := v.ServiceAppInput()
		return w.busy(cancel, "getting the org's token and listing its data sources", func(env common.Envelope) tea.Msg {
			defer cancel()
			o, err := signin.SignInServiceApp(ctx, sess, in)
			return common.Reply[signedInMsg]{Envelope: env, Err: err, Payload: signedInMsg{w: w, gen: gen, outcome: o}}
		})
	}
	cancel()
	oc, state := v.OAuthClient(), w.env.State()
	w.step, w.busyWhat = wizBusy, "preparing the sign-in address"
	return func() tea.Msg { return attemptMsg{w: w, gen: gen, a: signin.BeginOAuth(sess, oc, state)} }
}

// onPrefilled opens the form on the settings read, then gives it the keys typed meanwhile, in
// order.
func (w *Wizard) onPrefilled(msg prefilledMsg) tea.Cmd {
	if msg.w != w {
		return nil
	}
	if msg.err != nil {
		return w.fail(msg.err)
	}
	w.v = msg.v
	var cmd tea.Cmd
	if w.method != "" {
		w.v.Method = w.method
		cmd = w.openForm(false)
	} else {
		cmd = w.openForm(true)
	}
	early := w.early
	w.early = nil
	cmds := []tea.Cmd{cmd}
	for _, k := range early {
		cmds = append(cmds, w.handleKey(k))
	}
	return tea.Batch(cmds...)
}

// onSignedIn finishes the attempt on screen. The wizard's own attempt count decides, not
// common.Judge: a sign-in is a write, and only the attempt on screen may finish it.
func (w *Wizard) onSignedIn(msg common.Reply[signedInMsg]) tea.Cmd {
	in := msg.Payload
	if in.w != w || in.gen != w.gen || msg.ID != w.busyID {
		return nil
	}
	w.busyID = 0
	if msg.Err != nil {
		return w.fail(msg.Err)
	}
	o := in.outcome
	w.outcome, w.err, w.step, w.announce = &o, nil, wizDone, true
	return nil
}

// busy starts a request: the header's spinner turns until its answer arrives.
func (w *Wizard) busy(cancel context.CancelFunc, what string, fn func(env common.Envelope) tea.Msg) tea.Cmd {
	env := w.c.BeginFor(Owner, common.KindWrite, what) // a sign-in stores tokens: never superseded
	w.busyID, w.busyWhat, w.step = env.ID, what, wizBusy
	w.cancel = cancel
	return func() tea.Msg { return fn(env) }
}

// waitFor shows the authorize address and waits on the listener; over SSH (or without a
// listener) the paste field has the focus from the start.
func (w *Wizard) waitFor(a *signin.OAuthAttempt) tea.Cmd {
	w.attempt, w.step = a, wizWait
	w.opened, w.openErr, w.pasteErr = false, nil, nil
	w.paste.Reset()
	w.paste.Placeholder = a.Client.RedirectURI + "?code=…&state=…"
	w.started = w.c.Now()
	w.deadline = w.started.Add(w.env.Wait())
	ctx, cancel := context.WithCancel(w.c.Ctx)
	w.cancel = cancel
	gen := w.gen
	var cmds []tea.Cmd
	if a.Listener != nil {
		l, timeout := a.Listener, w.env.Wait()
		cmds = append(cmds, func() tea.Msg {
			code, err := l.Wait(ctx, timeout)
			return codeMsg{w: w, gen: gen, code: code, err: err}
		})
	}
	if w.env.CanOpenBrowser() {
		open, url := w.env.OpenURL, a.URL
		cmds = append(cmds, func() tea.Msg { return openedMsg{w: w, gen: gen, err: open(url)} })
	}
	if w.inline {
		cmds = append(cmds, tea.Println(addressText(a.URL)))
	} else {
		// The full-screen app leaves the alternate screen while the address shows
		// (WantsNormalScreen); it is printed there a frame later, once the renderer has left
		// (what is printed into the alternate screen is lost).
		w.printAbove = true
		cmds = append(cmds, tea.Tick(common.FrameDelay, func(time.Time) tea.Msg { return printAddressMsg{w: w, gen: gen} }))
	}
	w.pasting = a.Listener == nil || !w.env.CanOpenBrowser()
	if w.pasting {
		cmds = append(cmds, w.paste.Focus())
	} else {
		w.paste.Blur()
	}
	return tea.Batch(cmds...)
}

func (w *Wizard) waitKey(msg tea.KeyPressMsg) tea.Cmd {
	k := w.c.Keys
	if w.pasting {
		switch {
		case key.Matches(msg, k.Accept):
			return w.submitPaste()
		case key.Matches(msg, k.CopyURL) && w.paste.Value() == "":
			// An address starts with http: the copy key in the empty field copies, it does
			// not type.
			return w.copyAddress()
		case key.Matches(msg, k.Dismiss):
			if w.attempt != nil && w.attempt.Listener != nil && w.paste.Value() == "" {
				w.pasting = false
				w.paste.Blur()
				return nil
			}
			return w.close()
		}
		var cmd tea.Cmd
		w.paste, cmd = w.paste.Update(msg)
		w.pasteErr = nil
		return cmd
	}
	switch {
	case key.Matches(msg, k.CopyURL):
		return w.copyAddress()
	case key.Matches(msg, k.Browser):
		if w.env.OpenURL != nil && !w.env.NoBrowser {
			open, url, gen := w.env.OpenURL, w.attempt.URL, w.gen
			return func() tea.Msg { return openedMsg{w: w, gen: gen, err: open(url)} }
		}
	case key.Matches(msg, k.Paste):
		w.pasting = true
		return w.paste.Focus()
	case key.Matches(msg, k.Dismiss, k.Quit):
		return w.close()
	}
	if msg.Text != "" {
		// A paste the terminal sent as keys (no bracketed paste): its first key opens the
		// field and is kept, so "https://…" arrives whole.
		w.pasting = true
		w.pasteErr = nil
		focus := w.paste.Focus()
		var cmd tea.Cmd
		w.paste, cmd = w.paste.Update(msg)
		return tea.Batch(focus, cmd)
	}
	return nil
}

// copyAddress sends the authorize address to the terminal's clipboard (OSC 52).
func (w *Wizard) copyAddress() tea.Cmd {
	return tea.Batch(tea.SetClipboard(w.attempt.URL), common.Notice("sent the sign-in address to the clipboard (OSC 52)"))
}

// submitPaste reads code and state from the pasted address. A denial or a foreign state ends
// the attempt; text that is no redirect address just says so.
func (w *Wizard) submitPaste() tea.Cmd {
	addr := w.paste.Value()
	if err := signin.ValidAddress(addr); err != nil {
		w.pasteErr = err
		return nil
	}
	code, err := w.attempt.CodeFromAddress(addr)
	var denied *api.OAuthDenied
	switch {
	case err == nil:
		return w.exchange(code)
	case errors.As(err, &denied), errors.Is(err, api.ErrStateMismatch):
		return w.fail(err)
	}
	w.pasteErr = err
	return nil
}

// exchange trades the code for tokens and stores them.
func (w *Wizard) exchange(code string) tea.Cmd {
	oc := w.attempt.Client
	w.stopAttempt()
	sess, gen := w.c.Session, w.gen
	ctx, cancel := w.c.Context(2 * signin.CheckTimeout)
	return w.busy(cancel, "exchanging the code for a token", func(env common.Envelope) tea.Msg {
		defer cancel()
		o, err := signin.FinishOAuth(ctx, sess, oc, code)
		return common.Reply[signedInMsg]{Envelope: env, Err: err, Payload: signedInMsg{w: w, gen: gen, outcome: o}}
	})
}

// stopAttempt stops waiting and closes the listener.
func (w *Wizard) stopAttempt() {
	if w.cancel != nil {
		w.cancel()
		w.cancel = nil
	}
	if w.attempt != nil {
		a := w.attempt
		w.attempt = nil
		go a.Close() // Shutdown waits for the browser's connection to finish
	}
	w.pasting = false
	w.paste.Blur()
}

// KeyMap lists the keys that apply now.
func (w *Wizard) KeyMap() []key.Binding {
	k := w.c.Keys
	switch w.step {
	case wizForm:
		back := common.As(k.Dismiss, "cancel")
		if !w.choosing && w.method == "" {
			back = common.As(k.Dismiss, "back")
		}
		out := []key.Binding{back}
		if w.form != nil {
			out = append(out, w.form.keys()...)
		}
		return out
	case wizWait:
		if w.pasting {
			out := []key.Binding{common.As(k.Accept, "use this address")}
			if w.paste.Value() == "" {
				out = append(out, k.CopyURL)
			}
			if w.attempt != nil && w.attempt.Listener != nil {
				return append(out, common.As(k.Dismiss, "back"))
			}
			return append(out, common.As(k.Dismiss, "cancel"))
		}
		out := []key.Binding{k.CopyURL, k.Paste}
		if w.env.OpenURL != nil && !w.env.NoBrowser && w.env.CanOpenBrowser() {
			out = append(out, k.Browser)
		}
		return append(out, common.As(k.Dismiss, "cancel"))
	case wizDone:
		return []key.Binding{common.As(k.Accept, "done")}
	case wizFailed:
		return []key.Binding{common.As(k.Retry, "try again"), common.As(k.Dismiss, "back")}
	}
	return []key.Binding{common.As(k.Dismiss, "cancel")}
}
