package api

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"golang.org/x/sync/singleflight"
)

// Webex's key sets (spec §9.2). The integration environment is chosen by its base URL.
var jwksByRegion = map[string]string{
	"us": "https://idbroker.webex.com/idb/oauth2/v2/keys/verificationjwk",
	"eu": "https://idbroker-eu.webex.com/idb/oauth2/v2/keys/verificationjwk",
}

const jwksIntegration = "https://idbrokerbts.webex.com/idb/oauth2/v2/keys/verificationjwk"

// JWKSPath is where a base URL that is not Webex's (the fake, a proxy) serves its key set.
const JWKSPath = "/idb/oauth2/v2/keys/verificationjwk"

// clockSkew is how far in the future an iat may be before it counts as wrong.
const clockSkew = time.Minute

// JWKSRegions are the regions ResolveJWKSURL knows.
func JWKSRegions() []string { return []string{"us", "eu"} }

// ResolveJWKSURL picks the key set that verifies data source tokens: an explicit URL, else a
// region's, else the configured one (profile or environment), else Webex's US set — or, for a
// base URL that is not Webex's, the same origin + JWKSPath.
func ResolveJWKSURL(explicit, region, configured, baseURL string) (string, error) {
	raw := explicit
	switch {
	case raw != "":
	case region != "":
		u, ok := jwksByRegion[region]
		if !ok {
			return "", fmt.Errorf("region %q: use us or eu", region)
		}
		return u, nil
	case configured != "":
		raw = configured
	default:
		base, err := url.Parse(baseURL)
		if err != nil || base.Host == "" {
			return "", fmt.Errorf("base URL %q is not a URL; give a key set URL", baseURL)
		}
		switch strings.ToLower(base.Hostname()) {
		case "webexapis.com":
			return jwksByRegion["us"], nil
		case "integration.webexapis.com":
			return jwksIntegration, nil
		}
		return base.Scheme + "://" + base.Host + JWKSPath, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("JWKS URL %q must be an absolute http(s) URL", raw)
	}
	return raw, nil
}

// KeySet is the key set at one URL, fetched on first use and kept for the run; a token whose
// kid it lacks makes it fetch the set once more (Webex rotated its key). A holder that
// outlives a run (byova serve, a gateway) sets Fresh and Retry, as NewLiveKeySet does. Safe
// for concurrent use: callers that need a fetch at once share one, made without the lock.
type KeySet struct {
	URL string
	// Fresh > 0 fetches the set again once it is this old; 0 keeps it for the run.
	Fresh time.Duration
	// Retry, with Fresh, is how often at most the set is fetched again for a kid it lacks and
	// has looked for already, or after a failed fetch; without Fresh, a lacking kid fetches it
	// once per run.
	Retry time.Duration
	Now   func() time.Time // nil: time.Now

	mu        sync.Mutex
	keys      *jose.JSONWebKeySet
	fetched   time.Time // when keys came
	tried     time.Time // the last fetch begun
	refetched bool
	missed    map[string]bool // kids a live set fetched for at once, at most maxMissedKids
	lastErr   error           // the last fetch's
	flight    singleflight.Group
}

// maxMissedKids caps the kids a live key set fetches for at once: past it, every missing kid
// waits for Retry, however many different ones tokens name.
const maxMissedKids = 64

// NewKeySet is the key set at url, not yet fetched.
func NewKeySet(url string) *KeySet { return &KeySet{URL: url} }

// NewLiveKeySet is the key set at url for a holder that runs for days, as gateways keep
// Webex's: kept an hour; a kid it lacks fetches it again at once the first time that kid is
// seen (a rotation), then at most once a minute.
func NewLiveKeySet(url string) *KeySet {
	return &KeySet{URL: url, Fresh: time.Hour, Retry: time.Minute}
}

// Load fetches the key set if it has not been fetched yet.
func (k *KeySet) Load(ctx context.Context, c *Client) error {
	_, err := k.keysFor(ctx, c, "")
	return err
}

