package datasources

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/google/uuid"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/fleet"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/dialog"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/formhost"
	"github.com/byova/byova/ui/styles"
)

// formValues is what the register/edit form edits. Strings, as typed; checked by validate.
type formValues struct {
	schemaID     string
	url          string
	audience     string
	subject      string
	lifetime     string
	status       string
	errorMessage string
	nonce        string
}

// dsForm is the register (n) or edit (e) form. The huh form checks each field as the person
// leaves it; completing it opens a confirmation that shows exactly what will be sent.
type dsForm struct {
	s       *Screen
	editing *api.DataSource // nil: registering
	v       *formValues
	initial formValues // as the form opened: esc asks before discarding anything else
	pending uint64     // the write request sent from this form
	width   int
	height  int

	host formhost.Host // the huh form, and the keys typed while it moves between fields

	schemaSel *huh.Select[string] // the schema picker, when the schema list loaded
}

// schemaEmpty: the schema picker has focus and its filter lets no schema through, so huh
// draws an empty list and enter does nothing; the form says why instead.
func (f *dsForm) schemaEmpty() bool {
	if f.schemaSel == nil || f.host.Form == nil || f.host.Form.GetFocusedField() != f.schemaSel {
		return false
	}
	_, ok := f.schemaSel.Hovered()
	return !ok
}

// openForm opens the register form (ds nil) or the edit form prefilled from ds.
func (s *Screen) openForm(ds *api.DataSource) tea.Cmd {
	v := &formValues{lifetime: strconv.Itoa(api.MaxLifetimeMinutes), status: "active", nonce: s.c.NewNonce()}
	if ds != nil {
		// Shown as safetext shows them; saving an untouched field sends Webex's value back
		// (safetext.Restore).
		v.schemaID, v.url = safetext.Line(ds.SchemaID), safetext.Line(ds.URL)
		v.audience, v.subject = safetext.Line(ds.Audience), safetext.Line(ds.Subject)
		v.lifetime = strconv.Itoa(fleet.Lifetime(ds, 0).Minutes)
		v.status, v.errorMessage = "active", safetext.Line(ds.ErrorMessage)
		if strings.EqualFold(ds.Status, "disabled") {
			v.status = "disabled"
		}
	} else if len(s.schemaList) > 0 {
		v.schemaID = s.schemaList[0].ID
	}
	s.form = &dsForm{s: s, editing: ds, v: v}
	s.form.setSize(s.width, s.height)
	s.mode = modeForm
	cmd := s.form.reopen()
	// After huh has built the form: its inputs and pickers settle their values as it does.
	s.form.initial = *v
	return cmd
}

// reopen (re)builds the huh form from the values, so a cancelled confirmation or a request
// Webex refused returns to the form as it was typed.
func (f *dsForm) reopen() tea.Cmd {
	f.host.Reset(f.build())
	f.applySize()
	return f.host.Form.Init()
}

func (f *dsForm) setSize(w, h int) {
	f.width, f.height = w, h
	if f.host.Form != nil {
		f.applySize()
	}
}

// applySize fits the form under its two title lines, keeping room below for huh's error
// lines: huh sizes its groups to their content when told the window size.
func (f *dsForm) applySize() {
	f.host.Form.WithWidth(min(f.width, 100))
	f.host.Form.Update(tea.WindowSizeMsg{Width: min(f.width, 100), Height: max(f.height-3-errorRoom, 5)})
}

// errorRoom is the lines kept for validation messages under the fields.
const errorRoom = 3

