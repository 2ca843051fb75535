package auth

import (
	"context"
	"fmt"
	"io"
	"strings"

	"charm.land/huh/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/byova/byova/session"
	"github.com/byova/byova/signin"
	"github.com/byova/byova/ui/signintext"
)

// PlainOptions configure the wizard as plain prompts: huh's accessible mode, one question per
// line, for screen readers, TERM=dumb, and answers piped on stdin.
type PlainOptions struct {
	Session  *session.Session
	Env      signin.Env
	Method   string
	Input    io.Reader
	Output   io.Writer
	Terminal bool // Input is a terminal: secrets are read without echo
}

// RunPlain asks the wizard's questions as plain prompts and signs in.
func RunPlain(ctx context.Context, o PlainOptions) (signin.Outcome, error) {
	method := o.Method
	out, err := runPlain(ctx, o, &method)
	if err != nil {
		return out, &signintext.FailedError{Method: method, Err: err}
	}
	return out, nil
}

func runPlain(ctx context.Context, o PlainOptions, method *string) (signin.Outcome, error) {
	out := &colorprofile.Writer{Forward: o.Output, Profile: colorprofile.NoTTY}
	in := o.Input
	if !o.Terminal {
		// huh reads each answer with a new scanner; reading a byte at a time keeps a scanner
		// from swallowing the answers that follow.
		in = oneByteReader{o.Input}
	}
	v, err := signin.Prefill(o.Session, o.Method)
	if err != nil {
		return signin.Outcome{}, err
	}
	k := kit{accessible: true, echoSecrets: !o.Terminal}
	ask := func(p page) error {
		if p.hidden != nil && p.hidden() {
			return nil
		}
		fmt.Fprintln(out, p.heading)
		fmt.Fprintln(out, wrap(strings.Join(p.intro, " "), 80))
		fmt.Fprintln(out)
		keep := *v
		err := huh.NewForm(huh.NewGroup(p.fields...)).WithAccessible(true).WithInput(in).WithOutput(out).RunWithContext(ctx)
		// An empty answer to a secret keeps the one that was set.
		for _, f := range []struct{ cur, old *string }{
			{&v.ClientSecret, &keep.ClientSecret}, {&v.SAClientSecret, &keep.SAClientSecret},
			{&v.RefreshToken, &keep.RefreshToken}, {&v.PAT, &keep.PAT},
		} {
			if strings.TrimSpace(*f.cur) == "" {
				*f.cur = *f.old
			}
		}
		return err
	}
	if o.Method == "" {
		if err := ask(k.methodPage(v)); err != nil {
			return signin.Outcome{}, err
		}
	} else {
		v.Method = o.Method
	}
	*method = v.Method
	for _, p := range k.pages(v) {
		if err := ask(p); err != nil {
			return signin.Outcome{}, err
		}
	}
	if err := v.Check(); err != nil {
		return signin.Outcome{}, &signin.InputError{Err: fmt.Errorf("%w (did the input end early?)", err)}
	}
	switch v.Method {
	case signin.MethodPAT:
		fmt.Fprintln(out, "Checking the token with Webex…")
		return signin.SignInPAT(ctx, o.Session, v.PAT)
	case signin.MethodServiceApp:
		fmt.Fprintln(out, "Getting the org's token and listing its data sources…")
		return signin.SignInServiceApp(ctx, o.Session, v.ServiceAppInput())
	}
	return plainOAuth(ctx, o, v, out, in)
}

func plainOAuth(ctx context.Context, o PlainOptions, v *signin.Values, out io.Writer, in io.Reader) (signin.Outcome, error) {
	a := signin.BeginOAuth(o.Session, v.OAuthClient(), o.Env.State())
	defer a.Close()
	fmt.Fprintf(out, "Open this address in a browser and approve byova's access:\n\n%s\n\n", a.URL)
	if o.Env.CanOpenBrowser() {
		if err := o.Env.OpenURL(a.URL); err == nil {
			fmt.Fprintln(out, "It is open in your browser.")
		} else {
			fmt.Fprintf(out, "Could not open a browser (%v): open the address yourself.\n", err)
		}
	}
	v.Finish = signin.FinishPaste
	if a.Listener != nil {
		if !o.Env.RemoteSession() {
			v.Finish = signin.FinishWait
		}
		sel := huh.NewSelect[string]().Title("How will you finish?").Options(
			huh.NewOption("Wait here: the browser comes back to byova on "+a.Listener.Addr()+" (up to "+o.Env.Wait().String()+")", signin.FinishWait),
			huh.NewOption("Paste the address the browser was sent to", signin.FinishPaste),
		).Value(&v.Finish)
		if err := huh.NewForm(huh.NewGroup(sel)).WithAccessible(true).WithInput(in).WithOutput(out).RunWithContext(ctx); err != nil {
			return signin.Outcome{}, err
		}
	} else {
		fmt.Fprintf(out, "byova cannot listen for the redirect (%v).\n", a.ListenErr)
	}
	var code string
	var err error
	if v.Finish == signin.FinishWait {
		fmt.Fprintf(out, "Waiting up to %s for the browser on %s (ctrl+c stops)…\n", o.Env.Wait(), a.Listener.Addr())
		code, err = a.Listener.Wait(ctx, o.Env.Wait())
	} else {
		var addr string
		field := huh.NewInput().Title("Address the browser was sent to (" + v.RedirectURI + "?code=…):").Value(&addr).Validate(signin.ValidAddress)
		if err := huh.NewForm(huh.NewGroup(field)).WithAccessible(true).WithInput(in).WithOutput(out).RunWithContext(ctx); err != nil {
			return signin.Outcome{}, err
		}
		if err := signin.ValidAddress(addr); err != nil {
			return signin.Outcome{}, &signin.InputError{Err: err}
		}
		code, err = a.CodeFromAddress(addr)
	}
	if err != nil {
		return signin.Outcome{}, err
	}
	a.Close()
	fmt.Fprintln(out, "Exchanging the code for a token…")
	return signin.FinishOAuth(ctx, o.Session, v.OAuthClient(), code)
}

// oneByteReader hands out one byte per Read.
type oneByteReader struct{ r io.Reader }

func (o oneByteReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}
