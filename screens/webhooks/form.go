package webhooks

import (
	"errors"
	"net/url"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/byova/byova/api"
	"github.com/byova/byova/safetext"
	"github.com/byova/byova/ui/common"
	"github.com/byova/byova/ui/dialog"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/formhost"
	"github.com/charmbracelet/x/ansi"
)

// formKind is which form is open.
type formKind int

const (
	formCreate formKind = iota // n
	formEdit                   // e
	formEnsure                 // E
)

// formValues is what the forms edit, as typed; validate checks it all again before anything
// is sent.
type formValues struct {
	name, target, resource, event, filter string
	secretMode                            string // secretGenerate, secretType, secretNone or secretKeep
	secret                                string // typed (secretType)
	reactivate                            bool
}

// whForm is one of the three forms. The huh form checks each field as the person leaves it;
// completing it opens a confirmation that shows exactly what will be sent.
type whForm struct {
	s       *Screen
	kind    formKind
	editing *api.Webhook // formEdit
	v       *formValues
	initial formValues // as the form opened: esc asks before discarding anything else
	pending uint64     // the write request sent from this form
	width   int
	height  int

	host formhost.Host // the huh form, and the keys typed while it moves between fields

	events   *huh.Select[string] // the event picker of the create form, and the resource
	eventsOf string              // whose events it offers now
}

// openCreate opens the create form: serviceApp authorized is what a BYOVA integration needs
// first, so it is what the pickers start on.
func (s *Screen) openCreate() tea.Cmd {
	v := &formValues{resource: resourceEvents[0].resource, event: resourceEvents[0].events[0], secretMode: secretGenerate}
	return s.openForm(&whForm{s: s, kind: formCreate, v: v})
}

func (s *Screen) startEdit(wh *api.Webhook) tea.Cmd {
	// Shown as safetext shows them; an untouched field is sent back as Webex had it (safetext.Restore).
	v := &formValues{name: safetext.Line(wh.Name), target: safetext.Line(wh.TargetURL), resource: wh.Resource, event: wh.Event, filter: safetext.Line(wh.Filter),
		secretMode: secretKeep, reactivate: statusOf(wh) != "active"}
	return s.openForm(&whForm{s: s, kind: formEdit, editing: wh, v: v})
}

func (s *Screen) openForm(f *whForm) tea.Cmd {
	s.form = f
	f.setSize(s.width, s.height)
	s.mode = modeForm
	cmd := f.reopen()
	// After huh has built the form: its pickers settle their values as it does.
	f.initial = *f.v
	return cmd
}

// reopen (re)builds the huh form from the values, so a cancelled confirmation or a request
// Webex refused returns to the form as it was typed.
func (f *whForm) reopen() tea.Cmd {
	f.host.Reset(f.build())
	// Init first (it starts huh's bookkeeping), then the size, whose update also asks the
	// event picker for its options: that command must run, or the picker stays empty.
	initCmd := f.host.Form.Init()
	return tea.Batch(initCmd, f.applySize())
}

// setSize resizes the form. The command a resize may return is dropped: huh only asks for
// the event options again when the resource changes, which a resize does not.
func (f *whForm) setSize(w, h int) {
	f.width, f.height = w, h
	if f.host.Form != nil {
		_ = f.applySize()
	}
}

// headerLines is the title and the hint above the fields, and the blank line under them.
const headerLines = 3

// errorRoom is the lines kept for validation messages under the fields.
const errorRoom = 2

func (f *whForm) formWidth() int { return min(f.width, 100) }

func (f *whForm) applySize() tea.Cmd {
	w := f.formWidth()
	f.host.Form.WithWidth(w)
	_, cmd := f.host.Form.Update(tea.WindowSizeMsg{Width: w, Height: max(f.height-headerLines-errorRoom, 5)})
	return cmd
}

// tall reports room for taller pickers (the 80x24 minimum gets compact ones).
func (f *whForm) tall() bool { return f.height >= 27 }

