package cli

import (
	"github.com/google/uuid"

	"github.com/byova/byova/api"
	"github.com/byova/byova/safetext"
)

// checkIDs refuses an argument that cannot be an ID of its kind before anything is sent, the
// way create and update refuse a bad --schema: Webex would only answer 404 (exit 1) for it.
func checkIDs(kind string, ids ...string) error {
	for _, id := range ids {
		switch kind {
		case "webhook":
			// Webex's webhook IDs are Webex IDs; a bare UUID is what some gateways hand out.
			if _, uerr := uuid.Parse(id); uerr == nil {
				continue
			}
			if k, _, err := api.DecodeID(id); err != nil || k != api.KindWebhook {
				return usagef("%q is not a webhook ID (a Webex ID like Y2lzY29zcGFyazovL3VzL1dFQkhPT0sv…): see `byova webhooks list`", safetext.Line(id))
			}
		default: // data sources and schemas are UUIDs
			if _, err := uuid.Parse(id); err != nil {
				list := "byova ds list"
				if kind == "schema" {
					list = "byova schemas list"
				}
				return usagef("%q is not a %s ID (a UUID like 0b7f6a0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b): see `%s`", safetext.Line(id), kind, list)
			}
		}
	}
	return nil
}
