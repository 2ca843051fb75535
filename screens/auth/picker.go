package auth

import (
	"errors"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/byova/byova/config"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/styles"
)

// pickItem is an org or a profile in the picker.
type pickItem struct {
	profile bool   // a profile of config.toml; else an org
	value   string // org UUID or profile name
	note    string // token state, or where the org comes from
	current bool
}

// picker chooses the org (or the profile) every screen works in.
type picker struct {
	items  []pickItem
	cursor int
	moved  bool // the person moved the cursor
}

func (s *Screen) pickItems() []pickItem {
	cur := s.currentOrg()
	var items []pickItem
	seen := map[string]bool{}
	now := s.c.Now()
	for _, r := range s.snap.rows {
		if r.kind != config.KindServiceApp || r.org == "" || seen[r.org] {
			continue
		}
		seen[r.org] = true
		note := "Service App token"
		if r.env != "" {
			note = "refresh token from " + r.env
		} else if exp, _ := r.expiryCell(s.c.Styles, now); exp != "" {
			note += " · " + exp
		}
		items = append(items, pickItem{value: r.org, note: note, current: r.org == cur})
	}
	for _, org := range append(append([]string{}, s.snap.remembered...), cur) {
		if org == "" || seen[org] {
			continue
		}
		seen[org] = true
		items = append(items, pickItem{value: org, note: "no token stored (remembered in the profile)", current: org == cur})
	}
	// A stable order, whatever has a token: the current org first, then by UUID.
	sort.SliceStable(items, func(a, b int) bool {
		if items[a].current != items[b].current {
			return items[a].current
		}
		return items[a].value < items[b].value
	})
	for _, p := range s.snap.profiles {
		note := "profile in config.toml"
		if !s.snap.inFile[p] {
			note = "this session's profile (not in config.toml)"
		}
		items = append(items, pickItem{profile: true, value: p, current: p == s.c.Profile(), note: note})
	}
	return items
}

// setItems replaces the items and keeps the cursor on the same one; until the person moves
// it, the cursor stays on the current org.
func (p *picker) setItems(items []pickItem) {
	var keep *pickItem
	if !p.moved {
		for i := range items {
			if items[i].current && !items[i].profile {
				keep = &items[i]
				break
			}
		}
	} else if p.cursor < len(p.items) {
		keep = &p.items[p.cursor]
	}
	p.items = items
	p.cursor = max(min(p.cursor, len(items)-1), 0)
	if keep == nil {
		return
	}
	for i, it := range items {
		if it.profile == keep.profile && it.value == keep.value {
			p.cursor = i
			return
		}
	}
}

// openPicker shows the picker with what is loaded, and reloads meanwhile. from is the screen
// to go back to afterwards (0: stay).
func (s *Screen) openPicker(from int) tea.Cmd {
	if s.mode == modeWizard || s.mode == modeConfirm {
		return nil
	}
	s.back = from
	s.picker = &picker{}
	s.picker.setItems(s.pickItems())
	s.mode = modePicker
	return s.load()
}

func (p *picker) keyMap(k *common.KeyMap) []key.Binding {
	return []key.Binding{common.Either("move", k.Up, k.Down), common.As(k.Accept, "switch"), common.As(k.Dismiss, "close")}
}

func (s *Screen) closePicker() tea.Cmd {
	s.picker, s.mode = nil, modeList
	back := s.back
	s.back = 0
	if back > 0 && back != 4 {
		return func() tea.Msg { return common.SwitchScreenMsg{Screen: back} }
	}
	return nil
}

func (s *Screen) pickerKey(msg tea.KeyPressMsg) tea.Cmd {
	p, k := s.picker, s.c.Keys
	switch {
	case key.Matches(msg, k.Up):
		p.cursor, p.moved = max(p.cursor-1, 0), true
	case key.Matches(msg, k.Down):
		p.cursor, p.moved = max(min(p.cursor+1, len(p.items)-1), 0), true
	case key.Matches(msg, k.Top):
		p.cursor, p.moved = 0, true
	case key.Matches(msg, k.Bottom):
		p.cursor, p.moved = max(len(p.items)-1, 0), true
	case key.Matches(msg, k.Dismiss, k.Quit, k.SwitchOrg):
		return s.closePicker()
	case key.Matches(msg, k.Accept):
		if p.cursor >= len(p.items) {
			return s.closePicker()
		}
		return s.choose(p.items[p.cursor])
	}
	return nil
}

