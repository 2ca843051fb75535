package api

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// DataSource is a BYODS registration (spec §6.2). Every field is optional on the wire: when
// audience, subject, url or schemaId are missing they are taken from the jwsToken claims, and
// tokenExpiryTime from its `exp`.
type DataSource struct {
	ID                   string `json:"id"`
	SchemaID             string `json:"schemaId,omitempty"`
	URL                  string `json:"url,omitempty"`
	Audience             string `json:"audience,omitempty"`
	Subject              string `json:"subject,omitempty"`
	Nonce                string `json:"nonce,omitempty"`
	TokenLifetimeMinutes int    `json:"tokenLifetimeMinutes,omitzero"`
	Status               string `json:"status,omitempty"`
	ErrorMessage         string `json:"errorMessage,omitempty"`
	OrgID                string `json:"orgId,omitempty"`
	ApplicationID        string `json:"applicationId,omitempty"`
	JWSToken             string `json:"jwsToken,omitempty"`
	CreatedBy            string `json:"createdBy,omitempty"`
	CreatedAt            string `json:"createdAt,omitempty"`
	UpdatedBy            string `json:"updatedBy,omitempty"`
	UpdatedAt            string `json:"updatedAt,omitempty"`
	TokenExpiryTime      string `json:"tokenExpiryTime,omitempty"`

	expiry time.Time
	jwsErr string
	sent   Registration // the fields as Webex sent them, before the token filled gaps
}

// TokenExpiryLayout is how tokenExpiryTime is written: UTC with milliseconds, the way Webex
// writes its other timestamps.
const TokenExpiryLayout = "2006-01-02T15:04:05.000Z"

// Registration is what a data source was registered with, as the API answer carried it (a
// field the answer lacked is empty): `verify` compares the token's claims with it, which it
// could not do with fields that were themselves read from the token.
type Registration struct {
	SchemaID, URL, Audience, Subject string
	LifetimeMinutes                  int // 0 when Webex sent none (the token's own is not used)
}

// Registered returns the registration fields Webex sent, without the ones derived from the token.
func (d *DataSource) Registered() Registration { return d.sent }

// dataSourceWire is how Webex may send a data source: schemaId as a string or a one-element
// array, tokenLifetimeMinutes as a number or a string, jwtToken as an alias of jwsToken.
// Lists decode straight into it: a custom UnmarshalJSON on each item would make
// encoding/json scan every item twice more.
type dataSourceWire struct {
	ID                   string       `json:"id"`
	SchemaID             flexString   `json:"schemaId"`
	URL                  sharedString `json:"url"`
	Audience             sharedString `json:"audience"`
	Subject              sharedString `json:"subject"`
	Nonce                string       `json:"nonce"`
	TokenLifetimeMinutes flexInt      `json:"tokenLifetimeMinutes"`
	Status               sharedString `json:"status"`
	ErrorMessage         string       `json:"errorMessage"`
	OrgID                sharedString `json:"orgId"`
	ApplicationID        sharedString `json:"applicationId"`
	JWSToken             string       `json:"jwsToken"`
	JWTToken             string       `json:"jwtToken"`
	CreatedBy            sharedString `json:"createdBy"`
	CreatedAt            string       `json:"createdAt"`
	UpdatedBy            sharedString `json:"updatedBy"`
	UpdatedAt            string       `json:"updatedAt"`
	TokenExpiryTime      string       `json:"tokenExpiryTime"`
}

