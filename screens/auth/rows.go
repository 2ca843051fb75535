package auth

import (
	"sort"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/session"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/signintext"
	"github.com/byova/byova/ui/styles"
)

// Kinds of rows besides the stored token kinds: credentials the environment sets.
const (
	kindEnvCaller = "caller" // WEBEX_ACCESS_TOKEN
	envCaller     = config.EnvAccessToken
	envSARefresh  = config.EnvServiceAppRefreshToken
)

// tokenRow is one credential, described without its value.
type tokenRow struct {
	kind          string // config.KindIntegration, KindPAT, KindServiceApp, or kindEnvCaller
	env           string // "" when stored; else the variable that sets it
	org           string // service-app: the org UUID
	clientID      string
	scopes        []string
	expiry        time.Time
	refreshExpiry time.Time
	obtained      time.Time
	hasRefresh    bool
}

// key names the row among the profile's credentials.
func (r *tokenRow) key() string { return r.kind + "/" + r.org + "/" + r.env }

// snapshot is what the screen reads from disk: the profile's tokens and the config file.
type snapshot struct {
	rows       []tokenRow
	profiles   []string // from config.toml, sorted; the active one included
	inFile     map[string]bool
	remembered []string // orgs the profile remembers
}

// readSnapshot reads the token store and config.toml. It is disk I/O: call it in a tea.Cmd.
func readSnapshot(sess *session.Session) (snapshot, error) {
	var snap snapshot
	toks, err := sess.Store.Load()
	if err != nil {
		return snap, err
	}
	st := sess.Settings
	if ps := toks.Profiles[sess.Profile()]; ps != nil {
		add := func(kind string, t *config.Token, org string) {
			if t == nil {
				return
			}
			snap.rows = append(snap.rows, tokenRow{kind: kind, org: org, clientID: t.ClientID, scopes: t.Scopes,
				expiry: t.Expiry, refreshExpiry: t.RefreshExpiry, obtained: t.ObtainedAt, hasRefresh: t.RefreshToken != ""})
		}
		add(config.KindIntegration, ps.Integration, "")
		add(config.KindPAT, ps.PAT, "")
		orgs := make([]string, 0, len(ps.Orgs))
		for org := range ps.Orgs {
			orgs = append(orgs, org)
		}
		sort.Strings(orgs)
		for _, org := range orgs {
			add(config.KindServiceApp, ps.Orgs[org], org)
		}
	}
	if st.AccessToken != "" {
		snap.rows = append(snap.rows, tokenRow{kind: kindEnvCaller, env: envCaller})
	}
	if st.ServiceAppRefreshToken != "" {
		org, _ := api.OrgUUID(st.Org)
		if !hasOrg(snap.rows, org) {
			snap.rows = append(snap.rows, tokenRow{kind: config.KindServiceApp, env: envSARefresh, org: org,
				clientID: st.ServiceAppClientID, hasRefresh: true})
		}
	}
	f, err := config.LoadFile(sess.ConfigPath)
	if err != nil {
		return snap, err
	}
	seen := map[string]bool{sess.Profile(): true}
	snap.profiles = []string{sess.Profile()}
	snap.inFile = map[string]bool{}
	for name := range f.Profiles {
		snap.inFile[name] = true
		if !seen[name] {
			seen[name] = true
			snap.profiles = append(snap.profiles, name)
		}
	}
	sort.Strings(snap.profiles)
	if p := f.Profiles[sess.Profile()]; p != nil {
		snap.remembered = append(snap.remembered, p.Orgs...)
	}
	return snap, nil
}

func hasOrg(rows []tokenRow, org string) bool {
	for _, r := range rows {
		if r.kind == config.KindServiceApp && r.org == org && r.env == "" {
			return true
		}
	}
	return false
}

// kindText is the KIND cell.
func (r tokenRow) kindText() string {
	switch {
	case r.kind == kindEnvCaller:
		return "caller (env)"
	case r.env != "":
		return r.kind + " (env)"
	}
	return r.kind
}