func (f *whForm) build() *huh.Form {
	v := f.v
	var fields []huh.Field
	switch f.kind {
	case formCreate:
		fields = append(fields,
			f.prefilled(huh.NewInput().Key("name").Title("Name       ").Inline(true).
				Placeholder("blank: byova <resource> <event>").CharLimit(100), &v.name),
			f.targetInput(),
			f.resourceSelect(),
			f.eventSelect(),
			f.prefilled(huh.NewInput().Key("filter").Title("Filter     ").Inline(true).
				Placeholder("optional key=value, e.g. id=<Service App ID>").Validate(validFilter), &v.filter),
			f.secretSelect(
				huh.NewOption("generate one (shown once, after creating)", secretGenerate),
				huh.NewOption("type my own", secretType),
				huh.NewOption("none: deliveries are not signed", secretNone)),
		)
	case formEdit:
		fields = append(fields,
			f.prefilled(huh.NewInput().Key("name").Title("Name       ").Inline(true).Validate(required("the name")).CharLimit(100), &v.name),
			f.targetInput(),
			f.secretSelect(
				huh.NewOption("keep the current one", secretKeep),
				huh.NewOption("generate a new one (shown once, after saving)", secretGenerate),
				huh.NewOption("type a new one", secretType)),
		)
		if statusOf(f.editing) != "active" {
			fields = append(fields, huh.NewConfirm().Key("reactivate").Title("Re-activate").
				Description("Webex turned this webhook off, usually after failed deliveries.").
				Affirmative("Yes, re-activate").Negative("No, leave it off").Value(&v.reactivate))
		}
	case formEnsure:
		fields = append(fields,
			f.targetInput(),
			f.secretSelect(
				huh.NewOption("generate one (shown once, if a webhook is created)", secretGenerate),
				huh.NewOption("type my own (the one your receiver checks)", secretType),
				huh.NewOption("none: deliveries are not signed", secretNone)),
		)
	}
	groups := []*huh.Group{
		huh.NewGroup(fields...),
		huh.NewGroup(
			huh.NewInput().Key("secret").Title("Secret").
				Description("The key Webex signs each delivery with (HMAC-SHA1 in X-Spark-Signature). It is not shown as you type.").
				EchoMode(huh.EchoModePassword).Value(&v.secret).Validate(required("the secret")),
		).WithHideFunc(func() bool { return v.secretMode != secretType }),
	}
	return huh.NewForm(groups...).WithTheme(f.s.c.Styles.Form()).WithShowHelp(false).WithShowErrors(true)
}

func (f *whForm) targetInput() *huh.Input {
	return f.prefilled(huh.NewInput().Key("target").Title("Target URL ").Inline(true).
		Placeholder("https://… that receives the events").Validate(validTarget), &f.v.target)
}

// prefilled binds an input to value once its width is known: the text input works out which
// part of a long value it shows when the value is set, so a prefilled URL longer than the
// field would otherwise be drawn whole (and wrap) until the field is focused.
func (f *whForm) prefilled(in *huh.Input, value *string) *huh.Input {
	in.WithWidth(f.formWidth())
	return in.Value(value)
}

func (f *whForm) resourceSelect() *huh.Select[string] {
	w := f.formWidth() - 6
	opts := make([]huh.Option[string], 0, len(resourceEvents))
	for _, re := range resourceEvents {
		label := re.resource
		if re.about != "" && len(label)+len(re.about)+5 <= w {
			label += "  — " + re.about
		}
		opts = append(opts, huh.NewOption(label, re.resource))
	}
	h := 3
	if f.tall() {
		h = 6
	}
	return huh.NewSelect[string]().Key("resource").Title("Resource").Options(opts...).Value(&f.v.resource).Height(h + 1)
}

// eventSelect offers the events of the chosen resource; it follows the resource picker.
// Resources are many (a list, ↑ ↓); events per resource are few (inline, ← →).
func (f *whForm) eventSelect() *huh.Select[string] {
	v := f.v
	sel := huh.NewSelect[string]().Key("event").Title("Event").Value(&v.event).
		Validate(func(e string) error {
			if !knownEvent(v.resource, e) {
				return errors.New("choose an event of " + v.resource)
			}
			return nil
		})
	f.events, f.eventsOf = sel, ""
	f.followResource()
	// Inline at every size, so the keys (← →) do not change with the terminal.
	return sel.Inline(true)
}

// followResource offers the events of the resource chosen now. It runs after every step of
// the form, in Update: huh's OptionsFunc would load them with a command instead, and keys
// typed before that command's answer would act on the old resource's events.
func (f *whForm) followResource() {
	if f.events == nil || f.v.resource == f.eventsOf {
		return
	}
	f.eventsOf = f.v.resource
	events := eventsFor(f.v.resource)
	if !knownEvent(f.v.resource, f.v.event) && len(events) > 0 {
		f.v.event = events[0]
	}
	f.events.Options(huh.NewOptions(events...)...)
}