func (w *dataSourceWire) dataSource() DataSource {
	d := DataSource{
		ID: w.ID, SchemaID: string(w.SchemaID), URL: string(w.URL), Audience: string(w.Audience), Subject: string(w.Subject),
		Nonce: w.Nonce, TokenLifetimeMinutes: int(w.TokenLifetimeMinutes), Status: string(w.Status),
		ErrorMessage: w.ErrorMessage, OrgID: string(w.OrgID), ApplicationID: string(w.ApplicationID), JWSToken: w.JWSToken,
		CreatedBy: string(w.CreatedBy), CreatedAt: w.CreatedAt, UpdatedBy: string(w.UpdatedBy), UpdatedAt: w.UpdatedAt,
		TokenExpiryTime: w.TokenExpiryTime,
	}
	if d.JWSToken == "" {
		d.JWSToken = w.JWTToken
	}
	d.sent = Registration{SchemaID: d.SchemaID, URL: d.URL, Audience: d.Audience, Subject: d.Subject, LifetimeMinutes: d.TokenLifetimeMinutes}
	d.normalize()
	return d
}

// UnmarshalJSON accepts every form seen in the wild and fills gaps from the token.
func (d *DataSource) UnmarshalJSON(b []byte) error {
	var w dataSourceWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*d = w.dataSource()
	return nil
}

// normalize derives what the token knows and the list did not say.
func (d *DataSource) normalize() {
	if d.JWSToken != "" {
		var c Claims
		if err := peekClaims(d.JWSToken, &c); err != nil {
			d.jwsErr = err.Error()
		} else {
			d.Audience = first(d.Audience, c.Audience.String())
			d.Subject = first(d.Subject, c.Subject)
			d.URL = first(d.URL, c.URL)
			d.SchemaID = first(d.SchemaID, c.SchemaUUID)
			d.OrgID = first(d.OrgID, c.OrgUUID)
			if c.Expiry != 0 {
				d.expiry = c.ExpiresAt()
			}
			if d.TokenLifetimeMinutes == 0 && c.Expiry > c.IssuedAt && c.IssuedAt > 0 {
				d.TokenLifetimeMinutes = int((c.Expiry - c.IssuedAt) / 60)
			}
		}
	}
	sent, sentErr := time.Time{}, error(nil)
	if d.TokenExpiryTime != "" {
		sent, sentErr = ParseTime(d.TokenExpiryTime)
	}
	if d.expiry.IsZero() && sentErr == nil {
		d.expiry = sent
	}
	// One spelling whether Webex sent the field (get) or the token supplied it (list items lack
	// it), so `get --json` and `list --json` agree; a value that does not parse is kept as sent.
	switch {
	case d.TokenExpiryTime != "" && sentErr == nil:
		d.TokenExpiryTime = sent.UTC().Format(TokenExpiryLayout)
	case d.TokenExpiryTime == "" && !d.expiry.IsZero():
		d.TokenExpiryTime = d.expiry.UTC().Format(TokenExpiryLayout)
	}
}

// Expiry is when the data source token stops working (zero when unknown).
func (d *DataSource) Expiry() time.Time { return d.expiry }

// TokenProblem says why the token could not be decoded ("" when it could or there is none).
func (d *DataSource) TokenProblem() string { return d.jwsErr }

// ExpiresWithin reports whether the token expires before now+window (expired ones included).
// A data source whose expiry is unknown is not picked.
func (d *DataSource) ExpiresWithin(now time.Time, window time.Duration) bool {
	return !d.expiry.IsZero() && d.expiry.Before(now.Add(window))
}

// DataSourceCreate is the body of POST /dataSources (spec §6.3); all fields are required.
type DataSourceCreate struct {
	SchemaID             string `json:"schemaId"`
	URL                  string `json:"url"`
	Audience             string `json:"audience"`
	Subject              string `json:"subject"`
	Nonce                string `json:"nonce"`
	TokenLifetimeMinutes int    `json:"tokenLifetimeMinutes"`
}

// DataSourceUpdate is the body of PUT /dataSources/{id} (spec §6.4). byova always sends the
// full configuration: whether Webex accepts a sparse patch is spec §14.3 (the fake accepts
// both: docs/webex-fake.md, 3).
type DataSourceUpdate struct {
	SchemaID             string `json:"schemaId"`
	URL                  string `json:"url"`
	Audience             string `json:"audience"`
	Subject              string `json:"subject"`
	Nonce                string `json:"nonce"`
	TokenLifetimeMinutes int    `json:"tokenLifetimeMinutes"`
	Status               string `json:"status,omitempty"`
	ErrorMessage         string `json:"errorMessage"`
}

