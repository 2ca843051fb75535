package uitest

import (
	"github.com/byova/byova/ui/common"

	"reflect"
	"regexp"
	"runtime"

	"charm.land/bubbles/v2/cursor"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

var (
	huhPath    = reflect.TypeOf(huh.Form{}).PkgPath()
	cursorPath = reflect.TypeOf(cursor.Model{}).PkgPath()
	cmdType    = reflect.TypeOf(tea.Cmd(nil))

	// timerFunc matches the closures whose commands only wait for a clock: those tea.Tick and
	// tea.Every make (the root's clock, the form's settle timeout, spinners) and the cursor's
	// blink. A test never runs them: what they would deliver is a timer message. Inlining
	// names a closure after the function it was inlined into too ("pkg.caller.Tick.func1"),
	// so the match is on the end of the name.
	timerFunc = regexp.MustCompile(`\.(Tick|Every|Blink)\.func\d+$`)
	// bundleFunc matches the closures of tea.Batch and tea.Sequence: they only return their
	// commands.
	bundleFunc = regexp.MustCompile(`\.compactCmds\[`)
)

func funcName(f any) string { return runtime.FuncForPC(reflect.ValueOf(f).Pointer()).Name() }

// IsTimer reports that cmd only waits for a clock (a closure made by tea.Tick, tea.Every or the
// cursor's blink).
func IsTimer(cmd tea.Cmd) bool { return timerFunc.MatchString(funcName(cmd)) }

// isBundle reports that cmd is a tea.Batch or tea.Sequence: it answers at once with commands.
func isBundle(cmd tea.Cmd) bool { return bundleFunc.MatchString(funcName(cmd)) }

// Drain runs cmd's tree synchronously, in order, on the test's goroutine: batches one command
// after another, sequences (huh's Init) in order, huh's own messages go back through update
// (as the runtime would deliver them) and their commands run too. Timers are dropped without
// running and the cursor's messages by type, so nothing waits for a clock. It returns the
// other messages, for the test to look at or feed back.
func Drain(update func(tea.Msg) tea.Cmd, cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	var run func(tea.Cmd)
	run = func(c tea.Cmd) {
		if c == nil || IsTimer(c) {
			return
		}
		msg := c()
		switch m := msg.(type) {
		case nil:
			return
		case tea.BatchMsg:
			for _, c := range m {
				run(c)
			}
			return
		}
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
			for i := range v.Len() { // tea.Sequence's unexported message
				run(v.Index(i).Interface().(tea.Cmd))
			}
			return
		}
		switch reflect.TypeOf(msg).PkgPath() {
		case cursorPath:
		case huhPath:
			if update != nil {
				run(update(msg))
			}
		default:
			out = append(out, msg)
		}
	}
	run(cmd)
	return out
}

// Run executes a command as the runtime would (batches and sequences included) and returns
// its messages; timers are dropped.
func Run(cmd tea.Cmd) []tea.Msg { return Drain(nil, cmd) }

// Find returns the first message of type T.
func Find[T any](msgs []tea.Msg) (T, bool) {
	for _, m := range msgs {
		if v, ok := m.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}

// FindReply returns the first request reply among msgs whose payload is a T.
func FindReply[T any](msgs []tea.Msg) (common.Reply[T], bool) {
	for _, m := range msgs {
		if r, ok := m.(common.Reply[T]); ok {
			return r, true
		}
	}
	return common.Reply[T]{}, false
}

// Reply is the answer to request id of c as its command would send it: the envelope c wrote
// down when the request began (an id c does not know gets c's generation and no owner).
func Reply[T any](c *common.Common, id uint64, payload T, err error) common.Reply[T] {
	e, ok := c.Asked(id)
	if !ok {
		e = common.Envelope{ID: id, Gen: c.Gen}
	}
	return common.Reply[T]{Envelope: e, Err: err, Payload: payload}
}
