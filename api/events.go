package api

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// SignatureHeader carries the hex HMAC-SHA1 of a webhook delivery's raw body.
const SignatureHeader = "X-Spark-Signature"

// Signature is what Webex puts in X-Spark-Signature for body and secret.
func Signature(body []byte, secret string) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// VerifySignature checks X-Spark-Signature against the raw body, in constant time. The
// header's hex may be upper or lower case.
func VerifySignature(body []byte, secret, header string) bool {
	got, err := hex.DecodeString(strings.TrimSpace(header))
	if err != nil || len(got) != sha1.Size {
		return false
	}
	m := hmac.New(sha1.New, []byte(secret))
	m.Write(body)
	return hmac.Equal(got, m.Sum(nil))
}

// ServiceAppEvent is a serviceApp webhook delivery: a customer org's admin authorized or
// deauthorized the Service App.
type ServiceAppEvent struct {
	Event        string // EventAuthorized or EventDeauthorized
	Org          string // the customer org's UUID
	OrgFrom      string // which field named it: data.authorizerOrgId, orgId or data.orgId
	AppID        string // data.id (the Service App's Webex ID), when sent
	AuthorizedAt string // data.authorizationDate, when sent
	WebhookID    string
}

type deliveryEnvelope struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Resource string `json:"resource"`
	Event    string `json:"event"`
	OrgID    string `json:"orgId"`
	Data     struct {
		ID                string `json:"id"`
		AuthorizerOrgID   string `json:"authorizerOrgId"`
		OrgID             string `json:"orgId"`
		ApplicationID     string `json:"applicationId"`
		AuthorizationDate string `json:"authorizationDate"`
	} `json:"data"`
}

// ErrNotServiceAppEvent marks a well-formed delivery that is not a serviceApp authorized or
// deauthorized event.
var ErrNotServiceAppEvent = errors.New("not a serviceApp authorized/deauthorized event")

// ParseServiceAppEvent reads a delivery. The customer org is taken from data.authorizerOrgId
// when present (the top-level orgId can be the webhook owner's org), else the top-level orgId,
// else data.orgId; each may be a UUID or a Webex org ID.
func ParseServiceAppEvent(body []byte) (*ServiceAppEvent, error) {
	var env deliveryEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("the body is not a JSON webhook delivery: %w", err)
	}
	if !strings.EqualFold(env.Resource, ResourceServiceApp) {
		return nil, fmt.Errorf("%w: resource is %q", ErrNotServiceAppEvent, env.Resource)
	}
	event := strings.ToLower(env.Event)
	if event == "" {
		event = strings.ToLower(env.Name)
	}
	if event != EventAuthorized && event != EventDeauthorized {
		return nil, fmt.Errorf("%w: event is %q", ErrNotServiceAppEvent, env.Event)
	}
	ev := &ServiceAppEvent{Event: event, AppID: first(env.Data.ID, env.Data.ApplicationID), AuthorizedAt: env.Data.AuthorizationDate, WebhookID: env.ID}
	for _, c := range []struct{ from, v string }{
		{"data.authorizerOrgId", env.Data.AuthorizerOrgID}, {"orgId", env.OrgID}, {"data.orgId", env.Data.OrgID},
	} {
		if c.v == "" {
			continue
		}
		org, err := OrgUUID(c.v)
		if err != nil {
			return nil, fmt.Errorf("%s %q is not an org ID: %w", c.from, c.v, err)
		}
		// Webex orgs are UUIDs; a Webex ID wrapping anything else (OrgUUID passes it through)
		// would become a token store key and a log field chosen by the sender.
		if _, err := uuid.Parse(org); err != nil {
			return nil, fmt.Errorf("%s %q does not name an org UUID (it holds %q)", c.from, c.v, org)
		}
		ev.Org, ev.OrgFrom = org, c.from
		break
	}
	if ev.Org == "" {
		return nil, errors.New("the delivery names no org (data.authorizerOrgId, orgId or data.orgId)")
	}
	return ev, nil
}
