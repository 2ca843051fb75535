package auth

import (
	"strconv"
	"strings"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/signintext"
	"github.com/byova/byova/ui/styles"
	"github.com/charmbracelet/x/ansi"
)

// Column widths; ORG and SCOPES share what is left.
const (
	gutterW   = 2 // "▸ " on the cursor row
	markW     = 2 // "● " on the current org
	kindW     = 17
	expiryW   = 11
	refreshW  = 10
	minOrgW   = 9
	detailH   = 6  // the selected token's details under the table, at least
	detailMax = 14 // and at most (IDs and sentences wrap onto more lines below 120 columns)
)

// tableHeight is how many rows fit between the column header and the details.
func (s *Screen) tableHeight() int { return max(s.height-3-s.detailRoom(), 1) }

// detailRoom is the detail's lines: detailH, or more when the table leaves them free, so a
// line moved down whole (the Webex ID, "● current org") does not push the scopes out.
func (s *Screen) detailRoom() int {
	return min(max(detailH, s.height-3-len(s.snap.rows)), detailMax)
}

// orgWidth gives the ORG column a whole UUID when there is room, else its start.
func (s *Screen) orgWidth() int {
	rest := s.width - gutterW - markW - kindW - expiryW - refreshW - 4
	return max(min(36, rest-14), minOrgW)
}

func (s *Screen) listView() string {
	st, k := s.c.Styles, s.c.Keys
	var lines []string
	lines = append(lines, s.titleLine())
	s.drawn.Set(0, 0, 0)
	switch {
	case s.loadErr != nil:
		h, hint := common.Describe(s.c.Keys, s.loadErr)
		lines = append(lines, "", "  "+st.Error.Render(styles.GlyphError+" ")+st.Bold.Render("Could not read the stored tokens."), "", "  "+h)
		if hint != "" {
			lines = append(lines, "  "+hint)
		}
		return s.fit(lines)
	case !s.loaded:
		return s.fit(append(lines, "", "  Reading the stored tokens…"))
	case len(s.snap.rows) == 0 && s.c.Viewer():
		lines = append(lines, "",
			"  "+st.Bold.Render("Not signed in yet")+" (profile "+s.c.Profile()+").", "",
			"  "+s.c.ReadOnlyNote()+": signing in is for operators; ask one to sign this profile in.")
		return s.fit(lines)
	case len(s.snap.rows) == 0:
		lines = append(lines, "",
			"  "+st.Bold.Render("Not signed in yet")+" (profile "+s.c.Profile()+").", "",
			"  Press "+st.Key.Render(k.New.Help().Key)+" to sign in. A BYODS setup usually needs two sign-ins:",
			"    · an Integration (OAuth) or a personal access token: the caller that asks Webex",
			"      for Service App tokens and manages webhooks;",
			"    · the Service App in each customer org: its token reads and writes data sources.",
			"  The sandbox path needs only the Service App and its refresh token.")
		return s.fit(lines)
	}
	orgW := s.orgWidth()
	header := strings.Repeat(" ", gutterW+markW) + format.Fit("KIND", kindW) + " " + format.Fit("ORG", orgW) + " " +
		format.Fit("EXPIRES IN", expiryW) + " " + format.Fit("REFRESH", refreshW) + " SCOPES"
	lines = append(lines, st.TableHeader.Render(format.Cut(header, s.width)))
	now, cur := s.c.Now(), s.currentOrg()
	h := s.tableHeight()
	s.drawn.Set(len(lines), s.offset, min(s.offset+h, len(s.snap.rows)))
	for i := s.offset; i < min(s.offset+h, len(s.snap.rows)); i++ {
		r := s.snap.rows[i]
		mark := "  "
		if r.kind == config.KindServiceApp && r.org != "" && r.org == cur {
			mark = "● "
		}
		exp, expSt := r.expiryCell(st, now)
		ref, refSt := r.refreshCell(st, now)
		scopeW := max(s.width-gutterW-markW-kindW-orgW-expiryW-refreshW-4, 1)
		cells := format.Fit(r.kindText(), kindW) + " " + format.Fit(orgCell(s.orgShown(r.org), orgW), orgW) + " "
		tail := " " + format.Cut(r.scopesText(), scopeW)
		if i == s.cursor {
			line := styles.GlyphCursor + " " + mark + cells + format.Fit(exp, expiryW) + " " + format.Fit(ref, refreshW) + tail
			lines = append(lines, st.Selected.Render(format.Fit(line, s.width)))
			continue
		}
		lines = append(lines, "  "+st.Bold.Render(mark)+cells+expSt.Render(format.Fit(exp, expiryW))+" "+
			refSt.Render(format.Fit(ref, refreshW))+st.Muted.Render(tail))
	}
	lines = append(lines, "")
	lines = append(lines, s.detailLines()...)
	return s.fit(lines)
}

