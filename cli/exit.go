package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/byova/byova/api"
	"github.com/byova/byova/fleet"
	"github.com/byova/byova/safetext"
)

// Exit codes (cli.md): scripts rely on them.
const (
	ExitOK      = 0
	ExitError   = 1 // Webex or network error
	ExitUsage   = 2 // bad usage or input; nothing was sent
	ExitSignIn  = 3 // not signed in or sign-in expired
	ExitPartial = 4 // some of several items failed
	// ExitInterrupted is 128 + SIGINT, what a shell reports for a program ^C stopped.
	ExitInterrupted = 130
)

// interrupted is the cause of a command context cancelled by a signal.
type interrupted struct{ sig os.Signal }

func (i *interrupted) Error() string {
	switch i.sig {
	case syscall.SIGTERM:
		return "terminated"
	case syscall.SIGHUP:
		return "the terminal hung up"
	}
	return "interrupted"
}

// code is 128 + the signal's number, as shells report it: 130 for SIGINT, 143 for SIGTERM,
// 129 for SIGHUP.
func (i *interrupted) code() int {
	if s, ok := i.sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return ExitInterrupted
}

// signalContext is cancelled, with an *interrupted cause, by the first SIGINT, SIGTERM or
// SIGHUP; commands see their context end and stop, and clean up as they do on ^C (the
// TUI's demo folder, a bulk run's last rows). SIGHUP is what a dropped SSH session or a
// closed terminal sends; under nohup it stays ignored. The second signal gets the default
// handling, so a command that does not stop in time ends at once.
func signalContext() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, watchedSignals()...)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			signal.Stop(sigs)
			cancel(&interrupted{sig: sig})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}

// watchedSignals are the signals signalContext turns into a cancelled context. SIGHUP is left
// out when it is ignored (nohup): Notify would turn the ignoring off.
func watchedSignals() []os.Signal {
	sigs := []os.Signal{os.Interrupt, syscall.SIGTERM}
	if !signal.Ignored(syscall.SIGHUP) {
		sigs = append(sigs, syscall.SIGHUP)
	}
	return sigs
}

// interruptedBy reports the signal that cancelled ctx, if one did.
func interruptedBy(ctx context.Context) (*interrupted, bool) {
	var in *interrupted
	ok := errors.As(context.Cause(ctx), &in)
	return in, ok
}

// usageError is bad input caught before anything is sent.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// partialError reports that some items of a batch failed (their lines were printed already).
type partialError struct{ failed, total int }

// silentError ends a command with an exit code after it has said why on its own (doctor).
type silentError struct{ code int }

func (e *silentError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func (e *partialError) Error() string {
	return fmt.Sprintf("%d of %d failed", e.failed, e.total)
}

// exitCode maps an error to the documented exit code.
func exitCode(err error) int {
	var ue *usageError
	var pe *partialError
	var se *silentError
	switch {
	case errors.As(err, &se):
		return se.code
	case err == nil:
		return ExitOK
	case errors.As(err, &ue):
		return ExitUsage
	case errors.As(err, &pe):
		return ExitPartial
	case errors.Is(err, api.ErrNotSignedIn), errors.Is(err, api.ErrUnauthorized), errors.Is(err, api.ErrClientRefused):
		return ExitSignIn
	case errors.Is(err, context.Canceled):
		return ExitError
	}
	return ExitError
}

// describe is the stderr text for err: the error as it is (Webex's message, details and
// trackingId are in it) and fleet.Describe's hint, the one the UI's banner and the keeper's
// log line show too. A sign-in error names its fix in its own text.
func describe(err error) string {
	// Text, not Line: byova's own sentences keep their line breaks; Webex's words in an
	// api.Error were made one safe line each already, and anything else unsafe is still escaped.
	msg := "byova: " + safetext.Text(err.Error())
	if errors.Is(err, api.ErrNotSignedIn) {
		return msg
	}
	if h := fleet.Describe(err).HintWith("run the command again"); h != "" {
		msg += "\n  hint: " + safetext.Line(h)
	}
	return msg
}