func (f *dsForm) build() *huh.Form {
	s, v := f.s, f.v
	var fields []huh.Field
	if len(s.schemaList) > 0 {
		opts := make([]huh.Option[string], 0, len(s.schemaList)+1)
		known := false
		for _, sc := range s.schemaList {
			opts = append(opts, huh.NewOption(schemaOption(sc, min(f.width, 100)-6), sc.ID))
			known = known || sc.ID == v.schemaID
		}
		if !known && v.schemaID != "" {
			opts = append(opts, huh.NewOption("(current) "+v.schemaID, v.schemaID))
		}
		f.schemaSel = huh.NewSelect[string]().Key("schema").Title("Schema").
			Options(opts...).Value(&v.schemaID).Height(min(len(opts), 4) + 1).Filtering(false)
		fields = append(fields, f.schemaSel)
	} else {
		f.schemaSel = nil
		fields = append(fields, huh.NewInput().Key("schema").Title("Schema ID ").Inline(true).
			Placeholder("UUID (the schema list could not be loaded)").Value(&v.schemaID).Validate(validSchemaID))
	}
	fields = append(fields,
		huh.NewInput().Key("url").Title("URL       ").Inline(true).Placeholder("e.g. https://byova.example.com/grpc").
			Value(&v.url).Validate(validURL),
		huh.NewInput().Key("audience").Title("Audience  ").Inline(true).Placeholder("becomes the JWS aud, e.g. BYOVAGateway").
			Value(&v.audience).Validate(required("audience")),
		huh.NewInput().Key("subject").Title("Subject   ").Inline(true).Placeholder("becomes the JWS sub, e.g. callAudioData").
			Value(&v.subject).Validate(required("subject")),
		huh.NewInput().Key("lifetime").Title("Lifetime  ").Description("minutes, 1-1440: ").Inline(true).Placeholder("1 to 1440").
			Value(&v.lifetime).Validate(validLifetime), // no CharLimit: huh cuts the placeholder to it ("minut"); validLifetime bounds it
	)
	if f.editing != nil {
		fields = append(fields, huh.NewSelect[string]().Key("status").Title("Status    ").Inline(true).
			Options(huh.NewOption("✓ active", "active"), huh.NewOption("✗ disabled", "disabled")).Value(&v.status))
	}
	groups := []*huh.Group{huh.NewGroup(fields...)}
	if f.editing != nil {
		groups = append(groups, huh.NewGroup(
			huh.NewInput().Key("errorMessage").Title("Why is it disabled?").
				Description("Shown to the customer's admin in Control Hub. Required when disabling.").
				Placeholder("e.g. maintenance until 06:00 UTC").Value(&v.errorMessage).Validate(required("the reason")),
		).WithHideFunc(func() bool { return v.status != "disabled" }))
	}
	return huh.NewForm(groups...).WithTheme(s.c.Styles.Form()).WithShowHelp(false).WithShowErrors(true)
}

// schemaOption is "serviceType · protocol · id", with the id shortened when the line would
// not fit (the confirmation shows it in full).
func schemaOption(sc api.Schema, room int) string {
	var parts []string
	for _, p := range []string{sc.ServiceType, sc.Protocol} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	full := safetext.Line(strings.Join(append(parts, sc.ID), " · "))
	if safetext.Width(full) <= room {
		return full
	}
	return safetext.Line(strings.Join(append(parts, format.ShortID(sc.ID)+"…"), " · "))
}

func validSchemaID(v string) error {
	if _, err := uuid.Parse(strings.TrimSpace(v)); err != nil {
		return errors.New("a schema ID is a UUID")
	}
	return nil
}

func validURL(v string) error {
	v = strings.TrimSpace(v)
	if v == "" {
		return errors.New("the URL is required")
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		return errors.New("not a URL: give https://host/path")
	}
	if u.Scheme == "" {
		return errors.New("not a URL: give https://host/path")
	}
	// Another scheme than https or wss gets a warning (urlWarning), not a refusal: as in the
	// CLI, Webex decides whether to accept it.
	return nil
}

// urlWarning is the line shown (in the form and its confirmation) for a URL that is not TLS.
func urlWarning(v string) string {
	u, err := url.Parse(strings.TrimSpace(v))
	if err != nil || u.Host == "" || u.Scheme == "https" || u.Scheme == "wss" {
		return ""
	}
	return "not https:// or wss://: sent anyway, and Webex decides whether to accept it"
}

func required(what string) func(string) error {
	return func(v string) error {
		if strings.TrimSpace(v) == "" {
			return errors.New(what + " is required")
		}
		return nil
	}
}

func validLifetime(v string) error {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return errors.New("the lifetime is a whole number of minutes, 1 to 1440")
	}
	return api.ValidateLifetime(n)
}

// validate checks every value again before anything is sent.
func (v *formValues) validate(editing bool) error {
	checks := []error{validURL(v.url), required("audience")(v.audience), required("subject")(v.subject), validLifetime(v.lifetime)}
	if strings.TrimSpace(v.schemaID) == "" {
		checks = append(checks, errors.New("choose a schema"))
	}
	if editing && v.status == "disabled" {
		checks = append(checks, required("the reason for disabling")(v.errorMessage))
	}
	return errors.Join(checks...)
}

func (v *formValues) lifetimeN() int {
	n, _ := strconv.Atoi(strings.TrimSpace(v.lifetime))
	return n
}

