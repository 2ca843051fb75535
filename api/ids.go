package api

import (
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// Kinds of Webex ("Hydra") IDs byova meets.
const (
	KindOrganization = "ORGANIZATION"
	KindApplication  = "APPLICATION"
	KindPeople       = "PEOPLE"
	KindWebhook      = "WEBHOOK"
)

// EncodeID builds a Webex ID: URL-safe base64 of ciscospark://us/KIND/id, padding removed.
func EncodeID(kind, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("ciscospark://us/" + kind + "/" + id))
}

// DecodeID splits a Webex ID into its kind and inner id. It accepts URL-safe or standard
// base64, with or without padding.
func DecodeID(s string) (kind, id string, err error) {
	s = strings.TrimSpace(s)
	raw := strings.TrimRight(s, "=")
	var b []byte
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.RawStdEncoding} {
		if b, err = enc.DecodeString(raw); err == nil {
			break
		}
	}
	if err != nil {
		return "", "", fmt.Errorf("%q is not a Webex ID (base64 of ciscospark://…)", s)
	}
	parts := strings.Split(string(b), "/")
	if len(parts) < 5 || parts[0] != "ciscospark:" {
		return "", "", fmt.Errorf("%q is not a Webex ID (it decodes to %q)", s, string(b))
	}
	return parts[3], strings.Join(parts[4:], "/"), nil
}

// OrgUUID accepts an org as a UUID or a Webex ORGANIZATION ID and returns the UUID.
func OrgUUID(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("no org given: pass --org or set WEBEX_ORG_ID (a UUID or Webex org ID)")
	}
	if u, err := uuid.Parse(s); err == nil {
		return u.String(), nil
	}
	kind, id, err := DecodeID(s)
	if err != nil {
		return "", fmt.Errorf("org %q is neither a UUID nor a Webex org ID", s)
	}
	if kind != KindOrganization {
		return "", fmt.Errorf("%q is a Webex %s ID, not an org", s, kind)
	}
	if u, err := uuid.Parse(id); err == nil {
		return u.String(), nil
	}
	return id, nil
}

// ApplicationID returns the Webex application ID of a Service App from its client ID; a
// value that already is an application ID is returned as is.
func ApplicationID(clientIDOrAppID string) string {
	if kind, _, err := DecodeID(clientIDOrAppID); err == nil && kind == KindApplication {
		return clientIDOrAppID
	}
	return EncodeID(KindApplication, clientIDOrAppID)
}
