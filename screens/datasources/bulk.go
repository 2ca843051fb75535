package datasources

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/fleet"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/dialog"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/styles"
)

// markState is where a marked row is in a bulk extend.
type markState int

const (
	marked   markState = iota // chosen with space; nothing sent
	waiting                   // confirmed, waiting for a free slot or its answer
	extended                  // done: shown with ✓ until the next run, no longer counted as marked
	failed                    // its extend failed: it stays marked, with the reason, for another x
)

type mark struct {
	state  markState
	reason string
}

// The gutter's second column: one cell, so the table never shifts.
const (
	glyphMarked  = "*"
	glyphWaiting = "…"
)

// bulkRun is a confirmed bulk extend under way: the tally of the results landed so far.
type bulkRun struct {
	total, ok, failed, gone int
}

// bulkResultMsg is one result of a bulk run as it lands: the very fleet.Result the CLI prints
// and the keeper logs. It is not the request's answer (that is bulkDoneMsg, when the run is
// over), so the root broadcasts it; env says which run it belongs to.
type bulkResultMsg struct {
	env    common.Envelope
	r      fleet.Result
	stream *bulkStream
}

// bulkDoneMsg is the answer to a bulk run: every result, in the jobs' order.
type bulkDoneMsg struct {
	results []fleet.Result
	total   int // the jobs asked for: fewer results means the run stopped before the rest
}

// bulkStream carries one run's results from fleet's pool to the screen. The channel holds a
// slot per job, so the pool never waits on the UI; all is set before it closes.
type bulkStream struct {
	results chan fleet.Result
	all     []fleet.Result
	total   int   // the jobs asked for
	err     error // the run panicked (common.Safely), or stopped before every job
}

// markCount is how many rows are marked (extended ones are not).
func (s *Screen) markCount() int {
	n := 0
	for _, m := range s.marks {
		if m.state != extended {
			n++
		}
	}
	return n
}

// markGlyph is the gutter mark of the row with id ("" for none).
func (s *Screen) markGlyph(id string) string {
	m, ok := s.marks[id]
	if !ok {
		return " "
	}
	switch m.state {
	case waiting:
		return glyphWaiting
	case extended:
		return styles.GlyphOK
	case failed:
		return styles.GlyphError
	}
	return glyphMarked
}

// toggleMark marks or unmarks the row under the cursor and moves down, so space space space
// marks three rows in a row. A row whose extend is under way keeps its mark.
func (s *Screen) toggleMark() tea.Cmd {
	sel := s.Selected()
	if sel == nil {
		return nil
	}
	if s.marks == nil {
		s.marks = map[string]*mark{}
	}
	switch m, ok := s.marks[sel.ID]; {
	case ok && m.state == waiting:
		return common.Notice("its extend is under way")
	case ok && m.state != extended:
		delete(s.marks, sel.ID)
	default:
		s.marks[sel.ID] = &mark{state: marked}
	}
	s.List.Move(1, s.tbl.Len())
	s.resizeList()
	return nil
}

// clearMarks drops every mark that is not under way.
func (s *Screen) clearMarks() {
	for id, m := range s.marks {
		if m.state != waiting {
			delete(s.marks, id)
		}
	}
	s.resizeList()
}

// pruneMarks forgets marks of data sources a reload no longer lists.
func (s *Screen) pruneMarks() {
	for id, m := range s.marks {
		if m.state != waiting && s.tbl.RowOf(id) < 0 {
			delete(s.marks, id)
		}
	}
	s.resizeList()
}

// marked lists the marked data sources in the table's order.
func (s *Screen) markedSources() []*api.DataSource {
	var out []*api.DataSource
	for _, i := range s.tbl.Order {
		ds := s.tbl.Rows[i].ds
		if m, ok := s.marks[ds.ID]; ok && (m.state == marked || m.state == failed) {
			out = append(out, ds)
		}
	}
	return out
}

// window is the profile's X window (extend_within).
func (s *Screen) window() time.Duration {
	if s.c.Session != nil && s.c.Session.Settings.ExtendWithin > 0 {
		return s.c.Session.Settings.ExtendWithin
	}
	return fleet.DefaultWithin
}