func (f *dsForm) keyMap() []key.Binding { return f.host.KeyMap(f.s.c.Keys, f.s.c.Keys.Regenerate) }

// formKey: esc leaves without sending, ctrl+r draws a new nonce, the rest goes to huh.
func (s *Screen) formKey(msg tea.KeyPressMsg) tea.Cmd {
	f := s.form
	if f == nil {
		s.mode = s.back()
		return nil
	}
	switch {
	case f.host.Cancels(s.c.Keys, msg):
		if f.typed() {
			return s.askDiscard()
		}
		return s.formEvents().Aborted()
	case key.Matches(msg, s.c.Keys.Regenerate):
		f.v.nonce = s.c.NewNonce()
		return common.Notice("new nonce " + config.Mask(f.v.nonce))
	case key.Matches(msg, s.c.Keys.Accept) && f.schemaEmpty():
		return common.Notice("no schema matches the filter, so there is none to pick: esc clears the filter")
	}
	return s.sendKey(msg)
}

// typed reports that a value differs from what the form opened with (a new nonce alone is not
// typing: it is drawn again on every form).
func (f *dsForm) typed() bool {
	now := *f.v
	now.nonce = f.initial.nonce
	return now != f.initial
}

// changedFields names the fields whose values differ from what the form opened with.
func (f *dsForm) changedFields() []string {
	a, b := *f.v, f.initial
	var out []string
	for _, c := range []struct {
		name     string
		now, was string
	}{
		{"schema", a.schemaID, b.schemaID}, {"url", a.url, b.url}, {"audience", a.audience, b.audience},
		{"subject", a.subject, b.subject}, {"lifetime", a.lifetime, b.lifetime}, {"status", a.status, b.status},
		{"reason", a.errorMessage, b.errorMessage},
	} {
		if c.now != c.was {
			out = append(out, c.name)
		}
	}
	return out
}

// askDiscard asks before esc throws away what was typed; n goes back to the form as it was.
func (s *Screen) askDiscard() tea.Cmd {
	back := func() tea.Cmd { s.mode = modeForm; return nil }
	s.confirm = dialog.Discard(s.form.changedFields(), s.formEvents().Aborted, back)
	s.mode = modeConfirm
	return nil
}

// updateForm passes a message to huh; when the form is complete, it asks for confirmation.
func (s *Screen) updateForm(msg tea.Msg) tea.Cmd { return s.form.host.Step(msg, s.formEvents()) }

// sendKey gives a key to huh, which holds it while it moves to another field.
func (s *Screen) sendKey(msg tea.KeyPressMsg) tea.Cmd { return s.form.host.Send(msg, s.formEvents()) }

// formEvents is what this screen does around the form open now.
func (s *Screen) formEvents() formhost.Events {
	f := s.form
	return formhost.Events{
		Key:       s.formKey,
		Open:      func() bool { return s.form == f && s.mode == modeForm },
		Completed: s.confirmForm,
		Aborted: func() tea.Cmd {
			s.form = nil
			s.mode = s.back()
			return common.Notice("cancelled: nothing was sent")
		},
	}
}