func (s *Screen) titleLine() string {
	st := s.c.Styles
	n := len(s.snap.rows)
	count := strconv.Itoa(n) + " credentials"
	if n == 1 {
		count = "1 credential"
	}
	left := st.Title.Render("Auth & orgs") + st.Muted.Render("  profile ") + st.Bold.Render(s.c.Profile()) + st.Muted.Render(" · "+count)
	return left
}

// detailLines describe the selected token in full: the table cuts org and scopes.
func (s *Screen) detailLines() []string {
	st := s.c.Styles
	r := s.selected()
	if r == nil {
		return nil
	}
	lines := []string{st.Separator.Render(strings.Repeat("─", max(s.width, 1)))}
	lines = append(lines, s.detailTitle(r)...)
	lines = append(lines, s.lastUseLine(r)...)
	lines = append(lines, s.whereLines(r)...)
	if life := s.lifeText(r); life != "" {
		lines = append(lines, wrapWords(detailLabel(st, "life"), life, s.width)...)
	}
	lines, obtainedAt := s.clientLines(r, lines)
	lines = append(lines, wrapWords(detailLabel(st, "scopes"), r.scopesText(), s.width)...)
	if n := s.detailRoom(); len(lines) > n && obtainedAt >= 0 {
		lines = append(lines[:obtainedAt], lines[obtainedAt+1:]...)
	}
	if n := s.detailRoom(); len(lines) > n {
		// Say that more follows rather than end on what looks like the whole list.
		lines = lines[:n]
		lines[n-1] = format.Cut(lines[n-1]+" …", s.width)
	}
	return lines
}

// detailLabel is a detail line's label, in its column.
func detailLabel(st *styles.Styles, l string) string {
	return "  " + st.FieldName.Render(format.Fit(l, 8)) + " "
}

// detailTitle is what the token is, and whether its org is the current one. Shorter words
// first (the org's UUID is on its own line below), then what does not fit beside the title
// goes on the next line, whole: never a cut title.
func (s *Screen) detailTitle(r *tokenRow) []string {
	title := signintext.Capital(r.what())
	current := ""
	if r.org != "" && r.org == s.currentOrg() {
		current = s.c.Styles.Bold.Render("● current org")
	}
	short := title
	if r.org != "" {
		short = strings.Replace(title, "org "+r.org, "this org", 1)
	}
	fits := func(t string) bool { return ansi.StringWidth(t) <= s.width }
	switch {
	case current == "" && fits(" "+title):
		return []string{" " + title}
	case current == "":
		return []string{" " + short}
	case fits(" " + title + "  " + current):
		return []string{" " + title + "  " + current}
	case fits(" " + short + "  " + current):
		return []string{" " + short + "  " + current}
	}
	return []string{" " + short, " " + current}
}

// lastUseLine is how Webex last answered the token, first: a stored token is not a working one.
func (s *Screen) lastUseLine(r *tokenRow) []string {
	u, ok := s.lastUse(r)
	if !ok {
		return nil
	}
	st, now := s.c.Styles, s.c.Now()
	if u.Err != nil {
		headline, _ := common.Describe(s.c.Keys, u.Err)
		return []string{detailLabel(st, "last use") + st.Error.Render(styles.GlyphError+" refused") +
			st.Muted.Render(" "+format.Ago(now, u.At)+" ("+u.What+"): ") + safetext.Line(headline)}
	}
	used := detailLabel(st, "last use") + st.StatusActive.Render(styles.GlyphOK+" Webex accepted it") + st.Muted.Render(" "+format.Ago(now, u.At))
	if what := st.Muted.Render(" (" + u.What + ")"); ansi.StringWidth(used+what) <= s.width {
		used += what // what it was used for, when it fits: the rest of the line says it all
	}
	return []string{used}
}

// whereLines say where the token works: its org (name, UUID, Webex ID), or the environment.
func (s *Screen) whereLines(r *tokenRow) []string {
	st := s.c.Styles
	switch {
	case r.kind == config.KindServiceApp && r.org != "":
		var lines []string
		if shown := s.orgShown(r.org); shown != r.org {
			lines = append(lines, detailLabel(st, "name")+shown) // sanitised when it arrived (Common.ApplyOrgName)
		}
		org, webexID := detailLabel(st, "org")+safetext.Line(r.org), api.EncodeID(api.KindOrganization, r.org)
		if ansi.StringWidth(org+"  Webex ID "+webexID) <= s.width {
			return append(lines, org+st.Muted.Render("  Webex ID "+webexID))
		}
		lines = append(lines, org)
		return append(lines, wrapID(detailLabel(st, "Webex ID"), webexID, s.width, st.Muted.Render)...)
	case r.kind == kindEnvCaller:
		return []string{detailLabel(st, "source") + envCaller + ": the caller while it is set (it wins over stored tokens)"}
	}
	return nil
}