func (k *KeySet) keysFor(ctx context.Context, c *Client, kid string) (*jose.JSONWebKeySet, error) {
	k.mu.Lock()
	keys, fetch, lastErr := k.keys, k.due(kid), k.lastErr
	k.mu.Unlock()
	if !fetch {
		if keys == nil {
			return nil, fmt.Errorf("fetching the key set from %s: %w (tried again at most every %s)", k.URL, lastErr, k.Retry)
		}
		return keys, nil
	}
	// One fetch for every caller that needs one now. It is not the first caller's: one that
	// gives up (Esc, its own deadline) must not fail it for the others, nor have its
	// cancellation kept as the set's error until Retry. The client's timeout bounds it, and
	// each caller waits no longer than its own ctx.
	fetchCtx := context.WithoutCancel(ctx)
	ch := k.flight.DoChan("", func() (any, error) {
		got, err := c.FetchJWKS(fetchCtx, k.URL)
		if err == nil && (got == nil || len(got.Keys) == 0) {
			err = errors.New("the key set has no keys")
		}
		k.mu.Lock()
		if k.lastErr = err; err == nil {
			k.keys, k.fetched = got, k.now()
		}
		k.mu.Unlock()
		return got, err
	})
	var v any
	var err error
	select {
	case r := <-ch:
		v, err = r.Val, r.Err
	case <-ctx.Done():
		return nil, fmt.Errorf("fetching the key set from %s: %w", k.URL, ctx.Err())
	}
	if err != nil {
		if keys != nil {
			return keys, nil // keep the set we have; the token's check says what is wrong
		}
		return nil, fmt.Errorf("fetching the key set from %s: %w", k.URL, err)
	}
	return v.(*jose.JSONWebKeySet), nil
}

// due says whether kid needs a fetch, and notes the attempt (under k.mu).
func (k *KeySet) due(kid string) bool {
	now := k.now()
	switch {
	case k.keys == nil && k.Fresh > 0 && k.lastErr != nil && now.Sub(k.tried) < k.Retry:
		return false // the last fetch failed a moment ago: do not hammer the URL
	case k.keys == nil:
	case k.Fresh > 0:
		lacks := kid != "" && len(k.keys.Key(kid)) == 0
		switch {
		case lacks && !k.missed[kid] && len(k.missed) < maxMissedKids:
			// A kid not looked for yet is looked for at once (a rotation a moment ago);
			// the same kid again, a forgery say, waits for Retry.
			if k.missed == nil {
				k.missed = map[string]bool{}
			}
			k.missed[kid] = true
		case now.Sub(k.tried) < k.Retry:
			return false
		case !lacks && now.Sub(k.fetched) < k.Fresh:
			return false
		}
	case kid == "" || len(k.keys.Key(kid)) > 0 || k.refetched:
		return false
	default:
		k.refetched = true // once per run, whatever the answer: a forged kid must not fetch forever
	}
	k.tried = now
	return true
}

func (k *KeySet) now() time.Time {
	if k.Now == nil {
		return time.Now()
	}
	return k.Now()
}

// lifetimeSlack is how far past the registered lifetime exp - iat may reach (rounding, a
// clock tick between Webex's two reads of the time).
const lifetimeSlack = time.Minute

// lifetimeProblems refuses a token that lives longer than its registration allows: a leaked
// token with a ten-year exp must not pass as a 60-minute one.
func lifetimeProblems(c *Claims, registered int) []string {
	if c.IssuedAt == 0 || c.Expiry <= c.IssuedAt {
		return nil // reported above
	}
	if registered <= 0 {
		return []string{"lifetime: Webex sent no registered tokenLifetimeMinutes to compare exp - iat with"}
	}
	lived := c.Expiry - c.IssuedAt // seconds; int64, so a far exp cannot overflow a Duration
	if allowed := min(int64(registered), 1<<40)*60 + int64(lifetimeSlack/time.Second); lived > allowed {
		return []string{fmt.Sprintf("lifetime: exp - iat is %d minutes, longer than the registered tokenLifetimeMinutes %d (plus %s)", (lived+59)/60, registered, lifetimeSlack)}
	}
	return nil
}

// Verification is the verdict on one data source's token.
type Verification struct {
	ID       string
	Audience string
	KeyID    string
	Expires  time.Time
	OK       bool
	Reason   string // why not, when !OK
}

// VerifyDataSource checks d's jwsToken: its RS256 signature with the key its kid names (keys
// from ks, fetched with c), exp and iat, and that its aud, sub, schema and url claims match
// the registration d carries. d must be a full object (GetDataSource): list items may lack the
// registered values.
func VerifyDataSource(ctx context.Context, c *Client, ks *KeySet, d *DataSource, now time.Time) Verification {
	v := Verification{ID: d.ID, Audience: d.Audience, Expires: d.Expiry()}
	if d.JWSToken == "" {
		v.Reason = "Webex sent no jwsToken"
		return v
	}
	kid := ""
	if dec, err := DecodeJWS(d.JWSToken); err == nil {
		kid = dec.Header.KeyID
	}
	v.KeyID = kid
	keys, err := ks.keysFor(ctx, c, kid)
	if err != nil {
		v.Reason = err.Error()
		return v
	}
	claims, err := VerifyJWS(d.JWSToken, keys, now)
	if err != nil {
		v.Reason = err.Error()
		return v
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
	problems = append(problems, lifetimeProblems(claims, d.Registered().LifetimeMinutes)...)
	exact := func(a, b string) bool { return a == b }
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
		v.Reason = strings.Join(problems, "; ")
		return v
	}
	v.OK = true
	return v
}