// confirmForm shows what the form will send and sends it only on y.
func (s *Screen) confirmForm() tea.Cmd {
	f := s.form
	v := f.v
	if err := v.validate(f.editing != nil); err != nil {
		s.mode = modeForm
		return tea.Batch(f.reopen(), common.Error("checking the form", err))
	}
	back := func() tea.Cmd {
		s.mode = modeForm
		return f.reopen()
	}
	d := &dialog.Confirm{OnCancel: back}
	sch := schemaName(v.schemaID, s.schemas)
	if f.editing == nil {
		in := api.DataSourceCreate{SchemaID: strings.TrimSpace(v.schemaID), URL: strings.TrimSpace(v.url),
			Audience: strings.TrimSpace(v.audience), Subject: strings.TrimSpace(v.subject), Nonce: v.nonce,
			TokenLifetimeMinutes: v.lifetimeN()}
		d.Title, d.Action = "Register this data source?", "register"
		d.Rows = [][2]string{
			{"schema", sch + "  " + in.SchemaID},
			{"url", in.URL},
			{"audience", in.Audience},
			{"subject", in.Subject},
			{"lifetime", strconv.Itoa(in.TokenLifetimeMinutes) + " min"},
			{"nonce", config.Mask(in.Nonce)},
		}
		d.Note = "Webex will deliver to this URL with a JWS signed for this audience and subject."
		d.OnConfirm = func() tea.Cmd {
			cmd := s.createCmd(in)
			f.pending = s.lastWrite
			return cmd
		}
	} else {
		orig := f.editing
		up := api.UpdateFrom(orig)
		up.SchemaID = strings.TrimSpace(safetext.Restore(v.schemaID, orig.SchemaID))
		up.URL = strings.TrimSpace(safetext.Restore(v.url, orig.URL))
		up.Audience = strings.TrimSpace(safetext.Restore(v.audience, orig.Audience))
		up.Subject = strings.TrimSpace(safetext.Restore(v.subject, orig.Subject))
		up.TokenLifetimeMinutes, up.Nonce, up.Status = v.lifetimeN(), v.nonce, v.status
		up.ErrorMessage = ""
		if v.status == "disabled" {
			up.ErrorMessage = strings.TrimSpace(safetext.Restore(v.errorMessage, orig.ErrorMessage))
		}
		d.Title, d.Action = "Save the changes to "+name(orig)+"?", "save"
		d.Rows = changes(orig, up, s.schemas)
		d.Rows = append(d.Rows, [2]string{"nonce", "new: " + config.Mask(up.Nonce)})
		d.Note = "Every update gets a fresh nonce, so Webex issues a new token."
		if v.status == "disabled" && !strings.EqualFold(orig.Status, "disabled") {
			d.Note = "Disabling stops delivery; the customer's admin sees the reason in Control Hub."
		}
		id := orig.ID
		d.OnConfirm = func() tea.Cmd {
			cmd := s.updateCmd(id, up)
			f.pending = s.lastWrite
			return cmd
		}
	}
	if w := urlWarning(v.url); w != "" {
		d.Note = styles.GlyphSoon + " " + w + ". " + d.Note
	}
	s.confirm = d
	s.mode = modeConfirm
	return nil
}

// changes lists the fields an edit changes, old → new.
func changes(orig *api.DataSource, up api.DataSourceUpdate, schemas map[string]api.Schema) [][2]string {
	var rows [][2]string
	add := func(label, from, to string) {
		if from != to {
			if from == "" {
				from = "—"
			}
			if to == "" {
				to = "—"
			}
			rows = append(rows, [2]string{label, from + " → " + to})
		}
	}
	add("schema", schemaName(orig.SchemaID, schemas), schemaName(up.SchemaID, schemas))
	if orig.SchemaID != up.SchemaID && schemaName(orig.SchemaID, schemas) == schemaName(up.SchemaID, schemas) {
		add("schema id", orig.SchemaID, up.SchemaID)
	}
	add("url", orig.URL, up.URL)
	add("audience", orig.Audience, up.Audience)
	add("subject", orig.Subject, up.Subject)
	add("lifetime", fmt.Sprint(fleet.Lifetime(orig, 0).Minutes)+" min", fmt.Sprint(up.TokenLifetimeMinutes)+" min")
	status := strings.ToLower(orig.Status)
	if status == "" {
		status = "active"
	}
	add("status", status, up.Status)
	add("errorMessage", orig.ErrorMessage, up.ErrorMessage)
	if len(rows) == 0 {
		rows = append(rows, [2]string{"changes", "none besides the nonce (this renews the token)"})
	}
	return rows
}

func (f *dsForm) view() string {
	st := f.s.c.Styles
	title := "Register a data source"
	if f.editing != nil {
		title = "Edit " + name(f.editing) + "  " + st.Muted.Render(safetext.Line(f.editing.ID))
	}
	nonce := st.FieldName.Render("nonce ") + config.Mask(f.v.nonce) +
		st.Muted.Render("  (fresh for this request · ctrl+r draws another)")
	warn := ""
	switch {
	case f.schemaEmpty():
		warn = format.Cut(st.FieldName.Render("Schema")+st.ExpirySoon.Render(" · no schema matches the filter: esc clears it"), f.width)
	case f.host.SelectFiltering():
		// huh draws the filter ("/sock") where the field's title was: name the field here.
		warn = format.Cut(st.FieldName.Render("Schema")+st.Muted.Render(" · filtering the list: enter or esc keeps the filter, esc again clears it"), f.width)
	case urlWarning(f.v.url) != "":
		warn = format.Cut(st.ExpirySoon.Render(styles.GlyphSoon+" "+urlWarning(f.v.url)), f.width)
	}
	return format.Cut(st.Title.Render(title), f.width) + "\n" + format.Cut(nonce, f.width) + "\n" + warn + "\n" + f.host.Form.View()
}
