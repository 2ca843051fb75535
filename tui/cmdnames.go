package tui

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/session"
)

// namesMsg carries what :org and :profile complete: the profiles in config.toml and the orgs
// this profile knows (remembered in it, or with a stored Service App token).
type namesMsg struct {
	orgs, profiles []string
	// orgOf turns what :org completes to (an alias, an org's name from Webex) into the org's
	// UUID; a UUID stands for itself.
	orgOf map[string]string
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
		msg.orgs = orgWords(msg.orgs, s, cfgPath, profile, &msg)
		return msg
	}
}

// orgWords is what :org offers for the orgs known: each one's alias and its name from Webex
// (cached; sanitised, since it is Webex's text), and its UUID when it has neither.
func orgWords(orgs []string, s *session.Session, cfgPath, profile string, msg *namesMsg) []string {
	msg.orgOf = map[string]string{}
	var aliases, named, bare []string
	var aliasOf map[string]string
	if f, err := config.LoadFile(cfgPath); err == nil && f.Profiles[profile] != nil {
		aliasOf = f.Profiles[profile].Aliases
	}
	for a, org := range aliasOf {
		aliases = append(aliases, a)
		msg.orgOf[a] = org
		if !slices.Contains(orgs, org) {
			orgs = append(orgs, org)
		}
	}
	names := s.CachedOrgNames()
	for _, org := range orgs {
		u, err := api.OrgUUID(org)
		if err != nil {
			if _, isAlias := aliasOf[org]; !isAlias {
				bare = append(bare, org)
			}
			continue
		}
		n := safetext.Line(names[u])
		if n != "" {
			if _, taken := msg.orgOf[n]; !taken {
				named = append(named, n)
				msg.orgOf[n] = u
			}
		}
		has := n != ""
		for _, o := range aliasOf {
			has = has || o == u
		}
		if !has {
			bare = append(bare, u)
		}
	}
	slices.Sort(aliases)
	slices.Sort(named)
	slices.Sort(bare)
	return slices.Compact(append(append(aliases, named...), bare...))
}
