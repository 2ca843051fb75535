package config

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
)

// notifier is where config says what it changed on its own, such as a folder's mode set back
// to 0700. The CLI points it at stderr, the terminal UI at its log, so the note never lands
// on top of a drawn screen.
var notifier atomic.Pointer[func(string)]

// noticed remembers what was said, so each note appears once per process.
var noticed sync.Map

// SetNotifier sets where config's notes go; nil restores the default (stderr).
func SetNotifier(fn func(msg string)) {
	if fn == nil {
		notifier.Store(nil)
		return
	}
	notifier.Store(&fn)
}

// noticeOnce says msg, unless a note with the same key was said already.
func noticeOnce(key, msg string) {
	if _, seen := noticed.LoadOrStore(key, true); seen {
		return
	}
	if fn := notifier.Load(); fn != nil {
		(*fn)(msg)
		return
	}
	fmt.Fprintln(os.Stderr, "byova: "+msg)
}