// startExtendDue marks every data source whose token expires within the profile's window
// (expired ones too, as `extend --all --within` picks them) and asks once for all of them.
func (s *Screen) startExtendDue() tea.Cmd {
	return s.startExtendWithin(s.window())
}

// startExtendWithin is X with a window given (the command line's :extend --within).
func (s *Screen) startExtendWithin(within time.Duration) tea.Cmd {
	if !s.Loaded {
		return nil
	}
	if ok, cmd := s.c.Writable(); !ok {
		return cmd
	}
	if s.bulk != nil {
		return common.Notice("an extend is under way: wait for it to finish")
	}
	now := s.c.Now()
	var due []*api.DataSource
	for _, i := range s.tbl.Order {
		if ds := s.tbl.Rows[i].ds; fleet.Due(ds, now, within) {
			due = append(due, ds)
		}
	}
	if len(due) == 0 {
		return common.Notice("no token expires within " + format.Remaining(within))
	}
	if s.marks == nil {
		s.marks = map[string]*mark{}
	}
	before := make(map[string]mark, len(s.marks))
	for id, m := range s.marks {
		before[id] = *m
	}
	for _, ds := range due {
		if m, ok := s.marks[ds.ID]; !ok || m.state == extended {
			s.marks[ds.ID] = &mark{state: marked}
		}
	}
	s.resizeList()
	cmd := s.confirmBulk(due, "expiring within "+format.Remaining(within))
	// Cancelled, the marks X added go: else the next x would extend them, not the selected row.
	s.confirm.OnCancel = func() tea.Cmd {
		s.restoreMarks(before)
		return nil
	}
	return cmd
}

// restoreMarks puts the marks back as they were before X (a run under way keeps its own).
func (s *Screen) restoreMarks(before map[string]mark) {
	for id, m := range s.marks {
		if m.state != waiting {
			delete(s.marks, id)
		}
	}
	for id, m := range before {
		if _, busy := s.marks[id]; !busy {
			s.marks[id] = &m
		}
	}
	s.resizeList()
}

// startExtendMarked is x with rows marked: one confirmation for all of them.
func (s *Screen) startExtendMarked() tea.Cmd {
	if s.bulk != nil {
		return common.Notice("an extend is under way: wait for it to finish")
	}
	return s.confirmBulk(s.markedSources(), "marked")
}

// confirmBulk lists every data source with its expiry now → after, then runs them all.
func (s *Screen) confirmBulk(list []*api.DataSource, which string) tea.Cmd {
	if len(list) == 0 {
		return nil
	}
	now := s.c.Now()
	jobs := make([]fleet.Job, 0, len(list))
	rows := make([][2]string, 0, len(list))
	room := max(s.height-11, 3) // the dialog's frame, title, note and keys
	for i, ds := range list {
		lifetime := fleet.Lifetime(ds, 0).Minutes
		jobs = append(jobs, fleet.Job{ID: ds.ID, Nonce: s.c.NewNonce()})
		if i < room || len(list) == room+1 {
			state, left := classify(newRow(ds, nil).expiry, lifetimeOf(ds), s.warnWindow(), now)
			old := strings.TrimSpace(expiryText(state, left))
			rows = append(rows, [2]string{name(ds), old + " → " + format.Remaining(time.Duration(lifetime)*time.Minute)})
		}
	}
	if extra := len(list) - len(rows); extra > 0 {
		rows = append(rows, [2]string{"…", "and " + plural(extra, "more", "more")})
	}
	s.confirm = &dialog.Confirm{
		Title:     "Extend " + plural(len(list), "token", "tokens") + " (" + which + ")?",
		Action:    "extend all",
		Rows:      rows,
		Note:      "Each gets a new nonce and keeps its lifetime, audience, subject, schema, url and status. " + strconv.Itoa(fleet.Parallel) + " at a time; a failure stays marked with its reason.",
		OnConfirm: func() tea.Cmd { return s.runBulk(jobs) },
	}
	s.mode = modeConfirm
	return nil
}

