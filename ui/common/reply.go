package common

import tea "charm.land/bubbletea/v2"

// Kind says what a request is for. Of the requests one owner makes of one kind, only the
// newest is still wanted (a reload supersedes the load before it, a detail opened supersedes
// the one opened before), except for writes: every write's answer is what happened to
// Webex, so none is ever superseded.
type Kind string

// The kinds every screen has; a screen names its own besides (a probe run, a token check).
const (
	KindLoad   Kind = "load"   // the screen's list
	KindDetail Kind = "detail" // one item's fresh copy for the detail view
	KindWrite  Kind = "write"  // a create, update, delete, extend or ensure: never superseded
)

func (k Kind) supersedes() bool { return k != KindWrite }

// Envelope is what a request's answer carries back: the id Common gave it, the org generation
// it was made in, who asked and what for. The root routes the answer by Owner; Current judges
// by all four.
type Envelope struct {
	ID    uint64
	Gen   uint64 // Common.Gen when the request was made
	Owner Owner
	Kind  Kind
}

// Head is the envelope itself (see Answer).
func (e Envelope) Head() Envelope { return e }

// Answer is any request's answer: its envelope is all the root reads (it routes by the owner
// without knowing the screens' payload types).
type Answer interface{ Head() Envelope }

// Reply is the answer to a request: its envelope, the error, and the screen's own payload,
// so a screen's Update switches once, on Reply[itsPayload].
type Reply[T any] struct {
	Envelope
	Err     error
	Payload T
}

// ReplyTo is the answer to req: what its command returns.
func ReplyTo[T any](req Request, payload T, err error) Reply[T] {
	return Reply[T]{Envelope: req.Envelope, Err: err, Payload: payload}
}

// Standing is how an answer stands when it arrives (see Judge).
type Standing int

const (
	// Wanted: the newest of its kind, for the org shown: apply it.
	Wanted Standing = iota
	// Superseded: a newer request of its kind was made since, or it was asked for the org or
	// profile shown before a switch: drop it, nothing it says is news.
	Superseded
	// Previous: a write sent for the org or profile shown before a switch. It happened, so it
	// is reported (a notice or a banner naming the previous org), and changes nothing shown.
	Previous
)

// Judge is the one staleness rule: an answer from another org generation is Previous when it
// is a write's and Superseded otherwise; an answer of a superseding kind that is not the
// newest its owner made of that kind is Superseded; the rest is Wanted.
func (c *Common) Judge(a Answer) Standing {
	e := a.Head()
	switch {
	case e.Gen != c.Gen && !e.Kind.supersedes():
		return Previous
	case e.Gen != c.Gen:
		return Superseded
	case e.Kind.supersedes() && c.newest[asked{e.Owner, e.Kind}] != e.ID:
		return Superseded
	}
	return Wanted
}

// Current reports that an answer is Wanted (see Judge).
func (c *Common) Current(a Answer) bool { return c.Judge(a) == Wanted }

// Newest is the id of the newest request owner made of kind (0: none yet).
func (c *Common) Newest(owner Owner, kind Kind) uint64 { return c.newest[asked{owner, kind}] }

// asked is who made a request and what for: the key of the newest-request table.
type asked struct {
	owner Owner
	kind  Kind
}

// PreviousWrite is how a screen reports a write's answer that is Previous: what it did, for
// the place shown before the switch (in "in the previous org"), and nothing changed on screen.
func PreviousWrite(what, in, previous string, err error) tea.Cmd {
	if err != nil {
		return Error(what+" ("+previous+")", err)
	}
	return Notice("done " + in + " the " + previous + ": " + what)
}
