package signin

import (
	"crypto/rand"
	"encoding/base64"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/cli/browser"
)

// DefaultTimeout is how long the wizard waits for the browser to come back with a code.
const DefaultTimeout = 5 * time.Minute

// Env is what the wizard needs from the machine it runs on. Tests replace every part: the
// browser opener performs the redirect itself, the state is fixed, the timeout short.
type Env struct {
	Getenv    func(string) string    // os.Getenv
	OpenURL   func(url string) error // opens the system browser; nil: never open one
	NewState  func() string          // the OAuth state; nil: 16 random bytes, URL-safe
	Timeout   time.Duration          // wait for the redirect; 0: DefaultTimeout
	GOOS      string                 // runtime.GOOS
	NoBrowser bool                   // --no-browser: never open one, prefer pasting
}

func (e Env) getenv(k string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(k)
}

// Wait is how long to wait for the browser's redirect.
func (e Env) Wait() time.Duration {
	if e.Timeout > 0 {
		return e.Timeout
	}
	return DefaultTimeout
}

// State draws the OAuth state of an attempt (Env.NewState, else RandomState).
func (e Env) State() string {
	if e.NewState != nil {
		return e.NewState()
	}
	return RandomState()
}

// RemoteSession reports that byova runs over SSH: a browser opened here would not be in front
// of the person.
func (e Env) RemoteSession() bool {
	return e.getenv("SSH_CONNECTION") != "" || e.getenv("SSH_TTY") != "" || e.getenv("SSH_CLIENT") != ""
}

// CanOpenBrowser reports whether opening a browser here reaches the person: not over SSH, not
// with --no-browser, and on Linux (and the BSDs) only with a graphical session.
func (e Env) CanOpenBrowser() bool {
	if e.OpenURL == nil || e.NoBrowser || e.RemoteSession() {
		return false
	}
	goos := e.GOOS
	if goos == "" {
		goos = runtime.GOOS
	}
	switch goos {
	case "darwin", "windows":
		return true
	}
	return e.getenv("DISPLAY") != "" || e.getenv("WAYLAND_DISPLAY") != ""
}

// RandomState is a fresh OAuth state: 16 random bytes, URL-safe base64 (as the Webex SDK does).
func RandomState() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

var quietBrowser sync.Once

// SystemBrowser opens url in the system browser. The opener's own output is discarded: it
// would tear the terminal UI.
func SystemBrowser(url string) error {
	quietBrowser.Do(func() { browser.Stdout, browser.Stderr = io.Discard, io.Discard })
	return browser.OpenURL(url)
}
