package tui

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
)

// namesMsg carries what :org and :profile complete: the profiles in config.toml and the orgs
// this profile knows (remembered in it, or with a stored Service App token).
type namesMsg struct {
	orgs, profiles []string
}

// loadNames reads them in a command when the command line opens: files are not read in Update.
// A file that cannot be read only leaves fewer names to complete.
func loadNames(s *session.Session) tea.Cmd {
	if s == nil {
		return nil
	}
	cfgPath, store, profile, cur := s.ConfigPath, s.Store, s.Settings.Profile, s.Settings.Org
	return func() tea.Msg {
		var msg namesMsg
		add := func(list *[]string, v string) {
			if v != "" && !slices.Contains(*list, v) {
				*list = append(*list, v)
			}
		}
		add(&msg.orgs, cur)
		add(&msg.profiles, profile)
		if f, err := config.LoadFile(cfgPath); err == nil {
			for name, p := range f.Profiles {
				add(&msg.profiles, name)
				if name == profile {
					for _, o := range append(p.Orgs, p.Org) {
						add(&msg.orgs, o)
					}
				}
			}
		}
		if store != nil {
			if tk, err := store.Load(); err == nil && tk.Profiles[profile] != nil {
				for org := range tk.Profiles[profile].Orgs {
					add(&msg.orgs, org)
				}
			}
		}
		slices.Sort(msg.orgs)
		slices.Sort(msg.profiles)
		return msg
	}
}