// runBulk starts a confirmed run: one request, fleet's Run (its pool, its backoff of a
// throttled org), each result streamed back as it lands.
func (s *Screen) runBulk(jobs []fleet.Job) tea.Cmd {
	for id, m := range s.marks {
		if m.state == extended {
			delete(s.marks, id) // the previous run's ✓
		}
	}
	for _, j := range jobs {
		s.marks[j.ID] = &mark{state: waiting}
	}
	s.bulk = &bulkRun{total: len(jobs)}
	s.resizeList()
	// Each slot of the pool may take a write's time, and the slots run one after another.
	rounds := (len(jobs) + fleet.Parallel - 1) / fleet.Parallel
	req := s.c.Request(Owner, common.KindWrite, "extending tokens", time.Duration(rounds)*writeTimeout)
	st := &bulkStream{results: make(chan fleet.Result, len(jobs)), total: len(jobs)}
	return func() tea.Msg {
		go runExtends(req, jobs, st)
		return nextBulk(req.Envelope, st)()
	}
}

// runExtends is the run itself, on a goroutine of its own: the org's client for every job,
// then fleet's Run, which tells each result as it lands.
func runExtends(req common.Request, jobs []fleet.Job, st *bulkStream) {
	defer close(st.results)
	defer req.Cancel()
	// Safely: a panic on this goroutine would not reach any command's recover (fleet's Run
	// turns one in a job into that job's failed row).
	st.err = common.Safely(func() error {
		cl, org, err := req.OrgClient()
		for i := range jobs {
			jobs[i].Org, jobs[i].Client, jobs[i].Err = org, cl, err
		}
		ex := req.Extender()
		st.all = ex.Run(req.Ctx, jobs, fleet.RunOptions{Each: func(r fleet.Result) { st.results <- r }})
		if left := len(jobs) - len(st.all); left > 0 {
			// Run starts nothing once the run's time is up or it was stopped: never silent.
			return fmt.Errorf("%d not tried (the run stopped: %w)", left, req.Ctx.Err())
		}
		return nil
	})
}

// nextBulk waits for the run's next result; once the run is over it is the request's answer.
func nextBulk(env common.Envelope, st *bulkStream) tea.Cmd {
	return func() tea.Msg {
		r, ok := <-st.results
		if !ok {
			return common.Reply[bulkDoneMsg]{Envelope: env, Err: st.err, Payload: bulkDoneMsg{results: st.all, total: st.total}}
		}
		return bulkResultMsg{env: env, r: r, stream: st}
	}
}

// onBulkResult shows one result on its row and waits for the next. A result for the org shown
// before a switch changes nothing here: the run's answer reports it.
func (s *Screen) onBulkResult(msg bulkResultMsg) tea.Cmd {
	next := nextBulk(msg.env, msg.stream)
	if s.c.Judge(msg.env) != common.Wanted || s.bulk == nil {
		return next
	}
	b, r := s.bulk, msg.r
	switch {
	case r.Err == nil:
		b.ok++
		s.marks[r.ID] = &mark{state: extended}
		if r.DataSource != nil {
			s.upsert(r.DataSource)
		}
	case errors.Is(r.Err, api.ErrNotFound):
		// Deleted elsewhere: nothing to retry, so the row goes.
		b.gone++
		delete(s.marks, r.ID)
		s.remove(r.ID)
	default:
		// One failure, one row; a row fleet did not try after Webex throttled the org says so.
		b.failed++
		s.marks[r.ID] = &mark{state: failed, reason: s.reason(r.Err)}
	}
	s.resizeList()
	return next
}

// onBulkDone says how the run went.
func (s *Screen) onBulkDone(r common.Reply[bulkDoneMsg]) tea.Cmd {
	if s.c.Judge(r) == common.Previous {
		return previousBulk(r)
	}
	b := s.bulk
	if b == nil {
		return nil
	}
	s.bulk = nil
	for _, m := range s.marks {
		if m.state == waiting {
			m.state = marked // never tried (the run was stopped): marked again, for the next x
		}
	}
	s.resizeList()
	text := fmt.Sprintf("extended %d of %d", b.ok, b.total)
	if b.gone > 0 {
		text += fmt.Sprintf("; %d deleted elsewhere, dropped from the list", b.gone)
	}
	if r.Err != nil {
		return common.Error("extending tokens", fmt.Errorf("%s: %w", text, r.Err))
	}
	if b.failed > 0 {
		return common.Error("extending tokens", fmt.Errorf("%s; %d failed and stay marked with their reason: press %s to retry them", text, b.failed, s.c.Keys.Extend.Help().Key))
	}
	return common.Notice(text)
}

