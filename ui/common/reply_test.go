package common

import (
	"context"
	"errors"
	"testing"
)

// TestJudge is the one staleness rule: per owner and kind only the newest answer is wanted,
// an org switch supersedes every read, and a write is never superseded: after a switch it is
// Previous (reported), never dropped.
func TestJudge(t *testing.T) {
	c := New(context.Background(), nil, nil, nil, nil)
	const a, b Owner = "a", "b"
	load1 := c.BeginFor(a, KindLoad, "loading")
	write1 := c.BeginFor(a, KindWrite, "writing")
	load2 := c.BeginFor(a, KindLoad, "reloading")
	write2 := c.BeginFor(a, KindWrite, "writing again")
	detail := c.BeginFor(a, KindDetail, "detail")
	otherLoad := c.BeginFor(b, KindLoad, "b's load")
	check := []struct {
		name string
		env  Envelope
		want Standing
	}{
		{"an older load", load1, Superseded},
		{"the newest load", load2, Wanted},
		{"an older write", write1, Wanted},
		{"the newest write", write2, Wanted},
		{"another kind of the same owner", detail, Wanted},
		{"another owner's load of the same kind", otherLoad, Wanted},
	}
	for _, k := range check {
		if got := c.Judge(Reply[int]{Envelope: k.env}); got != k.want {
			t.Errorf("%s: %v, want %v", k.name, got, k.want)
		}
	}
	if c.Newest(a, KindLoad) != load2.ID || c.Newest(a, KindWrite) != 0 {
		t.Errorf("newest load %d, want %d; writes are not tracked: %d", c.Newest(a, KindLoad), load2.ID, c.Newest(a, KindWrite))
	}
	c.SwitchOrg("11111111-2222-4333-8444-555555555555")
	for _, k := range []struct {
		name string
		env  Envelope
		want Standing
	}{
		{"the newest load, after a switch", load2, Superseded},
		{"a detail, after a switch", detail, Superseded},
		{"a write, after a switch", write1, Previous},
	} {
		if got := c.Judge(Reply[int]{Envelope: k.env}); got != k.want {
			t.Errorf("%s: %v, want %v", k.name, got, k.want)
		}
	}
	if c.Current(Reply[int]{Envelope: write2}) {
		t.Error("a Previous write is not Current: the screen reports it, it changes nothing shown")
	}
	fresh := c.BeginFor(a, KindLoad, "loading the new org")
	if !c.Current(Reply[int]{Envelope: fresh}) {
		t.Error("the first load after a switch is wanted")
	}
}

func TestReplyToCarriesTheRequestsEnvelope(t *testing.T) {
	c := New(context.Background(), nil, nil, nil, nil)
	req := c.Request("a", KindDetail, "detail", 0)
	defer req.Cancel()
	boom := errors.New("boom")
	r := ReplyTo(req, "payload", boom)
	if r.Head() != req.Envelope || r.Err != boom || r.Payload != "payload" {
		t.Fatalf("%+v", r)
	}
	if e, ok := c.Asked(req.ID); !ok || e != req.Envelope {
		t.Fatalf("asked %+v %v", e, ok)
	}
	if owner, ok := c.Finish(req.ID); !ok || owner != "a" {
		t.Fatalf("finish: %q %v", owner, ok)
	}
	if _, ok := c.Asked(req.ID); ok {
		t.Fatal("a finished request is no longer in flight")
	}
}

func TestPreviousWrite(t *testing.T) {
	if m := PreviousWrite("updating the webhook", "for", "previous org or profile", nil)(); m.(NoticeMsg).Text != "done for the previous org or profile: updating the webhook" {
		t.Errorf("%+v", m)
	}
	boom := errors.New("boom")
	if m := PreviousWrite("extending the token", "in", "previous org", boom)().(ErrorMsg); m.Op != "extending the token (previous org)" || m.Err != boom {
		t.Errorf("%+v", m)
	}
}
