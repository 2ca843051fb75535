package auth

import (
	"strings"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/signin"
	"github.com/byova/byova/ui/format"
	"github.com/byova/byova/ui/signintext"
	"github.com/byova/byova/ui/styles"
)

// View renders the wizard in its body size.
func (w *Wizard) View() string {
	st := w.c.Styles
	var lines []string
	switch w.step {
	case wizPrefill:
		lines = []string{st.Title.Render("Sign in to Webex"), "", "  Reading your settings…"}
	case wizForm:
		p := w.form.page()
		lines = append(lines, st.Title.Render(p.heading))
		for _, l := range strings.Split(wrap(strings.Join(p.intro, " "), max(min(w.width, formWidth), 20)), "\n") {
			lines = append(lines, st.Muted.Render(l))
		}
		lines = append(lines, "")
		lines = append(lines, strings.Split(strings.TrimRight(w.form.view(), "\n"), "\n")...)
	case wizBusy:
		lines = []string{st.Title.Render(w.heading()), "", "  " + w.spinner + " " + signintext.Capital(w.busyWhat) + "…"}
	case wizWait:
		lines = w.waitLines()
	case wizDone:
		lines = w.doneLines()
	case wizFailed:
		lines = w.failedLines()
	}
	return w.fit(lines)
}

// fit cuts every line to the width and drops what does not fit in the height.
func (w *Wizard) fit(lines []string) string {
	if w.height > 0 && len(lines) > w.height {
		lines = lines[:w.height]
	}
	for i, l := range lines {
		lines[i] = format.Cut(l, w.width)
	}
	return strings.Join(lines, "\n")
}

func (w *Wizard) heading() string {
	if w.v == nil {
		return "Sign in to Webex"
	}
	switch w.v.Method {
	case signin.MethodIntegration:
		return "Sign in with your Integration (OAuth)"
	case signin.MethodPAT:
		return "Sign in with a personal access token"
	case signin.MethodServiceApp:
		return "Add a customer org with your Service App"
	}
	return "Sign in to Webex"
}

func (w *Wizard) waitLines() []string {
	st, a := w.c.Styles, w.attempt
	inner := max(min(w.width, formWidth)-5, 20)
	lines := []string{st.Title.Render(w.heading()), ""}
	// The address is printed above the wizard, one line the terminal wraps (the app leaves
	// the full screen for it: Wizard.WantsNormalScreen), so a selection copies it whole.
	lines = append(lines, " "+st.Key.Render("1")+"  Open the address printed above in a browser and approve byova's access")
	copyHint := "c copies it"
	if w.pasting {
		copyHint = "c copies it (while the field below is empty)"
	}
	switch {
	case w.opened:
		lines = append(lines, "    "+st.StatusActive.Render(styles.GlyphOK+" opened in your browser")+st.Muted.Render(" · "+copyHint))
	case w.openErr != nil:
		lines = append(lines, "    "+st.ExpirySoon.Render(styles.GlyphSoon+" could not open a browser")+st.Muted.Render(" · "+copyHint))
	case w.env.RemoteSession():
		lines = append(lines, "    "+st.Muted.Render("over SSH: open it on your own computer · "+copyHint))
	case !w.env.CanOpenBrowser():
		lines = append(lines, "    "+st.Muted.Render("no browser here: open it on a computer with one · "+copyHint))
	default:
		lines = append(lines, "    "+st.Muted.Render(copyHint))
	}
	lines = append(lines, "")
	if a.Listener != nil {
		left := w.deadline.Sub(w.c.Now())
		cd := st.ExpiryOK.Render(format.Countdown(left) + " left")
		if left < time.Minute {
			cd = st.ExpirySoon.Render(styles.GlyphSoon + " " + format.Countdown(left) + " left")
		}
		lines = append(lines, " "+st.Key.Render("2")+"  byova is waiting for the browser on "+a.Listener.Addr()+" · "+cd)
		if w.env.RemoteSession() {
			lines = append(lines, "    "+st.Muted.Render("(from your computer only with a tunnel: ssh -L "+port(a.Listener.Addr())+":"+a.Listener.Addr()+" …)"))
		}
	} else {
		lines = append(lines, " "+st.Key.Render("2")+"  "+st.ExpirySoon.Render(styles.GlyphSoon+" byova cannot listen for the redirect:"))
		for _, l := range strings.Split(wrap(a.ListenErr.Error(), inner), "\n") {
			lines = append(lines, "    "+st.Muted.Render(l))
		}
	}
	lines = append(lines, "")
	if a.Listener == nil || w.env.RemoteSession() {
		lines = append(lines, "    Then paste the address the browser lands on after you approve:")
	} else {
		lines = append(lines, "    Or paste the address the browser lands on after you approve:")
	}
	if w.env.RemoteSession() {
		lines = append(lines, "    "+st.Muted.Render("(the page may not load on your computer: copy it from the address bar)"))
	}
	if w.pasting {
		lines = append(lines, "    "+w.paste.View())
	} else {
		lines = append(lines, "    "+st.Muted.Render("press "+w.c.Keys.Paste.Help().Key+" (or just paste) to enter it"))
	}
	if w.pasteErr != nil {
		lines = append(lines, "    "+st.Error.Render(styles.GlyphError+" "+w.pasteErr.Error()))
	}
	return lines
}

func (w *Wizard) doneLines() []string {
	st, o := w.c.Styles, w.outcome
	lines := []string{st.Title.Render(w.heading()), "", st.StatusActive.Render(styles.GlyphOK+" ") + st.Bold.Render(signintext.Headline(*o)), ""}
	for _, r := range signintext.Details(*o, w.c.Now()) {
		lines = append(lines, "  "+st.FieldName.Render(format.Fit(r[0], 9))+" "+r[1])
	}
	lines = append(lines, "", "  "+signintext.NextStep(*o, false))
	return lines
}

func (w *Wizard) failedLines() []string {
	st := w.c.Styles
	method := ""
	if w.v != nil {
		method = w.v.Method
	}
	headline, hint := signintext.Explain(method, w.err)
	inner := max(w.width-4, 20)
	lines := []string{st.Title.Render(w.heading()), ""}
	for i, l := range strings.Split(wrap(headline, inner), "\n") {
		if i == 0 {
			lines = append(lines, st.Error.Render(styles.GlyphError+" ")+st.Bold.Render(l))
		} else {
			lines = append(lines, "  "+st.Bold.Render(l))
		}
	}
	for _, l := range strings.Split(wrap(signintext.Capital(hint)+".", inner), "\n") {
		lines = append(lines, "  "+l)
	}
	if tid := api.TrackingIDOf(w.err); tid != "" {
		lines = append(lines, "  "+st.Muted.Render("trackingId "+tid))
	}
	return lines
}

func port(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		return addr[i+1:]
	}
	return addr
}

// wrap breaks text at spaces to width cells.
func wrap(text string, width int) string {
	var b strings.Builder
	col := 0
	for i, word := range strings.Fields(text) {
		ww := format.Width(word)
		if i > 0 {
			if col+1+ww > width {
				b.WriteByte('\n')
				col = 0
			} else {
				b.WriteByte(' ')
				col++
			}
		}
		b.WriteString(word)
		col += ww
	}
	return b.String()
}
