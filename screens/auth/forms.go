package auth

import (
	"errors"
	"strings"

	"charm.land/huh/v2"
	"github.com/byova/byova/signin"
)

// page is one screenful of the wizard: a heading, a line or two saying where the values come
// from, and the fields. The terminal UI shows a method's pages as one huh form (hidden pages
// skipped); plain prompts run them one by one.
type page struct {
	heading string
	intro   []string
	fields  []huh.Field
	hidden  func() bool // nil: always shown
}

// kit builds the fields the same way for the terminal UI and for plain prompts.
type kit struct {
	accessible bool
	// echoSecrets: plain prompts reading a pipe, where nothing is echoed anyway and a
	// password prompt cannot work (it needs a terminal).
	echoSecrets bool
	// width is the form's: an inline input must know it before its value is set, or a long
	// value (a masked secret) is drawn whole, dropping below its label, until first focused.
	width int
}

const labelWidth = 15

// label is an inline title in the terminal UI ("Client ID      ") and a prompt in plain mode,
// which says when enter keeps a value that is already there.
func (k kit) label(name string, current string, secret bool) string {
	if !k.accessible {
		return name + strings.Repeat(" ", max(labelWidth-len(name), 1))
	}
	switch {
	case current != "" && secret:
		return name + " (enter keeps the one already set):"
	case current != "":
		return name + " [" + current + "]:"
	}
	return name + ":"
}

func (k kit) input(key, name string, value *string, placeholder string, validate func(string) error) *huh.Input {
	in := huh.NewInput().Key(key).Title(k.label(name, *value, false))
	if !k.accessible {
		in = k.sized(in.Inline(true).Placeholder(placeholder))
	}
	return in.Value(value).Validate(k.keepable(*value != "", validate))
}

// sized gives an inline input its width before its value (see kit.width).
func (k kit) sized(in *huh.Input) *huh.Input {
	if k.width > 0 {
		in.WithWidth(max(min(k.width, formWidth), 20))
	}
	return in
}

// secret is a masked input; its value never shows, only bullets.
func (k kit) secret(key, name string, value *string, placeholder string, validate func(string) error) *huh.Input {
	in := huh.NewInput().Key(key).Title(k.label(name, *value, true))
	if !k.accessible || !k.echoSecrets {
		in = in.EchoMode(huh.EchoModePassword)
	}
	if !k.accessible {
		in = k.sized(in.Inline(true).Placeholder(placeholder))
	}
	return in.Value(value).Validate(k.keepable(*value != "", validate))
}

// keepable lets plain prompts take an empty answer as "keep the value already there": huh
// checks the answer before it falls back to that value (RunPlain restores secrets).
func (k kit) keepable(has bool, validate func(string) error) func(string) error {
	if !k.accessible || !has {
		return validate
	}
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		return validate(s)
	}
}

func (k kit) methodPage(v *signin.Values) page {
	return page{
		heading: "Sign in to Webex",
		intro:   []string{"Choose how byova signs in. You can add the others later (auth & orgs screen, n)."},
		fields: []huh.Field{huh.NewSelect[string]().Key("method").Title("How do you want to sign in?").
			Options(
				huh.NewOption("Integration — OAuth in a browser; for webhooks and Service App tokens", signin.MethodIntegration),
				huh.NewOption("Personal access token — paste one from developer.webex.com (lasts 12 h)", signin.MethodPAT),
				huh.NewOption("Service App in a customer org — the token data sources need", signin.MethodServiceApp),
			).Value(&v.Method)},
	}
}

func (k kit) pages(v *signin.Values) []page {
	switch v.Method {
	case signin.MethodIntegration:
		return []page{k.integrationPage(v)}
	case signin.MethodPAT:
		return []page{k.patPage(v)}
	case signin.MethodServiceApp:
		return k.serviceAppPages(v)
	}
	return nil
}

func (k kit) integrationPage(v *signin.Values) page {
	return page{
		heading: "Sign in with your Integration (OAuth)",
		intro: []string{
			"From developer.webex.com → My Webex Apps → your Integration. The redirect URI must be",
			"registered there; byova listens on it (loopback) or you paste where the browser lands.",
		},
		fields: []huh.Field{
			k.input("clientID", "Client ID", &v.ClientID, "C0123…", signin.Required("the client ID")),
			k.secret("clientSecret", "Client secret", &v.ClientSecret, "shown once when the Integration was created", signin.Required("the client secret")),
			k.input("redirectURI", "Redirect URI", &v.RedirectURI, "http://127.0.0.1:8765/callback", signin.ValidRedirect),
			k.input("scopes", "Scopes", &v.Scopes, "space separated", signin.ValidScopes),
		},
	}
}

func (k kit) patPage(v *signin.Values) page {
	return page{
		heading: "Sign in with a personal access token",
		intro: []string{
			"developer.webex.com → Documentation → Getting started: copy your personal access token.",
			"It lasts 12 hours. byova checks it with Webex before storing it.",
		},
		fields: []huh.Field{k.secret("pat", "Token", &v.PAT, "paste the token", signin.ValidPAT)},
	}
}

func (k kit) serviceAppPages(v *signin.Values) []page {
	caller := "Caller token — none yet: sign in with an Integration or a personal access token first"
	if v.CallerName != "" {
		caller = "Caller token — " + v.CallerName + " asks Webex for the org's token"
	}
	source := huh.NewSelect[string]().Key("source").Title("Get the org's token with").
		Options(
			huh.NewOption(caller, signin.SourceCaller),
			huh.NewOption("The Service App's refresh token for this org (sandbox path)", signin.SourceRefresh),
		).Value(&v.Source).Validate(func(s string) error {
		if s == signin.SourceCaller && v.CallerName == "" {
			return errors.New("there is no caller token yet: choose the refresh token, or sign in with a PAT first")
		}
		return nil
	})
	return []page{
		{
			heading: "Add a customer org with your Service App",
			intro: []string{
				"The Service App (developer.webex.com → My Webex Apps) must be authorized in the org by",
				"a Full Admin (Control Hub → Apps → Service Apps). byova checks by listing data sources.",
			},
			fields: []huh.Field{
				k.input("saClientID", "Client ID", &v.SAClientID, "the Service App's client ID", signin.Required("the client ID")),
				k.secret("saClientSecret", "Client secret", &v.SAClientSecret, "the Service App's client secret", signin.Required("the client secret")),
				k.input("org", "Customer org", &v.Org, "org UUID or Webex org ID (Y2lzY29…)", signin.ValidOrg),
				source,
			},
		},
		{
			heading: "Add a customer org with your Service App",
			intro: []string{
				"Paste the refresh token the developer portal showed when the org authorized the",
				"Service App. byova trades it for an access token and keeps both in the token store.",
			},
			fields: []huh.Field{k.secret("refreshToken", "Refresh token", &v.RefreshToken, "the Service App's refresh token for this org", signin.Required("the refresh token"))},
			hidden: func() bool { return v.Source != signin.SourceRefresh },
		},
	}
}
