package config

import (
	"fmt"
	"time"
)

// DefaultExtendWithin is the TUI's X window when the profile sets none: three hours leaves an
// on-call engineer time to act before Webex stops delivering data.
const DefaultExtendWithin = 3 * time.Hour

// DefaultRefresh is how often the TUI reloads the data sources when the profile says nothing:
// a minute keeps the countdowns honest without loading Webex.
const DefaultRefresh = 60 * time.Second

// MinRefresh keeps a typo ("1s") from turning every open TUI into a load on Webex.
const MinRefresh = 10 * time.Second

// validateWatch checks the profile's TUI watch settings, so a typo is reported at load with
// the key to fix rather than silently replaced by a default.
func (p *Profile) validateWatch() error {
	if p.ExtendWithin != "" {
		if _, err := parseWindow(p.ExtendWithin); err != nil {
			return watchError("extend_within" + err.Error())
		}
	}
	if p.Refresh != "" {
		if _, err := parseRefresh(p.Refresh); err != nil {
			return watchError("refresh" + err.Error())
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

// parseRefresh reads refresh: "0" (or "0s") turns it off, else at least MinRefresh.
func parseRefresh(v string) (time.Duration, error) {
	if v == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	switch {
	case err != nil || d < 0:
		return 0, watchError(fmt.Sprintf(" = %q: want a Go duration like \"60s\" or \"5m\", or \"0\" to turn it off", v))
	case d > 0 && d < MinRefresh:
		return 0, watchError(fmt.Sprintf(" = %q: at least %s, or \"0\" to turn it off", v, MinRefresh))
	}
	return d, nil
}

// RefreshOf is the profile's data sources reload interval: what it sets, else DefaultRefresh.
func RefreshOf(p *Profile) time.Duration {
	if p == nil || p.Refresh == "" {
		return DefaultRefresh
	}
	d, err := parseRefresh(p.Refresh)
	if err != nil {
		return DefaultRefresh
	}
	return d
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
