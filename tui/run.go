package tui

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/byova/byova/session"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/styles"
)

// Options is what the root command passes to the UI.
type Options struct {
	Session   *session.Session // reaches Webex; its Settings hold profile, org, readonly
	Demo      bool             // show "DEMO" in the header
	NoColor   bool             // --no-color or NO_COLOR non-empty: no colour at all
	ASCII     bool             // ASCII symbols and borders only (styles.ASCIIWanted)
	AltScreen bool             // false with --no-alt-screen
	Mouse     bool             // --mouse
	Logger    *slog.Logger     // --debug log or discard; never stdout while the UI runs
	Input     io.Reader        // nil: stdin
	Output    io.Writer        // nil: stdout
	User      string           // `byova serve`'s SSH console: "name · role", shown in the header
	Keys      *common.KeyMap   // nil: the defaults; see Keys for config.toml's [keys]
	// EndpointRoots are extra CAs for probing and calling gateways (p, c); nil: system roots.
	EndpointRoots *x509.CertPool
	// FirstShown runs once, a frame delay after the first screen's first answer, when that
	// frame is on the terminal (the CLI puts back the GC target it raised for the load). Run only.
	FirstShown func()
}

// New builds the root model.
func New(o Options) *Model {
	return newWith(context.Background(), o, nil)
}

// newWith builds the root model with a context for its requests and a clock (nil: time.Now;
// tests pass a fixed one so countdowns are stable).
func newWith(ctx context.Context, o Options, clock func() time.Time) *Model {
	st := styles.New(o.NoColor)
	st.ASCII = o.ASCII
	c := common.New(ctx, o.Session, st, o.Logger, clock)
	c.Demo = o.Demo
	c.EndpointRoots = o.EndpointRoots
	if o.Keys != nil {
		k := *o.Keys // each UI its own copy: serve runs several
		c.Keys = &k
	}
	return newModel(c, o)
}

// ProgramOptions are the tea.Program options Run uses for o (tests and benchmarks reuse them).
func ProgramOptions(ctx context.Context, o Options) []tea.ProgramOption {
	opts := []tea.ProgramOption{tea.WithContext(ctx)}
	if o.Input != nil {
		opts = append(opts, tea.WithInput(o.Input))
	}
	if o.Output != nil {
		opts = append(opts, tea.WithOutput(o.Output))
	}
	if o.NoColor {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	return opts
}

// maxFPS is the local UI's frame rate: Bubble Tea's ceiling.
const maxFPS = 120

// Run shows the UI until the person quits (q or ctrl+c: nil) or ctx ends (ctx.Err()).
func Run(ctx context.Context, o Options) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops requests still in flight
	m := newWith(ctx, o, nil)
	m.firstShown = o.FirstShown
	// Init's loads (the list first of all) start now, not after the terminal is set up (7–20
	// ms on a loaded machine): what they answer waits for the program.
	m.started = startEarly(m.Init())
	// The renderer draws on a ticker: at 120 frames a second, the most Bubble Tea allows, a
	// change reaches the screen within 8 ms of the model making it rather than 17 (the list's
	// first full frame, each keystroke). A tick with nothing new costs a comparison; idle, the
	// UI's CPU stays under 0.1%. serve keeps the default 60: its frames are bytes over SSH.
	opts := append(ProgramOptions(ctx, o), tea.WithFPS(maxFPS))
	_, err := tea.NewProgram(m, opts...).Run()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, tea.ErrInterrupted):
		return nil // SIGINT: the person wanted out, as with ctrl+c
	}
	return fmt.Errorf("terminal UI: %w", err)
}

// startEarly runs cmd, and each command of a batch it answers, on goroutines of their own now,
// and returns commands that hand over their answers when the program asks. A panic is raised
// again where the program runs the command, as if it had run there.
func startEarly(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	type answer struct {
		msg   tea.Msg
		panic any
	}
	ch := make(chan answer, 1)
	go func() {
		var a answer
		defer func() {
			a.panic = recover()
			ch <- a
		}()
		a.msg = cmd()
		if b, ok := a.msg.(tea.BatchMsg); ok {
			early := make(tea.BatchMsg, len(b))
			for i, c := range b {
				early[i] = startEarly(c)
			}
			a.msg = early
		}
	}()
	return func() tea.Msg {
		a := <-ch
		if a.panic != nil {
			panic(a.panic)
		}
		return a.msg
	}
}