// previousBulk reports a run made for the org shown before a switch: what it did there.
func previousBulk(r common.Reply[bulkDoneMsg]) tea.Cmd {
	ok, bad := 0, 0
	for _, res := range r.Payload.results {
		if res.Err == nil {
			ok++
		} else {
			bad++
		}
	}
	text := fmt.Sprintf("extended %d of %d in the previous org", ok, r.Payload.total)
	if bad > 0 || r.Err != nil {
		err := r.Err
		if err == nil {
			err = fmt.Errorf("%s; %d failed", text, bad)
		}
		return common.Error("extending tokens (previous org)", err)
	}
	return common.Notice(text)
}

// reason is a failed row's text under the list: fleet.Describe's headline and trackingId.
func (s *Screen) reason(err error) string {
	return safetext.Line(fleet.Describe(err).Line())
}

// failures are the rows whose extend failed, in the table's order, for the panel under the list.
func (s *Screen) failures() []string {
	// Each frame asks: walking every row when nothing failed was most of a cursor step's
	// cost at fleet size, so the rows are walked (for their order) only when a mark failed.
	anyFailed := false
	for _, m := range s.marks {
		if m.state == failed {
			anyFailed = true
			break
		}
	}
	if !anyFailed {
		return nil
	}
	var out []string
	for _, i := range s.tbl.Order {
		ds := s.tbl.Rows[i].ds
		if m, ok := s.marks[ds.ID]; ok && m.state == failed {
			out = append(out, name(ds)+": "+m.reason)
		}
	}
	return out
}

// maxFailLines caps the failure panel; the rest are counted.
const maxFailLines = 3

// failPanel is the lines under the table that give each failure's reason.
func (s *Screen) failPanel() []string {
	f := s.failures()
	lines := append(append(s.alertLines(), s.verdictLines()...), s.probeLines...)
	if len(f) == 0 {
		return capLines(lines, s)
	}
	st := s.c.Styles
	for i, t := range f {
		if i == maxFailLines && len(f) > maxFailLines+1 {
			lines = append(lines, st.Muted.Render(format.Cut("  … "+strconv.Itoa(len(f)-i)+" more failed (marked "+styles.GlyphError+")", s.width)))
			break
		}
		lines = append(lines, st.Error.Render(format.Cut(styles.GlyphError+" "+t, s.width)))
	}
	return capLines(lines, s)
}

// capLines keeps the panel to a third of the body, cutting each line to the width.
func capLines(lines []string, s *Screen) []string {
	room := max(s.height/3, 1)
	if len(lines) > room {
		n := len(lines) - room + 1
		lines = append(lines[:room-1], s.c.Styles.Muted.Render("  … "+strconv.Itoa(n)+" more"))
	}
	for i, l := range lines {
		lines[i] = format.Cut(l, s.width)
	}
	return lines
}

// resizeList gives the table the room the failure panel leaves.
func (s *Screen) resizeList() {
	s.List.SetSize(s.width, s.height-len(s.failPanel()))
	s.List.Clamp(s.tbl.Len())
}

// bulkTitle is the title's part about marks and a run under way.
func (s *Screen) bulkTitle() string {
	var parts []string
	if n := s.markCount(); n > 0 {
		parts = append(parts, strconv.Itoa(n)+" marked")
	}
	if b := s.bulk; b != nil {
		parts = append(parts, fmt.Sprintf("extending %d/%d", b.ok+b.failed+b.gone, b.total))
	}
	if len(parts) == 0 {
		return ""
	}
	return " · " + strings.Join(parts, " · ")
}