// lifeText is how long the token lives and whether byova refreshes it ("" when unknown).
func (s *Screen) lifeText(r *tokenRow) string {
	now := s.c.Now()
	switch {
	case r.kind == kindEnvCaller:
		return "byova cannot tell when it expires, nor refresh it (enter checks it)"
	case r.env != "":
		return "set by " + r.env + ": on first use byova trades it for the org's token and stores that"
	case r.kind == config.KindPAT:
		if !r.obtained.IsZero() {
			return "stored " + format.Ago(now, r.obtained) + "; personal access tokens last 12 h and cannot be refreshed"
		}
		return "personal access tokens last 12 h and cannot be refreshed"
	case !r.expiry.IsZero():
		exp := "expires " + r.expiry.UTC().Format("2006-01-02 15:04 UTC")
		if left := r.expiry.Sub(now); left > 0 {
			exp += " (in " + signintext.Life(left) + ")"
		} else {
			exp += " (expired)"
		}
		if r.hasRefresh {
			exp += " · refreshed on its own"
		}
		return exp
	}
	return ""
}

// clientLines add the client the token was got with and when; obtainedAt is the index of a
// line of its own saying when (the first to go when the detail has no room), else -1.
func (s *Screen) clientLines(r *tokenRow, lines []string) (_ []string, obtainedAt int) {
	st := s.c.Styles
	var obtained string
	if !r.obtained.IsZero() && r.kind != config.KindPAT {
		obtained = "obtained " + format.Ago(s.c.Now(), r.obtained)
	}
	obtainedAt = -1
	switch {
	case r.clientID != "" && obtained != "" && ansi.StringWidth(detailLabel(st, "client")+r.clientID+" · "+obtained) <= s.width:
		lines = append(lines, detailLabel(st, "client")+r.clientID+" · "+obtained)
	case r.clientID != "":
		// Too long for one line: the ID wraps, and when it was obtained goes under it whole.
		lines = append(lines, wrapID(detailLabel(st, "client"), r.clientID, s.width, func(s ...string) string { return strings.Join(s, "") })...)
		if obtained != "" {
			obtainedAt = len(lines)
			lines = append(lines, detailLabel(st, "")+obtained)
		}
	case obtained != "":
		lines = append(lines, detailLabel(st, "client")+obtained)
	}
	return lines, obtainedAt
}

func (s *Screen) fit(lines []string) string {
	if len(lines) > s.height {
		lines = lines[:max(s.height, 0)]
	}
	for i, l := range lines {
		lines[i] = format.Cut(l, s.width)
	}
	return strings.Join(lines, "\n")
}

// wrapID is head and id, the id wrapped under itself rather than cut: IDs are copied from here
// into Control Hub and API calls, and an ID may break at any character (they are all ASCII).
func wrapID(head, id string, width int, render func(...string) string) []string {
	indent := ansi.StringWidth(head)
	room := max(width-indent, 16)
	var lines []string
	for i := 0; i < len(id); i += room {
		if i > 0 {
			head = strings.Repeat(" ", indent)
		}
		lines = append(lines, head+render(id[i:min(i+room, len(id))]))
	}
	return lines
}

// wrapWords is head and text, the text wrapped at word boundaries under itself: a sentence is
// never cut (a word longer than the line, an ID, is broken where it must be).
func wrapWords(head, text string, width int) []string {
	indent := ansi.StringWidth(head)
	var lines []string
	room := max(width-indent, 16)
	var line string
	flush := func() {
		lines = append(lines, head+line)
		head, line = strings.Repeat(" ", indent), ""
	}
	// Spaces only are breaks: a scope such as spark-admin:datasource_read is one word.
	for _, w := range strings.Fields(text) {
		switch {
		case line == "":
		case ansi.StringWidth(line)+1+ansi.StringWidth(w) <= room:
			line += " "
		default:
			flush()
		}
		for ansi.StringWidth(w) > room && line == "" {
			cut := ansi.Truncate(w, room, "")
			line, w = cut, w[len(cut):]
			flush()
		}
		line += w
	}
	if line != "" || len(lines) == 0 {
		flush()
	}
	return lines
}
