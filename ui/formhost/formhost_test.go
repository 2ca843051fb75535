package formhost

import (
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	fixture "github.com/byova/byova/ui/uitest"
)

// twoFields is a host on a form of two inputs, first and second.
func twoFields(first, second *string) *Host {
	h := &Host{}
	h.Reset(huh.NewForm(huh.NewGroup(
		huh.NewInput().Key("first").Value(first),
		huh.NewInput().Key("second").Value(second),
	)))
	h.Form.Init()
	return h
}

// deliver runs cmd's tree synchronously and gives huh's messages to h, the way the runtime
// would; the host's own timeout is a timer and is not run. It returns whether a move ended.
func deliver(h *Host, cmd tea.Cmd) (moved bool) {
	fixture.Drain(func(msg tea.Msg) tea.Cmd {
		c, mv := h.Update(msg)
		moved = moved || mv
		return c
	}, cmd)
	return moved
}

func TestKeysTypedDuringAMoveLandInTheNextField(t *testing.T) {
	var first, second string
	h := twoFields(&first, &second)
	h.Key(fixture.Key("a"))
	move := h.Key(fixture.Key("enter"))
	if !h.Settling() {
		t.Fatal("enter starts a move")
	}
	h.Key(fixture.Key("b"))
	h.Key(fixture.Key("c"))
	if h.Queued() != 2 {
		t.Fatalf("%d keys held, want 2", h.Queued())
	}
	moved := deliver(h, move)
	if !moved {
		t.Fatal("huh's move was not reported")
	}
	open := true
	h.Release(func() bool { return open }, h.Key)
	if h.Settling() || h.Queued() != 0 {
		t.Fatal("the held keys were replayed")
	}
	if first != "a" {
		t.Errorf("first %q", first)
	}
	if v, _ := h.Form.GetFocusedField().GetValue().(string); v != "bc" {
		t.Errorf("second field holds %q, want bc", v)
	}
}

func TestTimeoutReleasesOnlyItsOwnMove(t *testing.T) {
	var first, second string
	h := twoFields(&first, &second)
	h.Key(fixture.Key("a"))
	h.Key(fixture.Key("enter"))
	h.Key(fixture.Key("b"))
	other := twoFields(new(string), new(string))
	if _, moved := other.Update(settleTimeoutMsg{host: h, seq: h.settleSeq}); moved {
		t.Error("another form's timeout must not release this one")
	}
	if _, moved := h.Update(settleTimeoutMsg{host: h, seq: h.settleSeq - 1}); moved {
		t.Error("an older move's timeout must not release this one")
	}
	if _, moved := h.Update(settleTimeoutMsg{host: h, seq: h.settleSeq}); !moved {
		t.Error("the move's own timeout releases the keys")
	}
}

func TestReleaseStopsWhenTheFormCloses(t *testing.T) {
	var first, second string
	h := twoFields(&first, &second)
	h.Key(fixture.Key("enter"))
	h.Key(fixture.Key("x"))
	h.Key(fixture.Key("y"))
	var got []string
	open := true
	h.Release(func() bool { return open }, func(k tea.KeyPressMsg) tea.Cmd {
		got = append(got, k.String())
		open = false // the first key closed the form (esc, say)
		return nil
	})
	if len(got) != 1 {
		t.Fatalf("replayed %v after the form closed", got)
	}
	h.Drop()
	if h.Queued() != 0 || h.Settling() {
		t.Fatal("Drop forgets held keys")
	}
}
