package auth_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/byova/byova/signin"
	"github.com/byova/byova/tui"
	"github.com/byova/byova/ui/signintext"
	fixture "github.com/byova/byova/ui/uitest"
)

// syncBuffer is the terminal the wizard draws on (written by the program's goroutine).
type syncBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	written chan struct{} // a wake-up after each write
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case s.written <- struct{}{}:
	default:
	}
	return s.b.Write(p)
}

// waitFor waits until the drawing holds want, woken by the program's writes.
func (s *syncBuffer) waitFor(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(fixture.Patience)
	for !strings.Contains(ansi.Strip(s.String()), want) {
		select {
		case <-s.written:
		case <-deadline:
			t.Fatalf("the wizard never drew %q:\n%s", want, s.String())
		}
	}
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type loginResult struct {
	o   signin.Outcome
	err error
}

// runLogin runs `byova auth login`'s program with keys typed on in.
func runLogin(t *testing.T, o tui.SignInOptions) (io.Writer, *syncBuffer, chan loginResult) {
	t.Helper()
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.Close() })
	out := &syncBuffer{written: make(chan struct{}, 1)}
	o.Input, o.Output, o.NoColor = pr, out, true
	done := make(chan loginResult, 1)
	go func() {
		res, err := tui.RunSignIn(context.Background(), o)
		done <- loginResult{res, err}
	}()
	return pw, out, done
}

func waitLogin(t *testing.T, done chan loginResult, out *syncBuffer) loginResult {
	t.Helper()
	select {
	case r := <-done:
		return r
	case <-time.After(fixture.Patience):
		t.Fatalf("the wizard did not finish; it drew:\n%s", out.String())
	}
	return loginResult{}
}

// TestRunLogin drives the inline wizard of `byova auth login` with keys: a personal access
// token typed (masked) and enter; then ctrl+c, which stores nothing.
func TestRunLogin(t *testing.T) {
	fake := startFake(t)
	s := newSession(t, isolate(t), fake.URL(), nil)
	pat := fake.Creds().PersonalAccessToken

	in, out, done := runLogin(t, tui.SignInOptions{Session: s, Method: signin.MethodPAT})
	io.WriteString(in, pat+"\r")
	r := waitLogin(t, done, out)
	if r.err != nil || r.o.Method != signin.MethodPAT || !strings.Contains(r.o.Who, "Ken Thompson") {
		t.Fatalf("outcome %+v, %v\n%s", r.o, r.err, out.String())
	}
	if strings.Contains(out.String(), pat) || !strings.Contains(out.String(), "Sign in with a personal access token") {
		t.Fatalf("the wizard's drawing:\n%s", out.String())
	}

	// The method chosen with the arrows; ctrl+c leaves without storing anything.
	s2 := newSession(t, t.TempDir(), fake.URL(), nil)
	in, out, done = runLogin(t, tui.SignInOptions{Session: s2})
	io.WriteString(in, "\x1b[B\r")
	out.waitFor(t, "Token") // the next page is up: ctrl+c leaves it, not the method picker
	io.WriteString(in, "\x03")
	r = waitLogin(t, done, out)
	if !errors.Is(r.err, signintext.ErrCancelled) || !strings.Contains(out.String(), "Token") {
		t.Fatalf("ctrl+c: %v\n%s", r.err, out.String())
	}
	if stored(t, s2).PAT != nil {
		t.Fatal("nothing may be stored")
	}
}
