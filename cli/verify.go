package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/spf13/cobra"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
)

// Webex's key sets (spec §9.2). The integration environment is chosen by its base URL.
var jwksByRegion = map[string]string{
	"us": "https://idbroker.webex.com/idb/oauth2/v2/keys/verificationjwk",
	"eu": "https://idbroker-eu.webex.com/idb/oauth2/v2/keys/verificationjwk",
}

const jwksIntegration = "https://idbrokerbts.webex.com/idb/oauth2/v2/keys/verificationjwk"

// jwksPath is where a non-Webex base URL (the fake, a proxy) serves its key set.
const jwksPath = "/idb/oauth2/v2/keys/verificationjwk"

// clockSkew is how far in the future an iat may be before it counts as wrong.
const clockSkew = time.Minute

// verifyResult is one data source's verdict, a row of the table and an item of --json.
type verifyResult struct {
	ID       string `json:"id"`
	Audience string `json:"audience,omitempty"`
	KeyID    string `json:"kid,omitempty"`
	Result   string `json:"result"` // "ok" or "fail"
	Reason   string `json:"reason,omitempty"`
	Expires  string `json:"tokenExpiryTime,omitempty"`
}

func (a *app) dsVerifyCmd() *cobra.Command {
	var all, asJSON bool
	var jwksURL, region string
	cmd := &cobra.Command{
		Use:   "verify (ID... | --all) [--jwks-url URL] [--region us|eu] [--json]",
		Short: "Check each data source's token: RS256 signature by kid, exp and iat, and claims that match the registration",
		Long: `Fetch Webex's key set and check each data source's jwsToken: the RS256 signature with the key
its kid names, that it has not expired and was not issued in the future, and that its aud, sub,
com.cisco.datasource.schema.uuid and com.cisco.datasource.url claims match the registration.
Exit 0 when every token holds, 4 when any fails.

The key set: --jwks-url, else --region (us, eu), else ` + config.EnvJWKSURL + ` or the profile's jwks_url,
else Webex's US set, or for a base URL that is not Webex's the same origin + ` + jwksPath + `.`,
		Example: `  byova ds verify --all
  byova ds verify 0b7f6a0e-… --region eu --json`,
		RunE: func(cmd *cobra.Command, ids []string) error {
			if all == (len(ids) > 0) {
				return usagef("give data source IDs or --all, not both and not neither")
			}
			if jwksURL != "" && region != "" {
				return usagef("give --jwks-url or --region, not both")
			}
			if region != "" && jwksByRegion[region] == "" {
				return usagef("--region %q: use us or eu", region)
			}
			settings, _, err := a.settings()
			if err != nil {
				return err
			}
			keysAt, err := resolveJWKSURL(jwksURL, region, settings)
			if err != nil {
				return err
			}
			c, _, err := a.orgClient()
			if err != nil {
				return err
			}
			v := &verifier{client: c, url: keysAt, now: time.Now}
			if err := v.load(cmd.Context()); err != nil {
				return fmt.Errorf("fetching the key set from %s: %w (set --jwks-url or %s)", keysAt, err, config.EnvJWKSURL)
			}
			results, err := v.run(cmd.Context(), ids, all)
			if err != nil {
				return err
			}
			if asJSON {
				if err := printJSONList(a.stdout, results); err != nil {
					return err
				}
			} else {
				t := newTable(a.stdout, "ID", "AUDIENCE", "KID", "RESULT", "REASON")
				for _, r := range results {
					word := "✓ ok"
					if r.Result != "ok" {
						word = "✗ fail"
					}
					t.row(visible(r.ID), orDash(visible(r.Audience)), orDash(visible(r.KeyID)), word, orDash(visible(r.Reason)))
				}
				if err := t.flush(); err != nil {
					return err
				}
			}
			failed := 0
			for _, r := range results {
				if r.Result != "ok" {
					failed++
				}
			}
			if len(results) == 0 {
				fmt.Fprintln(a.stderr, "No data sources to verify: register one with `byova datasources create`.")
			}
			if failed > 0 {
				return &partialError{failed: failed, total: len(results)}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&all, "all", false, "verify every data source of the org")
	fl.StringVar(&jwksURL, "jwks-url", "", "key set URL (default: from the base URL, see above)")
	fl.StringVar(&region, "region", "", "Webex key set of a region: us or eu")
	fl.BoolVar(&asJSON, "json", false, "print the results as one JSON array")
	return cmd
}

// resolveJWKSURL picks the key set: flag, region, environment/profile, then the base URL.
func resolveJWKSURL(flag, region string, s config.Settings) (string, error) {
	raw := flag
	switch {
	case raw != "":
	case region != "":
		return jwksByRegion[region], nil
	case s.JWKSURL != "":
		raw = s.JWKSURL
	default:
		base, err := url.Parse(s.BaseURL)
		if err != nil || base.Host == "" {
			return "", usagef("base URL %q is not a URL; give --jwks-url", s.BaseURL)
		}
		switch strings.ToLower(base.Hostname()) {
		case "webexapis.com":
			return jwksByRegion["us"], nil
		case "integration.webexapis.com":
			return jwksIntegration, nil
		}
		return base.Scheme + "://" + base.Host + jwksPath, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", usagef("JWKS URL %q must be an absolute http(s) URL", raw)
	}
	return raw, nil
}

type verifier struct {
	client    *api.Client
	url       string
	now       func() time.Time
	keys      *jose.JSONWebKeySet
	refetched bool // the key set is fetched again once, for a kid it lacks (a rotation)
}

func (v *verifier) load(ctx context.Context) error {
	keys, err := v.client.FetchJWKS(ctx, v.url)
	if err != nil {
		return err
	}
	if keys == nil || len(keys.Keys) == 0 {
		return errors.New("the key set has no keys")
	}
	v.keys = keys
	return nil
}

// run verifies the given data sources (or all of them). A data source that cannot be read is
// a failed row, not the end of the run.
func (v *verifier) run(ctx context.Context, ids []string, all bool) ([]verifyResult, error) {
	var sources []*api.DataSource
	var results []verifyResult
	if all {
		items, err := v.client.ListDataSources(ctx)
		if err != nil {
			return nil, err
		}
		for i := range items {
			sources = append(sources, &items[i])
		}
	} else {
		for _, id := range ids {
			sources = append(sources, &api.DataSource{ID: id})
		}
	}
	for _, d := range sources {
		reg := d.Registered()
		// A list item may lack fields only the token then supplies; compare with what a GET sends.
		if d.JWSToken == "" || reg.Audience == "" || reg.Subject == "" || reg.URL == "" || reg.SchemaID == "" {
			full, err := v.client.GetDataSource(ctx, d.ID)
			if err != nil {
				if errors.Is(err, context.Canceled) {
					return nil, err
				}
				results = append(results, verifyResult{ID: d.ID, Result: "fail", Reason: "could not read it: " + err.Error()})
				continue
			}
			d = full
		}
		results = append(results, v.check(ctx, d))
	}
	return results, nil
}

func exact(a, b string) bool { return a == b }

func (v *verifier) check(ctx context.Context, d *api.DataSource) verifyResult {
	r := verifyResult{ID: d.ID, Audience: d.Audience, Result: "fail"}
	if !d.Expiry().IsZero() {
		r.Expires = d.Expiry().UTC().Format(time.RFC3339)
	}
	if d.JWSToken == "" {
		r.Reason = "Webex sent no jwsToken"
		return r
	}
	if dec, err := api.DecodeJWS(d.JWSToken); err == nil {
		r.KeyID = dec.Header.KeyID
		if len(v.keys.Key(r.KeyID)) == 0 && !v.refetched {
			v.refetched = true
			if old := v.keys; v.load(ctx) != nil {
				v.keys = old
			}
		}
	}
	now := v.now()
	claims, err := api.VerifyJWS(d.JWSToken, v.keys, now)
	if err != nil {
		r.Reason = err.Error()
		return r
	}
	var problems []string
	switch iat := claims.IssuedAtTime(); {
	case claims.IssuedAt == 0:
		problems = append(problems, "no iat claim")
	case iat.After(now.Add(clockSkew)):
		problems = append(problems, "issued in the future ("+iat.UTC().Format(time.RFC3339)+")")
	case claims.Expiry <= claims.IssuedAt:
		problems = append(problems, "exp is not after iat")
	}
	reg := d.Registered()
	for _, c := range []struct {
		claim, got, want string
		same             func(a, b string) bool
	}{
		{"aud", claims.Audience.String(), reg.Audience, exact},
		{"sub", claims.Subject, reg.Subject, exact},
		{"com.cisco.datasource.schema.uuid", claims.SchemaUUID, reg.SchemaID, strings.EqualFold}, // UUIDs: case is not meaning
		{"com.cisco.datasource.url", claims.URL, reg.URL, exact},
	} {
		switch {
		case c.want == "":
			problems = append(problems, c.claim+": Webex sent no registered value to compare with")
		case !c.same(c.got, c.want):
			problems = append(problems, fmt.Sprintf("%s %q does not match the registration's %q", c.claim, c.got, c.want))
		}
	}
	if len(problems) > 0 {
		r.Reason = strings.Join(problems, "; ")
		return r
	}
	r.Result = "ok"
	return r
}
