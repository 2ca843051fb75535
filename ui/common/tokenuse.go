package common

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// TokenUsedMsg tells every screen how Webex answered a request made with a token: the
// caller's (a person's: Integration, personal access token or WEBEX_ACCESS_TOKEN) or an org's
// Service App token. The auth & orgs screen shows the last one per token, so a token Webex
// refuses is never shown as merely stored.
type TokenUsedMsg struct {
	Caller bool   // the caller token; else Org's Service App token
	Org    string // the org's UUID when !Caller
	What   string // what it was used for, as a noun ("webhook list"): shown after the fact, so never "loading …"
	Err    error  // nil: Webex accepted it
	At     time.Time
}

// TokenUsed returns a command that broadcasts the outcome of a request.
func TokenUsed(m TokenUsedMsg) tea.Cmd { return func() tea.Msg { return m } }
