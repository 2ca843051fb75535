package uitest

import (
	"reflect"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// Driver runs a whole model the way the runtime does (each command on its own goroutine,
// every message back through update) but counts the commands still running, so Settle
// returns exactly when all of them have answered: it never waits for quiet. Timers are not
// run (IsTimer) and the cursor's messages are dropped by type; a test moves the clock itself.
type Driver struct {
	t       testing.TB
	update  func(tea.Msg) tea.Cmd
	ch      chan tea.Msg
	pending int
	waiting int // commands that wait for someone outside (a browser's redirect): Settle leaves them
}

// NewDriver drives update (the model's Update, its command returned).
func NewDriver(t testing.TB, update func(tea.Msg) tea.Cmd) *Driver {
	// Buffered: a command still running when the test ends (held at a gate) must not be stuck
	// sending forever.
	return &Driver{t: t, update: update, ch: make(chan tea.Msg, 256)}
}

// Launch runs cmd as the runtime would, without waiting for it.
func (d *Driver) Launch(cmd tea.Cmd) {
	if cmd == nil || IsTimer(cmd) {
		return
	}
	if isBundle(cmd) {
		// Unpacked at once, so the count is of the commands that do something: SettleBut's
		// "n still running" never counts a batch that has not been opened yet.
		d.Send(cmd())
		return
	}
	d.pending++
	ch := d.ch // not d: a command still running must not keep the model alive (tui's BenchmarkScaleHeap)
	go func() { ch <- cmd() }()
}

// Send gives msg to the model (a batch or sequence is run as the runtime would) and launches
// what it returns, without waiting.
func (d *Driver) Send(msg tea.Msg) {
	switch m := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range m {
			d.Launch(c)
		}
		return
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
		for i := range v.Len() { // tea.Sequence: in order
			if c := v.Index(i).Interface().(tea.Cmd); c != nil && !IsTimer(c) {
				d.Send(c())
			}
		}
		return
	}
	if reflect.TypeOf(msg).PkgPath() == cursorPath {
		return
	}
	d.Launch(d.update(msg))
}

// Settle takes the answers of the commands launched, and of the ones those launch, until none
// is left running but the ones Waiting named.
func (d *Driver) Settle() {
	d.t.Helper()
	d.SettleBut(d.waiting)
}

// Waiting says that n commands now wait for something the test does not do (a person's
// browser) and that Settle is to leave them running.
func (d *Driver) Waiting(n int) { d.waiting = n }

// SettleBut is Settle with n commands allowed to stay running (held at a Gate).
func (d *Driver) SettleBut(n int) {
	d.t.Helper()
	d.settle(func() bool { return d.pending <= n })
}

// SettleUntil takes answers until cond holds (checked before each one): for a state that
// starts a command that waits for someone outside, which Settle would wait for.
func (d *Driver) SettleUntil(cond func() bool) {
	d.t.Helper()
	d.settle(cond)
}

func (d *Driver) settle(done func() bool) {
	d.t.Helper()
	deadline := time.NewTimer(Patience)
	defer deadline.Stop()
	for !done() {
		select {
		case msg := <-d.ch:
			d.pending--
			d.Send(msg)
		case <-deadline.C:
			d.t.Fatalf("%d commands still running after %s", d.pending, Patience)
		}
	}
}

// Press sends keys one by one, letting each one's commands finish.
func (d *Driver) Press(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		d.Send(Key(k))
		d.Settle()
	}
}

// TypeText sends the key presses of typing text, then lets their commands finish.
func (d *Driver) TypeText(text string) {
	d.t.Helper()
	for _, k := range Type(text) {
		d.Send(k)
	}
	d.Settle()
}