func (f *whForm) secretSelect(opts ...huh.Option[string]) *huh.Select[string] {
	return huh.NewSelect[string]().Key("secretMode").Title("Secret").Inline(true).Options(opts...).Value(&f.v.secretMode)
}

func validTarget(v string) error {
	v = strings.TrimSpace(v)
	if v == "" {
		return errors.New("the target URL is required")
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		return errors.New("not a URL: give https://host/path")
	}
	if u.Scheme != "https" {
		return errors.New("use https:// (Webex delivers only over TLS)")
	}
	return nil
}

// validFilter accepts what Webex does: key=value pairs joined with &.
func validFilter(v string) error {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	for part := range strings.SplitSeq(v, "&") {
		k, val, ok := strings.Cut(part, "=")
		if !ok || strings.TrimSpace(k) == "" || strings.TrimSpace(val) == "" {
			return errors.New("a filter is key=value (several joined with &)")
		}
	}
	return nil
}

func required(what string) func(string) error {
	return func(v string) error {
		if strings.TrimSpace(v) == "" {
			return errors.New(what + " is required")
		}
		return nil
	}
}

// validate checks every value again before anything is sent.
func (f *whForm) validate() error {
	v := f.v
	checks := []error{validTarget(v.target)}
	switch f.kind {
	case formCreate:
		checks = append(checks, validFilter(v.filter))
		if !knownEvent(v.resource, v.event) {
			checks = append(checks, errors.New("choose a resource and one of its events"))
		}
	case formEdit:
		checks = append(checks, required("the name")(v.name))
	}
	if v.secretMode == secretType {
		checks = append(checks, required("the secret")(v.secret))
	}
	return errors.Join(checks...)
}

func (f *whForm) keyMap() []key.Binding { return f.host.KeyMap(f.s.c.Keys) }

// formKey: esc leaves without sending; the rest goes to huh.
func (s *Screen) formKey(msg tea.KeyPressMsg) tea.Cmd {
	f := s.form
	if f == nil {
		s.mode = s.back()
		return nil
	}
	if f.host.Cancels(s.c.Keys, msg) {
		if *f.v != f.initial {
			return s.askDiscard()
		}
		return s.formEvents().Aborted()
	}
	return s.sendKey(msg)
}

// askDiscard asks before esc throws away what was typed; n goes back to the form as it is.
func (s *Screen) askDiscard() tea.Cmd {
	back := func() tea.Cmd { s.mode = modeForm; return nil }
	s.confirm = dialog.Discard(nil, s.formEvents().Aborted, back)
	s.mode = modeConfirm
	return nil
}

// updateForm passes a message to huh; when the form is complete, it asks for confirmation.
func (s *Screen) updateForm(msg tea.Msg) tea.Cmd {
	f := s.form
	ev := s.formEvents()
	cmd := f.host.Step(msg, ev)
	f.followResource()
	return cmd
}

// sendKey gives a key to huh, which holds it while it moves to another field.
func (s *Screen) sendKey(msg tea.KeyPressMsg) tea.Cmd {
	f := s.form
	cmd := f.host.Send(msg, s.formEvents())
	f.followResource()
	return cmd
}

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

func (f *whForm) view() string {
	st := f.s.c.Styles
	var title, hint string
	switch f.kind {
	case formCreate:
		title = "Create a webhook"
		hint = "Webex POSTs each event to the target URL. Nothing is sent until you confirm."
	case formEdit:
		title = "Edit " + nameOf(f.editing) + "  " + st.Muted.Render(safetext.Line(f.editing.Resource+" "+f.editing.Event))
		hint = "Resource, event and filter cannot change: delete the webhook and create another."
	case formEnsure:
		title = "Ensure the serviceApp authorized and deauthorized webhooks"
		hint = "Creates only what is missing for this target, re-activates what Webex turned off."
		if ansi.StringWidth(hint) > f.width {
			hint = "Creates what is missing, re-activates what Webex turned off."
		}
	}
	return format.Cut(st.Title.Render(title), f.width) + "\n" + format.Cut(st.Muted.Render(hint), f.width) + "\n\n" + f.host.Form.View()
}