// choose switches to an org (the other screens reload and drop answers for the old one) or
// opens another profile.
func (s *Screen) choose(it pickItem) tea.Cmd {
	back := s.closePicker()
	if it.current {
		what := "org "
		if it.profile {
			what = "profile "
		}
		return tea.Batch(back, common.Notice("already in "+what+it.value))
	}
	sess := s.c.Session
	if it.profile {
		env, name, getenv := s.c.BeginFor(Owner, common.KindWrite, "opening profile "+it.value), it.value, s.env.Getenv
		return tea.Batch(back, func() tea.Msg {
			ns, err := openProfile(sess, name, getenv)
			return common.Reply[profileMsg]{Envelope: env, Err: err, Payload: profileMsg{name: name, sess: ns}}
		})
	}
	// For this session only: config.toml keeps its default org, so a script or cron job run
	// next does not work on another customer. `byova orgs use ORG` pins one.
	org := it.value
	return tea.Batch(back, s.c.SwitchOrg(org), common.Notice("switched to org "+s.c.OrgDisplay(org)+" for this session (byova orgs use pins it)"))
}

// view draws the picker; orgs are labelled as they are shown now (orgLabel), so a name that
// arrives from Webex while the picker is open appears in it.
func (p *picker) view(st *styles.Styles, k *common.KeyMap, orgLabel func(string) string, w, h int) string {
	boxW := min(w-4, 90)
	inner := boxW - 4
	// The list: section titles and items; at is the line of each item.
	var list []string
	at := make([]int, len(p.items))
	section := ""
	for i, it := range p.items {
		sec := "Orgs"
		if it.profile {
			sec = "Profiles"
		}
		if sec != section {
			if section != "" {
				list = append(list, "")
			}
			section = sec
			list = append(list, st.TableHeader.Render(sec))
		}
		mark := "  "
		if it.current {
			mark = "● "
		}
		val := safetext.Line(it.value)
		if !it.profile {
			val = format.Fit(orgLabel(it.value), 36)
		}
		text := mark + val + "  " + it.note
		at[i] = len(list)
		if i == p.cursor {
			list = append(list, st.Selected.Render(format.Fit(styles.GlyphCursor+" "+text, inner)))
		} else {
			list = append(list, "  "+format.Cut(text, inner-2))
		}
	}
	if len(p.items) == 0 {
		list = append(list, "No org yet: press "+k.Dismiss.Help().Key+", then "+k.New.Help().Key+" to add one.")
	}
	// Show the part of the list around the cursor that fits in the box.
	room := max(h-7, 3)
	if len(list) > room {
		first := 0
		if p.cursor < len(at) {
			first = max(min(at[p.cursor]-room/2, len(list)-room), 0)
		}
		list = list[first : first+room]
	}
	lines := append([]string{st.Bold.Render("Switch org or profile"), ""}, list...)
	lines = append(lines, "", st.Muted.Render("● current · ")+st.Key.Render(k.Accept.Help().Key)+" switch  "+st.Key.Render(k.Dismiss.Help().Key)+" close")
	for i, l := range lines {
		lines[i] = format.Cut(l, inner)
	}
	box := st.Dialog.Width(boxW).Render(strings.Join(lines, "\n"))
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box)
}

// fetchOrgNames asks for the names of the orgs this screen lists (each once per UI run).
func (s *Screen) fetchOrgNames() tea.Cmd {
	var cmds []tea.Cmd
	for _, r := range s.snap.rows {
		if r.kind == config.KindServiceApp && r.org != "" {
			cmds = append(cmds, s.c.FetchOrgName(r.org))
		}
	}
	return tea.Batch(cmds...)
}

// switchByName is the picker's choice made by name (SwitchMsg).
func (s *Screen) switchByName(msg SwitchMsg) tea.Cmd {
	if s.mode == modeWizard || s.mode == modeConfirm {
		return common.Notice("finish or cancel the sign-in on screen 4 first")
	}
	if s.c.Session == nil {
		return common.Error("switching", errors.New("no session to switch: sign in with byova auth login"))
	}
	if msg.Profile != "" {
		return s.choose(pickItem{profile: true, value: msg.Profile, current: msg.Profile == s.c.Session.Settings.Profile})
	}
	return s.choose(pickItem{value: msg.Org, current: msg.Org == s.c.Org})
}
