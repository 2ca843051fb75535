package uitest

import (
	"reflect"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// Quiet is how long Drain waits for one more message before it takes what is left for timers
// (cursor blink, timeouts). Generous, so a slow loopback answer on a loaded CI machine is not
// mistaken for one.
const Quiet = 100 * time.Millisecond

var (
	huhPath = reflect.TypeOf(huh.Form{}).PkgPath()
	cmdType = reflect.TypeOf(tea.Cmd(nil))
)

// Drain runs cmd's tree the way the runtime would and returns the messages it produced: batches
// run together, sequences (huh's Init) in order, huh's own messages go back through update, and
// it stops once nothing arrives for Quiet while settling (a form between fields) is false.
func Drain(update func(tea.Msg) tea.Cmd, settling func() bool, cmd tea.Cmd) []tea.Msg {
	ch := make(chan tea.Msg, 64)
	pending := 0
	launch := func(c tea.Cmd) {
		if c != nil {
			pending++
			go func() { ch <- c() }()
		}
	}
	launch(cmd)
	var out []tea.Msg
	for pending > 0 {
		select {
		case msg := <-ch:
			pending--
			switch m := msg.(type) {
			case nil:
			case tea.BatchMsg:
				for _, c := range m {
					launch(c)
				}
			default:
				if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
					for i := range v.Len() {
						if c := v.Index(i).Interface().(tea.Cmd); c != nil {
							out = append(out, Drain(update, settling, c)...)
						}
					}
					continue
				}
				if reflect.TypeOf(msg).PkgPath() == huhPath {
					launch(update(msg))
				} else {
					out = append(out, msg)
				}
			}
		case <-time.After(Quiet):
			if settling != nil && settling() {
				continue // huh's field move is still on its way
			}
			return out
		}
	}
	return out
}

// Run executes a command as the runtime would (batches included) and returns the messages that
// arrive within 200 ms; timers are left out.
func Run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case msg := <-ch:
		if b, ok := msg.(tea.BatchMsg); ok {
			var out []tea.Msg
			for _, c := range b {
				out = append(out, Run(c)...)
			}
			return out
		}
		if msg == nil {
			return nil
		}
		return []tea.Msg{msg}
	case <-time.After(200 * time.Millisecond):
		return nil
	}
}

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