// Schema describes a data exchange a data source can register for (spec §7.1).
type Schema struct {
	ID          string `json:"id"`
	AppType     string `json:"appType,omitempty"`
	CreatedAt   string `json:"createdAt,omitempty"`
	Protocol    string `json:"protocol,omitempty"`
	ServiceType string `json:"serviceType,omitempty"`
	URL         string `json:"url,omitempty"`
	Description string `json:"description,omitempty"`
}

// Label is the friendly name people know a schema by.
func (s Schema) Label() string {
	name := first(s.ServiceType, "Unknown schema")
	if len(s.ID) >= 8 {
		return name + " (" + s.ID[:8] + "…)"
	}
	return name
}

// Webhook is a Webex webhook (spec §8.2).
type Webhook struct {
	ID        string `json:"id"`
	Name      string `json:"name,omitempty"`
	TargetURL string `json:"targetUrl,omitempty"`
	Resource  string `json:"resource,omitempty"`
	Event     string `json:"event,omitempty"`
	Filter    string `json:"filter,omitempty"`
	Secret    string `json:"secret,omitempty"`
	Status    string `json:"status,omitempty"`
	Created   string `json:"created,omitempty"`
	OwnedBy   string `json:"ownedBy,omitempty"`
	OrgID     string `json:"orgId,omitempty"`
	CreatedBy string `json:"createdBy,omitempty"`
	AppID     string `json:"appId,omitempty"`
}

// WebhookCreate is the body of POST /webhooks.
type WebhookCreate struct {
	Name      string `json:"name"`
	TargetURL string `json:"targetUrl"`
	Resource  string `json:"resource"`
	Event     string `json:"event"`
	Filter    string `json:"filter,omitempty"`
	Secret    string `json:"secret,omitempty"`
	OwnedBy   string `json:"ownedBy,omitempty"`
}

// WebhookUpdate is the body of PUT /webhooks/{id}: name and targetUrl are required; status
// may only be "active" (to re-activate a hook Webex disabled).
type WebhookUpdate struct {
	Name      string `json:"name"`
	TargetURL string `json:"targetUrl"`
	Secret    string `json:"secret,omitempty"`
	Status    string `json:"status,omitempty"`
	OwnedBy   string `json:"ownedBy,omitempty"`
}

// Person is the answer of GET /people/me (the fields byova uses).
type Person struct {
	ID          string   `json:"id"`
	Emails      []string `json:"emails,omitempty"`
	DisplayName string   `json:"displayName,omitempty"`
	OrgID       string   `json:"orgId,omitempty"`
}

// ParseTime reads the ISO 8601 forms Webex uses.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t, err = time.Parse("2006-01-02T15:04:05.999999999Z0700", s)
	}
	return t, err
}

// flexString is a string Webex may also send as a one-element array.
type flexString string

func (f *flexString) UnmarshalJSON(raw []byte) error {
	raw = bytes.TrimSpace(raw)
	*f = ""
	switch {
	case len(raw) == 0 || string(raw) == "null":
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		*f = flexString(s)
	case raw[0] == '[':
		var ss []string
		if json.Unmarshal(raw, &ss) == nil && len(ss) > 0 {
			*f = flexString(ss[0])
		}
	}
	return nil
}

// flexInt is a number Webex may also send as a string.
type flexInt int

func (f *flexInt) UnmarshalJSON(raw []byte) error {
	raw = bytes.TrimSpace(raw)
	*f = 0
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		raw = []byte(strings.TrimSpace(s))
	}
	n, err := strconv.ParseFloat(string(raw), 64)
	if err == nil {
		*f = flexInt(n)
	}
	return nil
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
