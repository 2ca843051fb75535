package config

import (
	"fmt"
	"time"
)

// DefaultExtendWithin is the TUI's X window when the profile sets none: three hours leaves an
// on-call engineer time to act before Webex stops delivering data.
const DefaultExtendWithin = 3 * time.Hour

// validateWatch checks the profile's TUI watch settings, so a typo is reported at load with
// the key to fix rather than silently replaced by a default.
func (p *Profile) validateWatch() error {
	if p.ExtendWithin != "" {
		if _, err := parseWindow(p.ExtendWithin); err != nil {
			return watchError("extend_within" + err.Error())
		}
	}
	return nil
}

// watchError is a bad watch setting: the key's name goes in front of it.
type watchError string

func (e watchError) Error() string { return string(e) }

func parseWindow(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, watchError(fmt.Sprintf(" = %q: want a positive Go duration like \"3h\" or \"90m\"", v))
	}
	return d, nil
}

// ExtendWithinOf is the window X uses in the named profile of f: what it sets, else
// DefaultExtendWithin.
func ExtendWithinOf(p *Profile) time.Duration {
	if p == nil || p.ExtendWithin == "" {
		return DefaultExtendWithin
	}
	d, err := parseWindow(p.ExtendWithin)
	if err != nil {
		return DefaultExtendWithin // LoadFile refused the file already; this is a Profile built in code
	}
	return d
}
