package signin

import (
	"errors"
	"net/url"
	"strings"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
)

// Values is what the wizard's forms edit, as typed.
type Values struct {
	Method string

	ClientID, ClientSecret, RedirectURI, Scopes string // Integration

	PAT string

	SAClientID, SAClientSecret, Org, Source, RefreshToken string // Service App

	// Known before the forms open, for their labels and defaults.
	CallerName string // "" when there is no caller token
	Finish     string // accessible mode: FinishWait or FinishPaste
}

// Ways to finish an Integration sign-in in accessible mode.
const (
	FinishWait  = "wait"
	FinishPaste = "paste"
)

// Prefill reads the settings (flag > environment > profile, client secrets from the token
// store) into fresh values. It reads the token store: call it in a tea.Cmd.
func Prefill(sess *session.Session, method string) (*Values, error) {
	st := sess.Settings
	v := &Values{
		Method:   method,
		ClientID: st.IntegrationClientID, ClientSecret: st.IntegrationClientSecret, RedirectURI: st.IntegrationRedirectURI,
		Scopes:     strings.Join(api.DefaultIntegrationScopes, " "),
		SAClientID: st.ServiceAppClientID, SAClientSecret: st.ServiceAppClientSecret,
		RefreshToken: st.ServiceAppRefreshToken,
	}
	if v.RedirectURI == "" {
		v.RedirectURI = api.DefaultRedirectURI
	}
	if f, err := config.LoadFile(sess.ConfigPath); err == nil {
		if p := f.Profiles[sess.Profile()]; p != nil && len(p.Scopes) > 0 {
			v.Scopes = strings.Join(p.Scopes, " ")
		}
	}
	// Only an org named for this run (--org, WEBEX_ORG_ID) is a good guess for the org to add.
	if src := st.Source[config.SettingOrg]; src == config.SourceFlag || src == config.SourceEnv {
		v.Org = st.Org
	}
	if _, name, err := Caller(sess); err == nil {
		v.CallerName = name
	}
	// A caller token works for any org; a refresh token only for the org it was issued in.
	v.Source = SourceRefresh
	if v.CallerName != "" {
		v.Source = SourceCaller
	}
	return v, nil
}

// OAuthClient is the Integration the values describe.
func (v *Values) OAuthClient() api.OAuthClient {
	return api.OAuthClient{ClientID: strings.TrimSpace(v.ClientID), ClientSecret: strings.TrimSpace(v.ClientSecret),
		RedirectURI: strings.TrimSpace(v.RedirectURI), Scopes: strings.Fields(v.Scopes)}
}

// ServiceAppInput is the Service App sign-in the values describe.
func (v *Values) ServiceAppInput() ServiceAppInput {
	return ServiceAppInput{ClientID: v.SAClientID, ClientSecret: v.SAClientSecret, Org: v.Org, Source: v.Source, RefreshToken: v.RefreshToken}
}

// Check validates the values of the chosen method again (plain prompts skip validation when
// their input ends early).
func (v *Values) Check() error {
	switch v.Method {
	case MethodIntegration:
		return errors.Join(Required("the client ID")(v.ClientID), Required("the client secret")(v.ClientSecret),
			ValidRedirect(v.RedirectURI), ValidScopes(v.Scopes))
	case MethodPAT:
		return ValidPAT(v.PAT)
	case MethodServiceApp:
		errs := []error{Required("the client ID")(v.SAClientID), Required("the client secret")(v.SAClientSecret), ValidOrg(v.Org)}
		if v.Source == SourceRefresh {
			errs = append(errs, Required("the refresh token")(v.RefreshToken))
		}
		return errors.Join(errs...)
	}
	return errors.New("choose how to sign in: integration, pat or service-app")
}

// Required refuses an empty value, naming what.
func Required(what string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New(what + " is required")
		}
		return nil
	}
}

// ValidPAT, ValidOrg, ValidRedirect, ValidScopes and ValidAddress check what the forms and
// the plain prompts take, before anything is sent.
func ValidPAT(s string) error {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return errors.New("paste the token from developer.webex.com (it is required)")
	case strings.ContainsAny(s, " \t\r\n"):
		return errors.New("a token has no spaces: paste only the token")
	case strings.HasPrefix(strings.ToLower(s), "bearer"):
		return errors.New("paste the token without the word Bearer")
	}
	return nil
}

func ValidOrg(s string) error {
	if _, err := api.OrgUUID(s); err != nil {
		if strings.TrimSpace(s) == "" {
			return errors.New("the customer org is required: its UUID or Webex org ID (Control Hub → Account)")
		}
		return err
	}
	return nil
}

func ValidRedirect(s string) error {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return errors.New("the redirect URI is an http(s) address registered on the Integration, e.g. " + api.DefaultRedirectURI)
	}
	return nil
}

func ValidScopes(s string) error {
	if len(strings.Fields(s)) == 0 {
		return errors.New("at least one scope is needed; spark:applications_token fetches Service App tokens")
	}
	return nil
}

func ValidAddress(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return errors.New("paste the whole address from the browser's address bar")
	}
	u, err := url.Parse(s)
	if err != nil || u.RawQuery == "" {
		return errors.New("that is not the address you were redirected to: it has ?code=…&state=…")
	}
	return nil
}
