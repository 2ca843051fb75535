package webexfake

import (
	"encoding/base64"
	"strings"

	"github.com/google/uuid"
)

// Hydra ids are how Webex names people, orgs, apps and webhooks outside BYODS objects.
const hydraPrefix = "ciscospark://us/"

// HydraID encodes a Webex resource id the way Webex does: URL-safe base64, no padding, of
// "ciscospark://us/<TYPE>/<id>". kind is e.g. "ORGANIZATION", "APPLICATION", "PEOPLE", "WEBHOOK".
func HydraID(kind, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(hydraPrefix + kind + "/" + id))
}

// parseHydra decodes a Hydra id written in any of the base64 flavours clients use (URL-safe or
// standard, with or without padding) and returns its type and inner id.
func parseHydra(s string) (kind, id string, ok bool) {
	raw := strings.TrimRight(s, "=")
	var b []byte
	var err error
	if strings.ContainsAny(raw, "+/") {
		b, err = base64.RawStdEncoding.DecodeString(raw)
	} else {
		b, err = base64.RawURLEncoding.DecodeString(raw)
	}
	if err != nil {
		return "", "", false
	}
	rest, found := strings.CutPrefix(string(b), hydraPrefix)
	if !found {
		return "", "", false
	}
	kind, id, found = strings.Cut(rest, "/")
	if !found || kind == "" || id == "" {
		return "", "", false
	}
	return kind, id, true
}

// parseOrgID accepts a plain org UUID or its Hydra ORGANIZATION id and returns the plain UUID.
func parseOrgID(s string) (string, bool) {
	if u, err := uuid.Parse(s); err == nil && len(s) == 36 {
		return u.String(), true
	}
	kind, id, ok := parseHydra(s)
	if !ok || kind != "ORGANIZATION" {
		return "", false
	}
	u, err := uuid.Parse(id)
	if err != nil {
		return "", false
	}
	return u.String(), true
}
