package tui

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/byova/byova/safetext"
	"github.com/byova/byova/screens/auth"
	"github.com/byova/byova/session"
	"github.com/byova/byova/signin"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/signintext"
	"github.com/byova/byova/ui/styles"
)

// SignInOptions configure `byova auth login` in a terminal: the wizard of screen 4, drawn
// inline as its own small program.
type SignInOptions struct {
	Session *session.Session
	Env     signin.Env
	Method  string // "" lets the person choose
	NoColor bool
	Input   io.Reader // the terminal
	Output  io.Writer // where the wizard draws (stderr, so stdout keeps only the result)
	Logger  *slog.Logger
}

// RunSignIn runs the sign-in wizard as its own small program, drawn inline (no alternate
// screen) so the terminal keeps what happened. It returns once signed in, or with why not
// (ui/signintext explains it). The CLI reaches the wizard through here, as it reaches the
// screens through Run: no command imports a screen.
func RunSignIn(ctx context.Context, o SignInOptions) (signin.Outcome, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c := common.New(ctx, o.Session, styles.New(o.NoColor), o.Logger, nil)
	m := &loginModel{c: c, w: auth.NewWizard(c, o.Env, o.Method)}
	m.w.PrintAddressAbove() // inline: the address goes above, unbroken
	m.w.SetSize(80, 22)     // until the terminal says its size
	c.Width, c.Height = 80, 24
	m.spin = spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(c.Styles.Spinner))
	// The size holds until a terminal says its own (it does, at once, when Output is one).
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithInput(o.Input), tea.WithOutput(o.Output), tea.WithWindowSize(80, 24)}
	if o.NoColor {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	_, err := tea.NewProgram(m, opts...).Run()
	m.w.Close()
	out, werr := m.w.Result()
	switch {
	case out != nil:
		return *out, nil
	case werr != nil:
		return signin.Outcome{}, &signintext.FailedError{Method: m.w.Method(), Err: werr}
	case err != nil && !errors.Is(err, tea.ErrInterrupted) && !errors.Is(err, tea.ErrProgramKilled):
		return signin.Outcome{}, err
	}
	return signin.Outcome{}, signintext.ErrCancelled
}

// loginModel hosts the wizard for `byova auth login`.
type loginModel struct {
	c           *common.Common
	w           *auth.Wizard
	spin        spinner.Model
	notice      string
	noticeUntil time.Time // the notice goes at the first tick after this
	quitting    bool
}

func (m *loginModel) Init() tea.Cmd {
	return tea.Batch(m.w.Init(), m.tick(), m.spin.Tick)
}

func (m *loginModel) tick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return common.TickMsg{Time: t} })
}

func (m *loginModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if a, ok := msg.(common.Answer); ok {
		m.c.Finish(a.Head().ID)
	}
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		if msg.Width <= 0 || msg.Height <= 0 {
			return m, nil // not a terminal: keep the default size
		}
		m.c.Width, m.c.Height = msg.Width, msg.Height
		m.w.SetSize(msg.Width, min(max(msg.Height-2, 10), 30))
		return m, nil
	case tea.KeyPressMsg:
		if key.Matches(msg, m.c.Keys.ForceQuit) {
			m.w.Close()
			m.quitting = true
			return m, tea.Quit
		}
		cmd = m.w.Update(msg)
	case common.TickMsg:
		if m.notice != "" && !msg.Time.Before(m.noticeUntil) {
			m.notice = ""
		}
		return m, m.tick()
	case common.NoticeMsg:
		m.notice, m.noticeUntil = safetext.Line(msg.Text), m.c.Now().Add(noticeFor)
		return m, nil
	case spinner.TickMsg:
		m.spin, cmd = m.spin.Update(msg)
		m.w.SetSpinner(m.spin.View())
		return m, cmd
	default:
		cmd = m.w.Update(msg)
	}
	if m.w.Closed() || m.w.Done() {
		m.quitting = true
		return m, tea.Batch(cmd, tea.Quit)
	}
	return m, cmd
}

// View draws the wizard and its keys; nothing once it is over (the command prints the result).
func (m *loginModel) View() tea.View {
	var v tea.View
	if m.quitting {
		v.SetContent("")
		return v
	}
	st := m.c.Styles
	var keys []string
	for _, b := range m.w.KeyMap() {
		h := b.Help()
		if h.Key != "" {
			keys = append(keys, st.Key.Render(h.Key)+" "+st.KeyDesc.Render(h.Desc))
		}
	}
	q := m.c.Keys.ForceQuit.Help()
	keys = append(keys, st.Key.Render(q.Key)+" "+st.KeyDesc.Render("quit"))
	// The keys keep their line (cut with an ellipsis when narrow); a notice takes the line
	// above them, so it never hides a key.
	footer := format.Cut(strings.Join(keys, st.Muted.Render(" · ")), m.c.Width)
	note := ""
	if m.notice != "" {
		note = format.Cut(st.Notice.Render(styles.GlyphNotice+" "+m.notice), m.c.Width)
	}
	v.SetContent(m.w.View() + "\n" + note + "\n" + footer)
	return v
}