// what names the row in sentences.
func (r tokenRow) what() string {
	switch r.kind {
	case config.KindIntegration:
		return "the Integration token"
	case config.KindPAT:
		return "the personal access token"
	case kindEnvCaller:
		return "the caller token from " + envCaller
	}
	return "the Service App token of org " + safetext.Line(r.org)
}

// short names the row in notices, which must fit one line.
func (r tokenRow) short() string {
	switch r.kind {
	case config.KindIntegration:
		return "the Integration token"
	case config.KindPAT:
		return "the personal access token"
	case kindEnvCaller:
		return envCaller
	}
	return "the token of org " + format.ShortID(r.org) + "…"
}

// soonWarn is when an expiry turns into a warning.
const soonWarn = 5 * time.Minute

// patLife is how long Webex personal access tokens live.
const patLife = 12 * time.Hour

// expiryCell is the EXPIRES IN cell and its style: a glyph and a word where colour alone would
// carry the meaning.
func (r tokenRow) expiryCell(st *styles.Styles, now time.Time) (string, lipgloss.Style) {
	switch {
	case r.env != "":
		return "—", st.Muted
	case r.kind == config.KindPAT && r.expiry.IsZero():
		if r.obtained.IsZero() {
			return styles.GlyphUnknown + " ≤12h", st.ExpiryUnknown
		}
		left := r.obtained.Add(patLife).Sub(now)
		if left <= 0 {
			return styles.GlyphExpired + " expired?", st.ExpiryExpired
		}
		return "≤" + signintext.Life(left), st.ExpiryOK
	case r.expiry.IsZero():
		return styles.GlyphUnknown + " unknown", st.ExpiryUnknown
	}
	left := r.expiry.Sub(now)
	switch {
	case left <= 0:
		if r.hasRefresh {
			return styles.GlyphExpired + " expired", st.ExpirySoon
		}
		return styles.GlyphExpired + " expired", st.ExpiryExpired
	case left < soonWarn:
		return styles.GlyphSoon + " " + signintext.Life(left), st.ExpirySoon
	}
	return signintext.Life(left), st.ExpiryOK
}

// refreshCell is the REFRESH cell: how long the refresh token lasts.
func (r tokenRow) refreshCell(st *styles.Styles, now time.Time) (string, lipgloss.Style) {
	switch {
	case r.kind == kindEnvCaller || r.kind == config.KindPAT:
		return "cannot", st.Muted
	case !r.hasRefresh:
		return "none", st.Muted
	case r.refreshExpiry.IsZero():
		return "yes", st.ExpiryOK
	}
	left := r.refreshExpiry.Sub(now)
	if left <= 0 {
		return styles.GlyphExpired + " expired", st.ExpiryExpired
	}
	if left < 24*time.Hour {
		return styles.GlyphSoon + " " + signintext.Life(left), st.ExpirySoon
	}
	return signintext.Life(left), st.ExpiryOK
}

func (r tokenRow) scopesText() string {
	switch {
	case len(r.scopes) > 0:
		return safetext.Line(strings.Join(r.scopes, " ")) // as Webex granted them
	case r.kind == config.KindPAT || r.kind == kindEnvCaller:
		return "not reported"
	}
	return "—"
}

// orgShown is an org as the table shows it: alias and Webex name when known, else the UUID.
func (s *Screen) orgShown(org string) string {
	if org == "" {
		return ""
	}
	return s.c.OrgDisplay(org)
}

// orgCell fits an org UUID to w cells: the start of a UUID is what people recognise.
func orgCell(org string, w int) string {
	if org == "" {
		return "—"
	}
	return format.Cut(safetext.Line(org), w) // org ids arrive in webhook deliveries
}

// NeedsSeconds: the wizard's countdown, a reload waiting for the next tick, or a token under
// format.SecondsBelow make the root tick each second (common.SecondsNeeder).
func (s *Screen) NeedsSeconds(now time.Time) bool {
	if s.dirty || s.mode == modeWizard {
		return true
	}
	for _, r := range s.snap.rows {
		if left := r.expiry.Sub(now); !r.expiry.IsZero() && left > 0 && left < format.SecondsBelow {
			return true
		}
	}
	return false
}
